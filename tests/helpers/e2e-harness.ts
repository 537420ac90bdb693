import type { Env } from "../../src/config/env.ts";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import { type DatabaseHandle, type DatabaseTimeouts, openDatabase } from "../../src/db/client.ts";
import { createLogger, type Logger, silentLogger } from "../../src/logger.ts";
import type { SlackDriver } from "../../src/slack-double/index.ts";
import {
  GENEROUS_RATE_LIMITS,
  type SlackDouble,
  type SlackDoubleOptions,
  startSlackDouble,
} from "../../src/slack-double/index.ts";
import {
  type RunningSwitchboard,
  type SwitchboardOptions,
  startSwitchboard,
} from "../../src/switchboard.ts";
import { type SlackAnswerHook, startSlackRelay } from "./slack-relay.ts";
import { switchboardApp } from "./switchboard-app.ts";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";
import { createTestDatabase, type TestDatabase } from "./test-database.ts";
import { CHANNELS, PEOPLE, testWorkspace } from "./workspace-fixture.ts";

export const SIGNING_SECRET = "e2e-signing-secret-0123456789abcdef";
export const INTAKE_TOKEN = "e2e-intake-token-0123456789abcdef";

/** How Slack reaches the bot: signed HTTP requests to /slack/events, or Socket Mode. */
export type SlackTransport = "http" | "socket";

/** Both transports, for `describe.each(TRANSPORTS)`. */
export const TRANSPORTS: readonly SlackTransport[] = ["http", "socket"];

/** Env for a bot that talks to the double, over HTTP or Socket Mode; any free port. */
export function testEnv(double: SlackDouble, transport: SlackTransport = "http"): Env {
  const slack =
    transport === "socket"
      ? { slackMode: "socket" as const, slackAppToken: double.config.appToken }
      : { slackMode: "http" as const, slackSigningSecret: SIGNING_SECRET };
  return {
    ...slack,
    slackBotToken: double.config.botToken,
    slackApiUrl: double.apiUrl,
    port: 0,
    intakeTokens: [INTAKE_TOKEN],
    dataDir: "unused",
    switchboardConfig: "unused",
    logLevel: "error",
  };
}

export interface E2E {
  double: SlackDouble;
  /** The test's own connection (never through the proxy). */
  db: TestDatabase;
  /** With `proxyDatabase`: the proxy between the bots and PostgreSQL. */
  proxy: TcpProxy | null;
  bot: RunningSwitchboard;
  driver: SlackDriver;
  /** POSTs JSON to the bot with the intake token (or the given headers). */
  request(
    path: string,
    init?: { body?: unknown; rawBody?: string; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: tests read whichever JSON shape the endpoint answers
  ): Promise<{ status: number; json: any }>;
  /** Starts another replica of the bot on the same database and double. */
  startReplica(overrides?: { timers?: boolean }): Promise<RunningSwitchboard>;
  stop(): Promise<void>;
}

export interface E2EOptions {
  /** How the double's driver reaches the bot (default http). */
  transport?: SlackTransport;
  workspace?: WorkspaceConfig;
  double?: SlackDoubleOptions;
  outbox?: SwitchboardOptions["outbox"];
  clock?: SwitchboardOptions["clock"];
  /** false: no scheduled timer sweep; the test calls bot.sweepTimers(). */
  timers?: boolean;
  /** Bots reach PostgreSQL through a proxy the test can freeze or cut (e2e.proxy). */
  proxyDatabase?: boolean;
  /** The bots' database bounds (with proxyDatabase). */
  databaseTimeouts?: Partial<DatabaseTimeouts>;
  /** Bots reach the double through a relay that calls this with each answer first. */
  onSlackAnswer?: SlackAnswerHook;
  /** Where the bots log (default: nowhere); see capturedLogs. */
  logger?: Logger;
}

/** A logger that keeps what the bot logs at warn and above, parsed, for a test to read. */
export function capturedLogs(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return { logger: createLogger("warn", (line) => lines.push(JSON.parse(line))), lines };
}

/** Fast retry timing, so outage tests take milliseconds, not minutes. */
const FAST_OUTBOX = { pollMs: 20, baseBackoffMs: 20, maxBackoffMs: 200 };

/** The real bot (HTTP server, Bolt, outbox worker) on a fresh database, against the Slack double. */
export async function startE2E(options: E2EOptions = {}): Promise<E2E> {
  const transport = options.transport ?? "http";
  const double = await startSlackDouble({
    // The bot's token holds what its manifest asks for, no more.
    ...switchboardApp(transport),
    channels: [
      { id: CHANNELS.service, name: "sb-service", members: [PEOPLE.alice, PEOPLE.bob] },
      { id: CHANNELS.baggage, name: "sb-baggage", members: [PEOPLE.alice, PEOPLE.bob] },
      { id: CHANNELS.pr, name: "sb-pr", members: [PEOPLE.outsider] },
      { id: CHANNELS.exec, name: "sb-exec", members: [PEOPLE.lead, PEOPLE.admin] },
    ],
    users: Object.entries(PEOPLE).map(([name, id]) => ({ id, name })),
    // Generous by default; rate-limit tests set their own.
    rateLimits: GENEROUS_RATE_LIMITS,
    ...options.double,
  });
  const db = await createTestDatabase();
  const proxy = options.proxyDatabase ? await startTcpProxy(db.url) : null;
  const botDb: DatabaseHandle = proxy
    ? await openDatabase({
        url: proxy.via(db.url),
        dataDir: "unused",
        maxConnections: 30,
        ...(options.databaseTimeouts ? { timeouts: options.databaseTimeouts } : {}),
      })
    : db;
  const relay = options.onSlackAnswer
    ? await startSlackRelay(double.apiUrl, options.onSlackAnswer)
    : null;
  const env = { ...testEnv(double, transport), ...(relay ? { slackApiUrl: relay.apiUrl } : {}) };
  const replicas: RunningSwitchboard[] = [];
  const start = async (overrides: { timers?: boolean } = {}) => {
    const bot = await startSwitchboard({
      env,
      workspace: options.workspace ?? testWorkspace(),
      logger: options.logger ?? silentLogger,
      host: "127.0.0.1",
      db: botDb,
      outbox: { ...FAST_OUTBOX, ...options.outbox },
      ...(options.clock ? { clock: options.clock } : {}),
      timers: overrides.timers ?? options.timers ?? true,
    });
    replicas.push(bot);
    return bot;
  };
  const bot = await start();
  return {
    double,
    db,
    proxy,
    bot,
    driver:
      transport === "socket"
        ? double.socketDriver()
        : double.driver(`${bot.url}/slack/events`, SIGNING_SECRET),
    async request(path, init = {}) {
      const res = await fetch(`${bot.url}${path}`, {
        method: init.body === undefined && init.rawBody === undefined ? "GET" : "POST",
        headers: {
          authorization: `Bearer ${INTAKE_TOKEN}`,
          "content-type": "application/json",
          ...init.headers,
        },
        body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: res.status, json };
    },
    startReplica: (overrides) => start(overrides),
    async stop() {
      proxy?.restore();
      for (const r of replicas) await r.stop();
      // After a cut, postgres.js keeps a failed query on its connection and would wait the
      // whole grace period for it; the bots have stopped, so nothing is in flight.
      if (botDb !== db) await botDb.close(0);
      await proxy?.close();
      await relay?.close();
      await db.destroy();
      await double.stop();
      // Slack accepts these (a message without a text fallback…) but the bot must not send them.
      if (double.problems.length > 0) {
        throw new Error(`The Slack double saw problems:\n${double.problems.join("\n")}`);
      }
    },
  };
}

/** Polls until `check` returns a truthy value (or throws when it never does). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}
