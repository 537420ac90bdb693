import { fileURLToPath } from "node:url";
import { appFromManifest, type ManifestGrants } from "../../src/slack-double/index.ts";

/**
 * The scopes and Home tab Switchboard's own manifest asks for, to start a Slack double with:
 * the bot then gets missing_scope for any call its manifest would not allow, as in Slack.
 */
export function switchboardApp(transport: "http" | "socket" = "http"): ManifestGrants {
  const path = new URL(`../../manifests/switchboard.${transport}.yaml`, import.meta.url);
  return appFromManifest(fileURLToPath(path));
}
