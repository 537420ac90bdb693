import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { SlackDoubleOptions } from "./types.ts";

/** What an installed app may do, as its manifest says: the double's options for it. */
export type ManifestGrants = Required<
  Pick<
    SlackDoubleOptions,
    "botScopes" | "homeTabEnabled" | "botEvents" | "slashCommands" | "interactivityEnabled"
  >
>;

interface ManifestShape {
  oauth_config?: { scopes?: { bot?: unknown } };
  features?: {
    app_home?: { home_tab_enabled?: unknown };
    slash_commands?: Array<{ command?: unknown }>;
  };
  settings?: {
    event_subscriptions?: { bot_events?: unknown };
    interactivity?: { is_enabled?: unknown };
  };
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/**
 * The bot scopes, Home tab, events, slash commands and interactivity of a Slack app manifest
 * (YAML or JSON, SLACK.md §9), so a double started with them refuses what Slack would refuse
 * an app installed from that manifest, and sends it only what Slack would send.
 */
export function appFromManifest(path: string): ManifestGrants {
  const manifest = parse(readFileSync(path, "utf8")) as ManifestShape;
  const bot = manifest.oauth_config?.scopes?.bot;
  if (!Array.isArray(bot) || !bot.every((s) => typeof s === "string")) {
    throw new Error(`${path}: oauth_config.scopes.bot must be a list of scopes`);
  }
  return {
    botScopes: bot,
    homeTabEnabled: manifest.features?.app_home?.home_tab_enabled === true,
    botEvents: strings(manifest.settings?.event_subscriptions?.bot_events),
    slashCommands: (manifest.features?.slash_commands ?? []).flatMap((c) => strings([c.command])),
    interactivityEnabled: manifest.settings?.interactivity?.is_enabled === true,
  };
}
