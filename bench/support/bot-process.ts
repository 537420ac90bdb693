import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDist } from "../../scripts/build-dist.ts";
import type { Scope } from "./lifecycle.ts";
import { processCpuMs, residentBytes } from "./machine.ts";

const SUPPORT_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(SUPPORT_DIR, "../..");

/** What `bot-main.js` takes over IPC. */
export type BotCommand =
  | { type: "stop" }
  | { type: "worker"; on: boolean }
  | { type: "sweep" }
  | { type: "profile"; file: string | null };

/** What a bot process needs to know: its database, its Slack, its workspace file. */
export interface BotProcessOptions {
  databaseUrl: string;
  slackApiUrl: string;
  slackBotToken: string;
  workspaceFile: string;
  /** Where its JSON log lines go (stderr); production keeps them too. */
  logFile: string;
  logLevel?: "debug" | "info" | "warn" | "error";
  worker?: boolean;
  timers?: boolean;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Extra environment, e.g. DATABASE_POOL_SIZE. */
  env?: Record<string, string>;
}

/** A running bot process: `npm start`'s code in its own process, controlled over IPC. */
export interface BotProcess {
  url: string;
  pid: number;
  intakeToken: string;
  send(command: BotCommand): Promise<Record<string, unknown>>;
  /** Resident memory (VmRSS) now, in bytes. */
  rss(): number;
  /** CPU time (user + system) used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** Starts a bot process and waits until it serves requests; the scope stops it. */
export async function startBotProcess(
  scope: Scope,
  options: BotProcessOptions,
): Promise<BotProcess> {
  buildOnce();
  const intakeToken = randomBytes(16).toString("hex");
  const log = openSync(options.logFile, "a");
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), join(SUPPORT_DIR, "bot-main.js")],
    {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: options.databaseUrl,
        SLACK_API_URL: options.slackApiUrl,
        SLACK_BOT_TOKEN: options.slackBotToken,
        SLACK_SIGNING_SECRET: randomBytes(16).toString("hex"),
        INTAKE_TOKENS: intakeToken,
        SWITCHBOARD_CONFIG: options.workspaceFile,
        PORT: "0",
        LOG_LEVEL: options.logLevel ?? "info",
        BENCH_WORKER: options.worker === false ? "off" : "on",
        BENCH_TIMERS: options.timers === false ? "off" : "on",
        ...options.env,
      },
      stdio: ["ignore", log, log, "ipc"],
    },
  );
  closeSync(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  scope.defer(child, `bot process ${child.pid}`, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send({ type: "stop" } satisfies BotCommand);
    const timeout = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timeout);
  });
  const ready = await nextMessage(child, "ready", 60_000, options.logFile);
  const pid = child.pid ?? 0;
  return {
    url: String(ready.url),
    pid,
    intakeToken,
    async send(command) {
      const answer = { stop: "stopped", worker: "worker", sweep: "swept", profile: "profiled" }[
        command.type
      ];
      const reply = nextMessage(child, answer, 120_000, options.logFile);
      child.send(command);
      return reply;
    },
    rss: () => residentBytes(pid),
    cpuMs: () => processCpuMs(pid),
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ type: "stop" } satisfies BotCommand);
      await exited;
    },
  };
}

let built = false;
/** `npm start` builds dist/ first; so does a benchmark, once, before its first bot. */
function buildOnce(): void {
  if (built) return;
  buildDist();
  built = true;
}

function nextMessage(
  child: ChildProcess,
  type: string,
  timeoutMs: number,
  logFile: string,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`bot gave no "${type}" in ${timeoutMs} ms; see ${logFile}`)),
      timeoutMs,
    );
    const onMessage = (m: Record<string, unknown>) => {
      if (m.type === type) done(undefined, m);
      else if (m.type === "error") done(new Error(`bot: ${String(m.error)}`));
    };
    const onExit = (code: number | null) =>
      done(new Error(`bot exited (${code}) before "${type}"; see ${logFile}`));
    function done(error?: Error, message?: Record<string, unknown>) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(message ?? {});
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}
