import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../config/config-error.ts";
import type { PathIssue } from "../config/key-path.ts";
import {
  EMPTY_FILE_MESSAGE,
  parseWorkspaceSource,
  type WorkspaceSource,
} from "../config/load-workspace.ts";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { validateWithSchema } from "../config/zod-issues.ts";
import { namedChannels } from "../services/workspace-lookups.ts";
import type { ChannelSpec, UsergroupSpec, UserSpec } from "../slack-double/index.ts";
import { configStartError, SandboxStartError } from "./start-errors.ts";
import { locateIssues, withoutMisspeltKeys } from "./yaml-file-issues.ts";

/** The bundled pretend Slack workspace. */
export const SLACK_WORKSPACE_PATH = "sandbox/slack-workspace.yaml";

const UserId = z.string().regex(/^U[A-Z0-9]{2,30}$/, "must be a Slack member id like U0SBSVC001");

const Person = z.strictObject({
  id: UserId,
  name: z.string().regex(/^[a-z0-9._-]+$/, "must be a lower-case handle like maya"),
  realName: z.string().min(1),
  title: z.string().min(1),
  tz: z.string().optional(),
});

const Channel = z.strictObject({
  id: z.string().regex(/^[CG][A-Z0-9]{2,30}$/, "must be a channel id like C0SBSERVICE"),
  name: z.string().regex(/^[a-z0-9_-]+$/, "must be a channel name like sb-service (no #)"),
  topic: z.string().optional(),
  private: z.boolean().optional(),
  members: z.array(UserId).default([]),
});

const Usergroup = z.strictObject({
  id: z.string().regex(/^S[A-Z0-9]{2,30}$/),
  handle: z.string().min(1),
  members: z.array(UserId),
});

const SlackWorkspaceFile = z.strictObject({
  team: z.string().min(1),
  people: z.array(Person).min(1),
  channels: z.array(Channel).min(1),
  usergroups: z.array(Usergroup).default([]),
});

/** The pretend workspace: people (with the title the page shows) and channels. */
export type SlackWorkspace = z.infer<typeof SlackWorkspaceFile>;
/** One person of the pretend workspace. */
export type SandboxPerson = z.infer<typeof Person>;

/**
 * Reads and checks the workspace file. Any mistake is a SandboxStartError naming the file, the
 * line and the key (with a "did you mean" for a misspelt one), as the workspace config's are.
 */
export function loadSlackWorkspace(path: string): SlackWorkspace {
  const source = readSource(path);
  const validation = validateWithSchema(SlackWorkspaceFile, source.data);
  const issues = validation.success
    ? strangerIssues(validation.data)
    : withoutMisspeltKeys(validation.issues, source.data);
  if (issues.length > 0 || !validation.success) {
    throw configStartError(new ConfigError(locateIssues(issues, source)));
  }
  return validation.data;
}

function readSource(path: string): WorkspaceSource {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    // Say which setting chose the path, as the workspace config's "not found" does.
    throw new SandboxStartError(
      `Cannot start the sandbox: cannot read the pretend Slack workspace file ${path} (${(error as Error).message.split("\n")[0]}). SANDBOX_WORKSPACE chooses this path (default ${SLACK_WORKSPACE_PATH}): point it at a file like that one, or unset it`,
    );
  }
  try {
    return parseWorkspaceSource(text, path);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // parseWorkspaceSource's advice for an empty file (or a bare ~) is the workspace
    // config's: give ours.
    if (error.issues.every((issue) => issue.message === EMPTY_FILE_MESSAGE)) {
      throw new SandboxStartError(
        `Cannot start the sandbox: ${path} is empty; it lists the pretend workspace's team, people and channels, as ${SLACK_WORKSPACE_PATH} does`,
      );
    }
    throw configStartError(error);
  }
}

/** Each channel member who is not one of the file's people. */
function strangerIssues(ws: SlackWorkspace): PathIssue[] {
  const people = new Set(ws.people.map((p) => p.id));
  return ws.channels.flatMap((channel, i) =>
    channel.members.flatMap((member, j) =>
      people.has(member)
        ? []
        : [
            {
              path: ["channels", i, "members", j],
              message: `${member} is not one of the people in this file; add them under people, or remove them here`,
            },
          ],
    ),
  );
}

/**
 * Checks that every channel Switchboard's config names exists in the pretend workspace, so a
 * card never fails with channel_not_found because the two files disagree.
 */
export function checkChannelsExist(
  ws: SlackWorkspace,
  config: WorkspaceConfig,
  files: { config: string; workspace: string },
): void {
  const known = (ref: string) =>
    ws.channels.some((c) => c.id === ref || `#${c.name}` === ref || c.name === ref);
  // Every missing channel at once, so that one edit of the workspace file fixes them all.
  const missing = namedChannels(config).filter((n) => !known(n.ref));
  const [only] = missing;
  if (missing.length === 1 && only) {
    throw new SandboxStartError(
      `Cannot start the sandbox: ${files.config} names channel ${only.ref} for ${only.what}, which ${files.workspace} does not have; add it there`,
    );
  }
  if (missing.length > 1) {
    const list = missing.map((n) => `${n.ref} (for ${n.what})`).join(", ");
    throw new SandboxStartError(
      `Cannot start the sandbox: ${files.config} names ${missing.length} channels that ${files.workspace} does not have: ${list}; add them there`,
    );
  }
}

/** Each Slack member ID the configuration names, with what names it. */
function namedPeople(config: WorkspaceConfig): Array<{ ref: string; what: string }> {
  return [
    ...config.departments.flatMap((d) =>
      d.leads.map((ref) => ({ ref, what: `department ${d.key}'s leads` })),
    ),
    ...config.admins.map((ref) => ({ ref, what: "admins" })),
    ...config.executives.map((e) => ({ ref: e.user, what: "executives" })),
    ...Object.keys(config.people).map((ref) => ({ ref, what: "people" })),
    ...(config.campaigns?.announcers.users ?? []).map((ref) => ({
      ref,
      what: "campaigns.announcers",
    })),
  ];
}

/**
 * Every person the configuration names (leads, admins, executives…) is one of the pretend
 * workspace's people: a mistyped ID would only show later, as DMs and mentions Slack refuses.
 */
export function checkPeopleExist(
  ws: SlackWorkspace,
  config: WorkspaceConfig,
  files: { config: string; workspace: string },
): void {
  const known = new Set(ws.people.map((p) => p.id));
  const missing = new Map<string, string[]>();
  for (const { ref, what } of namedPeople(config)) {
    if (known.has(ref)) continue;
    const whats = missing.get(ref) ?? [];
    if (!whats.includes(what)) whats.push(what);
    missing.set(ref, whats);
  }
  if (missing.size === 0) return;
  const list = [...missing].map(([ref, whats]) => `${ref} (${whats.join(", ")})`).join(", ");
  const whom =
    missing.size === 1 ? `person ${list}, who is` : `${missing.size} people, ${list}, who are`;
  throw new SandboxStartError(
    `Cannot start the sandbox: ${files.config} names ${whom} not among the people of ${files.workspace}; add them there, or correct the ID`,
  );
}

/** The double's seed: users and channels (the bot is in every channel, as an installed app is invited). */
export function doubleSeed(ws: SlackWorkspace): {
  users: UserSpec[];
  channels: ChannelSpec[];
  usergroups: UsergroupSpec[];
} {
  return {
    usergroups: ws.usergroups.map((g) => ({ id: g.id, handle: g.handle, users: g.members })),
    users: ws.people.map((p) => ({
      id: p.id,
      name: p.name,
      realName: p.realName,
      ...(p.tz === undefined ? {} : { tz: p.tz }),
    })),
    channels: ws.channels.map((c) => ({
      id: c.id,
      name: c.name,
      members: c.members,
      ...(c.private === undefined ? {} : { isPrivate: c.private }),
    })),
  };
}
