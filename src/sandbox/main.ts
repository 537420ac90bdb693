import { join } from "node:path";
import { createLogger, type LogLevel } from "../logger.ts";
import { SAMPLE_FEED_PATH } from "./sample-feed.ts";
import { EXAMPLE_CONFIG_PATH, SANDBOX_CONFIG_PATH, SANDBOX_DATA_DIR } from "./sandbox-config.ts";
import { readPort, SANDBOX_DEFAULT_PORT } from "./sandbox-port.ts";
import { SANDBOX_STATE_FILE } from "./sandbox-store.ts";
import { SLACK_WORKSPACE_PATH } from "./slack-workspace.ts";
import {
  ALL_PROBLEMS_OPTION,
  describeProblems,
  SandboxStartError,
  SHOWN_PROBLEMS,
} from "./start-errors.ts";
import { type RunningSandbox, startSandbox } from "./start-sandbox.ts";
import { workspaceNote } from "./workspace-note.ts";

/**
 * `npm run sandbox [-- --reset]`: Switchboard in a browser page that looks and behaves like
 * Slack, with no Slack workspace. The real bot (startSwitchboard, as `npm start`) runs on the
 * embedded database against the local Slack double; the page shows what the double holds and
 * sends every click as Slack would. Exit code 2 for anything to fix first.
 */

const EXIT_FIX_FIRST = 2;

const OPTIONS = ["--reset", ALL_PROBLEMS_OPTION];

const HELP = `npm run sandbox [-- --reset] [-- ${ALL_PROBLEMS_OPTION}]

  --reset          start from an empty workspace and database
  ${ALL_PROBLEMS_OPTION}   list every mistake in the config files (the first ${SHOWN_PROBLEMS} otherwise)

Environment (all optional):
  PORT                the page's port (default ${SANDBOX_DEFAULT_PORT}, at most 65534); the bot's intake API uses the next one (default ${SANDBOX_DEFAULT_PORT + 1})
  DATA_DIR            where the database and the Slack workspace are kept (default ${SANDBOX_DATA_DIR})
  DATABASE_URL        a PostgreSQL server instead of the embedded database
  SWITCHBOARD_CONFIG  the sandbox's people, SLA windows and escalation (default sandbox/switchboard.yaml),
                      laid over the routing, priority and kind rules of ${EXAMPLE_CONFIG_PATH}
  SANDBOX_WORKSPACE   the pretend Slack workspace: people and channels (default ${SLACK_WORKSPACE_PATH})
  INTAKE_TOKENS       the intake API's token (default: a fixed sandbox token)
  LOG_LEVEL           debug, info, warn or error (default)`;

function fail(message: string): never {
  console.error(message);
  process.exit(EXIT_FIX_FIRST);
}

function readLogLevel(value: string | undefined): LogLevel {
  // The bot's warnings (Slack's rate limits during a fast replay) would flood the terminal.
  const level = (value?.trim() || "error").toLowerCase();
  if (level === "debug" || level === "info" || level === "warn" || level === "error") return level;
  fail(`Cannot start the sandbox: LOG_LEVEL "${value}" is not one of debug, info, warn, error`);
}

const DAY_MS = 86_400_000;

/** A value as a shell word: quoted when it holds anything but plain path characters. */
function shellWord(value: string): string {
  return /^[\w./:@-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * The command that prints this sandbox's SLA report for the last seven days: npm run report
 * with --sandbox, and the settings this run was given that it reads too (never DATABASE_URL,
 * which may hold a password: the report reads it from the environment as the sandbox did).
 */
function reportCommand(env: NodeJS.ProcessEnv, today: Date): string {
  const settings = ["DATA_DIR", "SWITCHBOARD_CONFIG"]
    .map((name) => [name, env[name]?.trim()] as const)
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}=${shellWord(value ?? "")} `)
    .join("");
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const from = new Date(today.getTime() - 6 * DAY_MS);
  return `${settings}npm run report -- --sandbox --from ${day(from)} --to ${day(today)}`;
}

function banner(s: RunningSandbox, dataDir: string, usesPostgres: boolean): string {
  const where = usesPostgres ? "PostgreSQL (DATABASE_URL)" : `an embedded database in ${dataDir}`;
  const restored = workspaceNote({
    restored: s.restored,
    orphanedThreads: s.orphanedThreads,
    uncheckedReason: s.uncheckedReason,
    stateFile: join(dataDir, SANDBOX_STATE_FILE),
    usesPostgres,
  });
  return `
Switchboard sandbox is running: the real bot on ${where},
talking to a local stand-in for Slack. Nothing leaves this machine.
${restored}

  Open ${s.url} in your browser.

For scripts, the intake API is at ${s.botUrl} (token ${s.intakeToken}):
  curl -sS ${s.botUrl}/api/v1/complaints -H "Authorization: Bearer ${s.intakeToken}" \\
    -H "Content-Type: application/json" \\
    -d '{"source":"twitter","externalId":"1","text":"You lost my bag in Denver!","author":{"handle":"jane","followers":12000}}'

Its SLA report, the figures of npm run report, ${usesPostgres ? "with the same DATABASE_URL" : "once the sandbox is stopped (its embedded database takes one process at a time)"}:
  ${reportCommand(process.env, new Date())}

Stop with Ctrl-C; the workspace is kept in ${dataDir} for next time.
`;
}

/** What to print for a refusal: config problems up to SHOWN_PROBLEMS, unless asked for all. */
function refusal(error: SandboxStartError, allProblems: boolean): string {
  if (!error.problems) return error.message;
  return describeProblems(error.problems, allProblems ? Infinity : SHOWN_PROBLEMS);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(HELP);
    return;
  }
  const unknown = args.find((a) => !OPTIONS.includes(a));
  if (unknown)
    fail(
      `Cannot start the sandbox: unknown option ${unknown}; the options are ${OPTIONS.join(" and ")}`,
    );
  const env = process.env;
  const dataDir = env.DATA_DIR?.trim() || SANDBOX_DATA_DIR;
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const logger = createLogger(readLogLevel(env.LOG_LEVEL));
  let sandbox: RunningSandbox;
  try {
    sandbox = await startSandbox({
      configPath: env.SWITCHBOARD_CONFIG?.trim() || SANDBOX_CONFIG_PATH,
      workspacePath: env.SANDBOX_WORKSPACE?.trim() || SLACK_WORKSPACE_PATH,
      samplePath: SAMPLE_FEED_PATH,
      dataDir,
      databaseUrl,
      host: "127.0.0.1",
      port: readPort(env.PORT),
      reset: args.includes("--reset"),
      intakeToken: env.INTAKE_TOKENS?.split(",")[0]?.trim() || "sandbox-intake-token-0000",
      logger,
    });
  } catch (error) {
    if (error instanceof SandboxStartError)
      fail(refusal(error, args.includes(ALL_PROBLEMS_OPTION)));
    throw error;
  }
  console.log(banner(sandbox, dataDir, databaseUrl !== undefined));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sandbox.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

await main();
