import type { ConfigIssue } from "./config-error.ts";

/** How Switchboard receives events from Slack. */
export type SlackMode = "http" | "socket";

/** Validated Slack credentials; the signing secret is only required over HTTP. */
export interface SlackCredentials {
  slackMode: SlackMode;
  slackBotToken: string;
  slackSigningSecret?: string | undefined;
  slackAppToken?: string | undefined;
}

type Report = (issue: Omit<ConfigIssue, "file">) => void;

const APPS_PAGE = "https://api.slack.com/apps";

/** The manifest to create the Slack app from, per mode; both live in manifests/. */
export function manifestPathFor(mode: SlackMode): string {
  return mode === "socket"
    ? "manifests/switchboard.socket.yaml"
    : "manifests/switchboard.http.yaml";
}

/**
 * Reads the Slack tokens. An app-level token (SLACK_APP_TOKEN) switches on Socket Mode, which
 * needs no public URL and therefore no signing secret. Token values are never echoed.
 */
export function readSlackCredentials(
  read: (name: string) => string | undefined,
  report: Report,
): SlackCredentials {
  const slackAppToken = read("SLACK_APP_TOKEN");
  const slackMode: SlackMode = slackAppToken === undefined ? "http" : "socket";
  const createApp = `Create the Slack app from ${manifestPathFor(slackMode)} (${APPS_PAGE} → Create New App → From a manifest) and install it to your workspace`;
  const slackBotToken = read("SLACK_BOT_TOKEN");
  const slackSigningSecret = read("SLACK_SIGNING_SECRET");

  checkBotToken(slackBotToken, createApp, report);
  if (slackMode === "http" && slackSigningSecret === undefined) {
    report({
      path: "SLACK_SIGNING_SECRET",
      message: `SLACK_SIGNING_SECRET is not set; it is required unless SLACK_APP_TOKEN selects Socket Mode. ${createApp}, then copy Basic Information → App Credentials → Signing Secret.`,
      expected: "the app's signing secret (32 hex characters)",
      example: "SLACK_SIGNING_SECRET=<Signing Secret from Basic Information>",
    });
  }
  if (slackAppToken !== undefined) checkAppToken(slackAppToken, report);
  return { slackMode, slackBotToken: slackBotToken ?? "", slackSigningSecret, slackAppToken };
}

function checkBotToken(token: string | undefined, createApp: string, report: Report): void {
  const where = "OAuth & Permissions → Bot User OAuth Token";
  if (token === undefined) {
    report({
      path: "SLACK_BOT_TOKEN",
      message: `SLACK_BOT_TOKEN is not set. ${createApp}, then copy ${where}.`,
      expected: "a bot token starting with xoxb-",
      example: "SLACK_BOT_TOKEN=xoxb-…",
    });
  } else if (!token.startsWith("xoxb-")) {
    report({
      path: "SLACK_BOT_TOKEN",
      message: `SLACK_BOT_TOKEN does not start with xoxb- (${describePrefix(token)}). An xapp- token belongs in SLACK_APP_TOKEN; xoxp- is a user token. Copy ${where}.`,
      expected: "a bot token starting with xoxb-",
      example: "SLACK_BOT_TOKEN=xoxb-…",
    });
  }
}

function checkAppToken(token: string, report: Report): void {
  if (token.startsWith("xapp-")) return;
  report({
    path: "SLACK_APP_TOKEN",
    message: `SLACK_APP_TOKEN does not start with xapp- (${describePrefix(token)}). Generate an app-level token under Basic Information → App-Level Tokens with the connections:write scope, or unset SLACK_APP_TOKEN to receive events over HTTP at /slack/events.`,
    expected: "an app-level token starting with xapp-",
    example: "SLACK_APP_TOKEN=xapp-…",
  });
}

// Names only a well-known public prefix, so a secret pasted into the wrong variable never leaks.
function describePrefix(token: string): string {
  const prefix = /^(xox[abpe]|xapp)-/.exec(token)?.[0];
  return prefix ? `it starts with ${prefix}` : "it does not look like a Slack token";
}
