import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { appFromManifest } from "../../src/slack-double/index.ts";

/**
 * The bot scopes each Web API method needs (../shared/SLACK.md §5 and §9). A method the code
 * calls that is missing here fails the test: add it here and to both manifests.
 */
const SCOPES_BY_METHOD: Record<string, string[]> = {
  // chat:write.public: department channels may be named "#name" without inviting the bot.
  "chat.postMessage": ["chat:write", "chat:write.public"],
  "chat.update": ["chat:write"],
  "chat.getPermalink": [],
  "conversations.members": ["channels:read", "groups:read"],
  "conversations.open": ["im:write"],
  // After a crash, a retried post first looks for the message it may have sent (post-once.ts).
  "conversations.history": ["channels:history", "groups:history", "im:history"],
  "conversations.replies": ["channels:history", "groups:history", "im:history"],
  "conversations.list": ["channels:read", "groups:read"],
  // An archived department channel is named in the card's failure (archived-channel.ts).
  "conversations.info": ["channels:read", "groups:read"],
  "usergroups.users.list": ["usergroups:read"],
  // A campaign owner sent over the API is checked against the workspace (member-check.ts).
  "users.info": ["users:read"],
  "views.open": [],
  "views.publish": [],
  "views.update": [],
  "files.getUploadURLExternal": ["files:write"],
  "files.completeUploadExternal": ["files:write"],
  // After a lost answer, whether the digest's chart was shared already (digest-delivery.ts).
  "files.info": ["files:read"],
};

interface Manifest {
  features: {
    slash_commands: Array<{ command: string; url?: string; usage_hint?: string }>;
    app_home?: { home_tab_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
  };
}

const load = (file: string) => parse(readFileSync(join("manifests", file), "utf8")) as Manifest;
const http = load("switchboard.http.yaml");
const socket = load("switchboard.socket.yaml");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "slack-double" ? [] : sourceFiles(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every `client.a.b(` Web API call in src/, outside the Slack double. */
function methodsCalled(): string[] {
  const calls = sourceFiles("src").flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/client\.([a-zA-Z]+(?:\.[a-zA-Z]+)+)\(/g)].map(
      (m) => m[1] ?? "",
    ),
  );
  return [...new Set(calls)].sort();
}

const usesSlashCommand = sourceFiles("src").some((f) =>
  readFileSync(f, "utf8").includes('app.command("/switchboard"'),
);

describe("Slack app manifests", () => {
  it("ask for exactly the scopes the code's Web API calls and commands need", () => {
    const methods = methodsCalled();
    const unknown = methods.filter((m) => !(m in SCOPES_BY_METHOD));
    expect(unknown, "methods missing from SCOPES_BY_METHOD").toEqual([]);
    const needed = new Set(methods.flatMap((m) => SCOPES_BY_METHOD[m] ?? []));
    if (usesSlashCommand) needed.add("commands");
    expect([...http.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect([...socket.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });

  it("declare the same commands, with request URLs only over HTTP", () => {
    expect(http.features.slash_commands.map((c) => c.command)).toEqual(["/switchboard"]);
    expect(socket.features.slash_commands.map((c) => c.command)).toEqual(["/switchboard"]);
    expect(http.features.slash_commands[0]?.url).toMatch(/\/slack\/events$/);
    expect(http.settings.interactivity).toMatchObject({
      is_enabled: true,
      request_url: expect.stringMatching(/\/slack\/events$/),
    });
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(socket.features.slash_commands[0]?.url).toBeUndefined();
    expect(socket.settings.interactivity).toEqual({ is_enabled: true });
    expect(socket.settings.socket_mode_enabled).toBe(true);
  });

  it("subscribe to every event the code listens to, with the Home tab on", () => {
    const events = [
      ...new Set(
        sourceFiles("src").flatMap((f) =>
          [...readFileSync(f, "utf8").matchAll(/app\.event\("([a-z_]+)"/g)].map((m) => m[1] ?? ""),
        ),
      ),
    ].sort();
    expect(events).toContain("app_home_opened");
    for (const manifest of [http, socket]) {
      expect([...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual(events);
      expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    }
    expect(http.settings.event_subscriptions?.request_url).toMatch(/\/slack\/events$/);
    expect(socket.settings.event_subscriptions?.request_url).toBeUndefined();
  });

  it("give the Slack double the scopes, Home tab, events, commands and interactivity they ask for", () => {
    expect(appFromManifest("manifests/switchboard.http.yaml")).toEqual({
      botScopes: http.oauth_config.scopes.bot,
      homeTabEnabled: true,
      botEvents: ["app_home_opened"],
      slashCommands: ["/switchboard"],
      interactivityEnabled: true,
    });
    expect(appFromManifest("manifests/switchboard.socket.yaml").botScopes).toEqual(
      socket.oauth_config.scopes.bot,
    );
    expect(() => appFromManifest("package.json")).toThrow(
      "package.json: oauth_config.scopes.bot must be a list of scopes",
    );
  });

  it("list every /switchboard subcommand in the usage hint", () => {
    for (const manifest of [http, socket]) {
      const hint = manifest.features.slash_commands[0]?.usage_hint ?? "";
      for (const word of ["mine", "digest", "status", "retry", "help"])
        expect(hint).toContain(word);
    }
  });
});
