import { randomBytes } from "node:crypto";
import { ConfigError } from "./config/config-error.ts";
import type { Env } from "./config/env.ts";
import { loadWorkspaceConfig } from "./config/load-workspace.ts";
import type { WorkspaceConfig } from "./config/workspace-types.ts";
import { DataDirInUseError } from "./db/data-dir-lock.ts";
import { createLogger } from "./logger.ts";
import { type SlackDouble, type StoredMessage, startSlackDouble } from "./slack-double/index.ts";
import { PortUnavailableError, startSwitchboard } from "./switchboard.ts";

/**
 * `npm run sandbox`: the real bot on an embedded database, talking to the local Slack
 * double instead of Slack, so anyone can try it without a workspace. Messages the bot
 * "posts to Slack" are printed here.
 */
const configPath = process.env.SWITCHBOARD_CONFIG ?? "switchboard.example.yaml";
const port = Number(process.env.PORT ?? 3000);
const intakeToken = process.env.INTAKE_TOKENS?.split(",")[0]?.trim() || "sandbox-intake-token-0000";

function channelsOf(workspace: WorkspaceConfig) {
  return workspace.departments.map((d, i) => {
    const named = d.channel.startsWith("#");
    return {
      id: named ? `C0SANDBOX${i}` : d.channel,
      name: named ? d.channel.slice(1) : d.channel.toLowerCase(),
    };
  });
}

function usersOf(workspace: WorkspaceConfig) {
  const ids = new Set([
    ...workspace.departments.flatMap((d) => d.leads),
    ...workspace.admins,
    ...workspace.executives.map((e) => e.user),
  ]);
  return [...ids].map((id) => ({ id, name: id.toLowerCase() }));
}

function show(double: SlackDouble, message: StoredMessage, seen: Map<string, number>): void {
  const key = `${message.channel}/${message.ts}`;
  if (seen.get(key) === message.updatedCount) return;
  const verb = seen.has(key) ? "updated" : message.threadTs ? "reply" : "posted";
  seen.set(key, message.updatedCount);
  const channel =
    double.calls.find((c) => c.response?.channel === message.channel)?.args.channel ??
    message.channel;
  console.log(
    `\n[slack ${verb} in ${String(channel)}${message.threadTs ? ` thread ${message.threadTs}` : ""}]\n${message.text}`,
  );
}

function printWelcome(url: string, doubleUrl: string): void {
  console.log(`
Switchboard sandbox is running: ${url}
  config        ${configPath}
  Slack double  ${doubleUrl}  (a local stand-in for Slack: nothing leaves this machine)
  intake token  ${intakeToken}

Send a complaint:
  curl -sS ${url}/api/v1/complaints -H "Authorization: Bearer ${intakeToken}" \\
    -H "Content-Type: application/json" \\
    -d '{"source":"twitter","externalId":"1","text":"You lost my bag in Denver!","author":{"handle":"jane","followers":12000}}'

Health: curl -sS ${url}/healthz        Stop: Ctrl-C
`);
}

async function main(): Promise<void> {
  let workspace: WorkspaceConfig;
  try {
    workspace = loadWorkspaceConfig(configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  const double = await startSlackDouble({
    channels: channelsOf(workspace),
    users: usersOf(workspace),
  });
  const env: Env = {
    slackMode: "http",
    slackBotToken: double.config.botToken,
    slackSigningSecret: randomBytes(16).toString("hex"),
    slackApiUrl: double.apiUrl,
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATA_DIR ?? "./data/sandbox",
    port,
    switchboardConfig: configPath,
    intakeTokens: [intakeToken],
    logLevel: (process.env.LOG_LEVEL as Env["logLevel"]) ?? "warn",
  };
  const running = await startSwitchboard({
    env,
    workspace,
    logger: createLogger(env.logLevel),
    host: "127.0.0.1",
  }).catch((error: unknown) => {
    if (error instanceof DataDirInUseError || error instanceof PortUnavailableError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  });
  printWelcome(running.url, double.url);
  const seen = new Map<string, number>();
  const timer = setInterval(() => {
    for (const message of double.messages()) show(double, message, seen);
  }, 250);
  const stop = async () => {
    clearInterval(timer);
    await running.stop();
    await double.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

await main();
