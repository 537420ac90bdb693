import { ConfigError } from "./config/config-error.ts";
import { unreadDotenvHint } from "./config/dotenv-hint.ts";
import { type Env, loadEnv } from "./config/env.ts";
import { loadWorkspaceConfig } from "./config/load-workspace.ts";
import type { WorkspaceConfig } from "./config/workspace-types.ts";
import { DataDirInUseError } from "./db/data-dir-lock.ts";
import { createLogger } from "./logger.ts";
import { SlackRefusedError } from "./slack/slack-connection.ts";
import { PortUnavailableError, startSwitchboard } from "./switchboard.ts";

/** Exit code for "fix your configuration" (settings, a port in use, a token Slack refuses): a restart as is fails again. */
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
    const hint = unreadDotenvHint(error.issues);
    if (hint) problems.push(hint);
  }
  try {
    workspace = loadWorkspaceConfig(
      // Read like loadEnv reads it (trimmed, empty is unset), even when the rest of it failed.
      env?.switchboardConfig ?? (process.env.SWITCHBOARD_CONFIG?.trim() || "./switchboard.yaml"),
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

/** What to tell the operator when Slack refuses the token. */
function refusalMessage(error: SlackRefusedError): string {
  return `Slack refused SLACK_BOT_TOKEN (${error.slackError}). Copy the Bot User OAuth Token (xoxb-…) from your app's "OAuth & Permissions" page at https://api.slack.com/apps, and check the app is still installed in the workspace.`;
}

async function main(): Promise<void> {
  const { env, workspace } = loadConfiguration();
  const logger = createLogger(env.logLevel);
  let running: Awaited<ReturnType<typeof startSwitchboard>>;
  try {
    running = await startSwitchboard({ env, workspace, logger });
  } catch (error) {
    if (error instanceof DataDirInUseError || error instanceof PortUnavailableError) {
      console.error(error.message);
      process.exit(EXIT_CONFIG);
    }
    if (error instanceof SlackRefusedError) {
      console.error(refusalMessage(error));
      process.exit(EXIT_CONFIG);
    }
    logger.error("switchboard.start_failed", { error });
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info("switchboard.stopping", { signal });
    await running.stop();
    process.exit(code);
  };
  // Started while Slack was unreachable, then Slack answered and refused the token.
  running.slackConnection.onRefused((error) => {
    console.error(refusalMessage(error));
    void shutdown("slack_refused", EXIT_CONFIG);
  });
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
