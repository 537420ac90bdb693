import { createWriteStream } from "node:fs";
import { join } from "node:path";
import type { Scope } from "../../../bench/support/lifecycle.ts";
import type { SlackDouble } from "../../../src/slack-double/index.ts";
import { freePort, startBot } from "../../helpers/bot-process.ts";
import { until } from "./wait.ts";

/** The intake token every fault-suite bot accepts. */
export const FAULT_TOKEN = "fault-suite-intake-token-0123456789";

/** What every bot of one scenario shares: its workspace file, database and Slack. */
export interface BotSetup {
  configPath: string;
  databaseUrl: string;
  slackApiUrl: string;
  double: SlackDouble;
  /** Where each bot's log (JSON lines) is written. */
  runDir: string;
}

/** The setup of a scenario's bots: its workspace file and Slack double, a database, its run folder. */
export function botSetup(
  runDir: string,
  workspace: { configPath: string },
  double: SlackDouble,
  databaseUrl: string,
): BotSetup {
  return {
    configPath: workspace.configPath,
    databaseUrl,
    slackApiUrl: double.apiUrl,
    double,
    runDir,
  };
}

/** A bot started as `npm start` starts it, in its own process. */
export interface FaultBot {
  name: string;
  url: string;
  pid: number;
  /** False once the process has exited. */
  readonly alive: boolean;
  exited: Promise<number | null>;
  output(): string;
  /** SIGKILL: no shutdown, no last write. */
  kill(): Promise<void>;
  /** SIGTERM and wait: the graceful stop. */
  stop(): Promise<void>;
}

/** The two bots most scenarios run side by side, bot-a and bot-b, one after the other. */
export async function launchTwoBots(scope: Scope, setup: BotSetup): Promise<FaultBot[]> {
  return [await launchBot(scope, setup, "bot-a"), await launchBot(scope, setup, "bot-b")];
}

/**
 * Starts a bot process (`node dist/main.js`, exactly `npm start`'s command; the suite builds dist/ first) and
 * waits until its /healthz answers as a started bot (not "starting"). Its log goes to
 * `<runDir>/<name>.log`; the scope kills it if the scenario has not stopped it.
 */
export async function launchBot(
  scope: Scope,
  setup: BotSetup,
  name: string,
  extraEnv: Record<string, string> = {},
): Promise<FaultBot> {
  const port = await freePort();
  const started = startBot({
    SWITCHBOARD_CONFIG: setup.configPath,
    DATABASE_URL: setup.databaseUrl,
    SLACK_BOT_TOKEN: setup.double.config.botToken,
    SLACK_SIGNING_SECRET: "fault-suite-signing-secret",
    SLACK_API_URL: setup.slackApiUrl,
    INTAKE_TOKENS: FAULT_TOKEN,
    PORT: String(port),
    LOG_LEVEL: "warn",
    ...extraEnv,
  });
  const log = createWriteStream(join(setup.runDir, `${name}.log`));
  started.child.stdout?.pipe(log);
  started.child.stderr?.pipe(log);
  let alive = true;
  const exited = started.exited.then((code) => {
    alive = false;
    return code;
  });
  const url = `http://127.0.0.1:${port}`;
  const bot: FaultBot = {
    name,
    url,
    pid: started.child.pid ?? 0,
    get alive() {
      return alive;
    },
    exited,
    output: started.output,
    async kill() {
      if (alive) started.child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (alive) started.child.kill("SIGTERM");
      await exited;
    },
  };
  scope.defer(bot, `bot ${name}`, (b) => b.kill());
  await until(
    async () => {
      if (!alive) throw new Error(`bot ${name} exited while starting:\n${tail(bot.output())}`);
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(
        () => null,
      );
      const body = (await res?.json().catch(() => null)) as { database?: unknown } | null;
      return body?.database !== undefined;
    },
    `bot ${name} to start`,
    90_000,
  );
  return bot;
}

/** The last lines of a log, for an error message. */
export function tail(text: string, lines = 15): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
