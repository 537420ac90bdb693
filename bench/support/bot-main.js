/**
 * The bot as a process of its own, for the benchmarks: what `npm start` runs, the JavaScript
 * compiled to dist/ (bot-process.ts builds it first), started the same way (the same
 * environment variables, the same workspace file, the same JSON logs on stderr) plus a few
 * controls over IPC, so a benchmark can pause the outbox worker, run a sweep, or stop it.
 * Started by `support/bot-process.ts`; never by hand.
 *
 * BENCH_WORKER=off starts with the outbox worker stopped (intake figures alone);
 * BENCH_TIMERS=off without the every-second timer job.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { loadEnv } from "../../dist/config/env.js";
import { loadWorkspaceConfig } from "../../dist/config/load-workspace.js";
import { createLogger } from "../../dist/logger.js";
import { startSwitchboard } from "../../dist/switchboard.js";

/** @typedef {import("./bot-process.ts").BotCommand} BotCommand */

const send = (/** @type {unknown} */ message) => process.send?.(message);

const env = loadEnv(process.env);
const workspace = loadWorkspaceConfig(env.switchboardConfig);
const bot = await startSwitchboard({
  env,
  workspace,
  logger: createLogger(env.logLevel),
  host: "127.0.0.1",
  timers: process.env.BENCH_TIMERS !== "off",
});
if (process.env.BENCH_WORKER === "off") await bot.worker.stop();

process.on("message", (/** @type {BotCommand} */ command) => {
  void handle(command).catch((error) => send({ type: "error", error: String(error) }));
});

/** @param {BotCommand} command */
async function handle(command) {
  if (command.type === "stop") {
    await bot.stop();
    send({ type: "stopped" });
    // A normal exit, so --cpu-prof writes its profile.
    process.exit(0);
  }
  if (command.type === "worker") {
    if (command.on) bot.worker.start();
    else await bot.worker.stop();
    send({ type: "worker", on: command.on });
  }
  if (command.type === "sweep") send({ type: "swept", ...(await bot.sweepTimers()) });
  if (command.type === "profile") send({ type: "profiled", file: await profile(command.file) });
}

/**
 * V8's CPU profiler, the one `node --cpu-prof` runs, started and stopped on request, so a
 * profile covers the measured load and not the start-up (module compilation, the rules'
 * first regex compilations). `file` null starts it; a path stops it and writes the
 * .cpuprofile there (open it in Chrome DevTools or speedscope).
 */
/** @type {Session | null} */
let session = null;
/** @param {string | null} file */
async function profile(file) {
  if (file === null) {
    session = new Session();
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
    return null;
  }
  if (!session) throw new Error("profile stopped before it started");
  const { profile: data } = await session.post("Profiler.stop");
  writeFileSync(file, JSON.stringify(data));
  session.disconnect();
  session = null;
  return file;
}

process.on("SIGTERM", () => void bot.stop().then(() => process.exit(0)));
// The benchmark that started us is gone (killed): stop too.
process.on("disconnect", () => void bot.stop().then(() => process.exit(0)));
send({ type: "ready", url: bot.url, pid: process.pid });
