import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { SlackDoubleOptions } from "./types.ts";

/** What an installed app may do, as its manifest says: the double's options for it. */
export type ManifestGrants = Required<Pick<SlackDoubleOptions, "botScopes" | "homeTabEnabled">>;

interface ManifestShape {
  oauth_config?: { scopes?: { bot?: unknown } };
  features?: { app_home?: { home_tab_enabled?: unknown } };
}

/**
 * The bot scopes and Home tab of a Slack app manifest (YAML or JSON, SLACK.md §9), so a double
 * started with them refuses what Slack would refuse an app installed from that manifest.
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
  };
}
