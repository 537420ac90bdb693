import { ConfigError } from "./config/config-error.ts";
import { type Env, loadEnv } from "./config/env.ts";
import { loadWorkspaceConfig } from "./config/load-workspace.ts";
import type { WorkspaceConfig } from "./config/workspace-types.ts";
import { DataDirInUseError } from "./db/data-dir-lock.ts";
import { createLogger } from "./logger.ts";
import { startSwitchboard } from "./switchboard.ts";

/** Exit code for "fix your configuration": the process never touched Slack or the database. */
const EXIT_CONFIG = 2;

function loadConfiguration(): { env: Env; workspace: WorkspaceConfig } {
  const problems: string[] = [];
  let env: Env | undefined;
  let workspace: WorkspaceConfig | undefined;
  try {
    env = loadEnv(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  try {
    workspace = loadWorkspaceConfig(
      env?.switchboardConfig ?? process.env.SWITCHBOARD_CONFIG ?? "./switchboard.yaml",
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  if (!env || !workspace) {
    console.error(
      `Switchboard cannot start: its configuration needs fixing.\n\n${problems.join("\n\n")}`,
    );
    process.exit(EXIT_CONFIG);
  }
  return { env, workspace };
}

async function main(): Promise<void> {
  const { env, workspace } = loadConfiguration();
  const logger = createLogger(env.logLevel);
  let running: Awaited<ReturnType<typeof startSwitchboard>>;
  try {
    running = await startSwitchboard({ env, workspace, logger });
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      console.error(error.message);
      process.exit(EXIT_CONFIG);
    }
    const code = (error as { code?: string }).code;
    const slackError = (error as { data?: { error?: string } }).data?.error;
    if (
      slackError === "invalid_auth" ||
      slackError === "not_authed" ||
      slackError === "token_revoked"
    ) {
      console.error(
        `Slack refused SLACK_BOT_TOKEN (${slackError}). Copy the Bot User OAuth Token (xoxb-…) from your app's "OAuth & Permissions" page at https://api.slack.com/apps.`,
      );
      process.exit(EXIT_CONFIG);
    }
    logger.error("switchboard.start_failed", { error, code });
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("switchboard.stopping", { signal });
    await running.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
