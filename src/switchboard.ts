import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import express from "express";
import type { Env } from "./config/env.ts";
import type { WorkspaceConfig } from "./config/workspace-types.ts";
import { type DatabaseHandle, openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { checkReachable } from "./db/reachability.ts";
import { campaignRoutes } from "./http/campaign-routes.ts";
import { errorMiddleware, sendError } from "./http/errors.ts";
import { healthRoute } from "./http/health-route.ts";
import { apiFallback, intakeRoutes } from "./http/intake-routes.ts";
import { reportRoutes } from "./http/report-routes.ts";
import { startJob, sweepTimersJob } from "./jobs/sweep-timers-job.ts";
import { startWorkspaceJobs } from "./jobs/workspace-jobs.ts";
import type { Logger } from "./logger.ts";
import { type Clock, systemClock } from "./services/context.ts";
import { ensureDigestSchedules } from "./services/digest-timers.ts";
import { showFailedDelivery } from "./services/show-failed-delivery.ts";
import { sweepTimers } from "./services/sweep-timers.ts";
import { ActorDirectory } from "./slack/actor-directory.ts";
import { createSlackApp, webClientOptions } from "./slack/app.ts";
import { findChannelProblems } from "./slack/check-channels.ts";
import { createDeliveryHandlers, EDIT_KINDS } from "./slack/deliveries.ts";
import { HeldMethodsClient } from "./slack/held-methods-client.ts";
import { registerListeners } from "./slack/listeners/index.ts";
import { slackMemberCheck } from "./slack/member-check.ts";
import { OutboxWorker, type OutboxWorkerOptions } from "./slack/outbox-worker.ts";
import { clearWhatWorked, recordFailureProblem } from "./slack/setup-problem-hooks.ts";
import { SetupProblems } from "./slack/setup-problems.ts";
import { SlackConnection, type SlackConnectionOptions } from "./slack/slack-connection.ts";

export interface SwitchboardOptions {
  env: Env;
  workspace: WorkspaceConfig;
  logger: Logger;
  clock?: Clock;
  /** Interface to listen on; default all (a bare port binds every interface). */
  host?: string;
  /** Tuning for the delivery worker (tests shorten the backoff). */
  outbox?: Partial<Omit<OutboxWorkerOptions, "db" | "handlers" | "clock" | "logger">>;
  /** false: no scheduled timer sweep (tests with a fake clock sweep by hand). */
  timers?: boolean;
  /** Use an already open database instead of opening env.databaseUrl / env.dataDir. */
  db?: DatabaseHandle;
  /** Retry timing while Slack is unreachable (tests shorten it). */
  slackRetry?: Pick<SlackConnectionOptions, "baseRetryMs" | "maxRetryMs">;
}

export interface RunningSwitchboard {
  url: string;
  port: number;
  db: DatabaseHandle;
  slack: App;
  /** Whether Slack has accepted the token; retried in the background while unreachable. */
  slackConnection: SlackConnection;
  worker: OutboxWorker;
  /** Runs one timer sweep now (the job runs it every second). */
  sweepTimers(): Promise<{ fired: number; subjects: number }>;
  stop(): Promise<void>;
}

/** The HTTP port cannot be used: one clear sentence, and nothing was created. */
export class PortUnavailableError extends Error {
  constructor(port: number, code: string | undefined) {
    super(
      code === "EACCES"
        ? `Switchboard cannot listen on port ${port}: it needs privileges. Set PORT to a port above 1023.`
        : `Switchboard cannot listen on port ${port}: it is already in use (another Switchboard, or another program). Stop that, or set PORT to a free port.`,
    );
    this.name = "PortUnavailableError";
  }
}

function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE" || error.code === "EACCES"
          ? new PortUnavailableError(port, error.code)
          : error,
      ),
    );
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections(); // keep-alive sockets would hold close() open
  return closed;
}

/** Logs each configured channel the bot cannot post to, with what to do about it. */
async function reportChannelProblems(
  client: WebClient,
  workspace: WorkspaceConfig,
  logger: Logger,
): Promise<void> {
  try {
    for (const problem of await findChannelProblems(client, workspace)) {
      logger.warn("slack.channel_problem", { ...problem });
    }
  } catch (error) {
    logger.warn("slack.channel_check_failed", { error: String(error) });
  }
}

/**
 * Starts the whole bot: HTTP server (intake API, health, and Slack's /slack/events in HTTP
 * mode), database (migrated), the Slack app, and the outbox worker. Returns a handle that
 * stops them in reverse order.
 *
 * The port is bound first, so a port in use stops the start before anything is created on
 * disk. Slack being unreachable does not stop it: complaints are taken and queued while the
 * connection is retried; a token Slack refuses does (SlackRefusedError), and so does a
 * PostgreSQL server it cannot reach or that refuses it (DatabaseUnreachableError, whose
 * message names DATABASE_URL's host and port).
 */
export async function startSwitchboard(options: SwitchboardOptions): Promise<RunningSwitchboard> {
  const { env, workspace, logger } = options;
  const clock = options.clock ?? systemClock;
  const http = express();
  http.disable("x-powered-by");
  // Express hashes every response body for an ETag, POSTs included; no client of this API
  // revalidates (about 1% of the bot's time filing complaints: `npm run bench -- intake --profile`).
  http.set("etag", false);
  let ready = false;
  http.use((_req, res, next) => {
    if (ready) return next();
    res.set("Retry-After", "1");
    sendError(res, 503, "starting", "Switchboard is starting; retry in a moment");
  });
  const server = createServer(http);
  const port = await listen(server, env.port, options.host);
  let db: DatabaseHandle | undefined = options.db;
  const ownsDb = !options.db;
  let slackConnection: SlackConnection | undefined;
  try {
    if (!db) {
      db = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir });
      // A server that is down or refuses us is named as DATABASE_URL's, not as a failed migration.
      await checkReachable(db);
    }
    const database = db;
    await migrateDatabase(database);
    // Before the first sweep: an executive's next digest is planned, a missed one kept due.
    await ensureDigestSchedules(
      { db: database, clock, logger, actor: { type: "system" } },
      workspace,
    );
    const setup = new SetupProblems(database, workspace.admins, () => clock.now(), logger);
    await setup.load();
    const recordSetupProblem = recordFailureProblem(setup, workspace);
    const slack = createSlackApp({ env, logger, http });
    const connection = SlackConnection.forApp(slack, env.slackMode === "socket", {
      logger,
      clock,
      ...options.slackRetry,
    });
    slackConnection = connection;
    // In the background: a long channel list must not hold up start-up, and a failed check
    // stops nothing (the first card to such a channel would fail and show on admins' Homes).
    connection.onFirstConnected(() => {
      void reportChannelProblems(slack.client, workspace, logger);
    });
    await connection.start();
    const worker = new OutboxWorker({
      db: database,
      clock,
      logger,
      handlers: createDeliveryHandlers({
        db: database,
        // Its own client: Slack's per-method holds bind the outbox on every replica.
        client: new HeldMethodsClient(
          env.slackBotToken,
          webClientOptions(env, logger),
          { db: database, clock },
          (method, options, result) => clearWhatWorked(setup, method, options, result),
        ),
        config: workspace,
        clock,
        logger,
        setup,
      }),
      unpacedKinds: EDIT_KINDS,
      onFailedForGood: async (tx, item, error) => {
        await showFailedDelivery(tx, workspace, item, clock.now());
        await recordSetupProblem(tx, item, error);
      },
      ...options.outbox,
    });
    registerListeners(slack, {
      db: database,
      config: workspace,
      clock,
      logger,
      // Membership answers (and Slack's Retry-After) age on the bot's clock, like everything else.
      directory: new ActorDirectory(
        slack.client,
        workspace,
        database,
        60_000,
        () => clock.now().getTime(),
        logger,
        setup,
      ),
      onQueued: () => worker.kick(),
    });
    const sweep = () =>
      sweepTimers({ db: database, clock, logger, actor: { type: "system" } }, workspace).then(
        (result) => {
          if (result.fired > 0) worker.kick();
          return result;
        },
      );
    http.use(healthRoute(database, clock, () => connection.status));
    http.use(
      intakeRoutes({
        intakeTokens: env.intakeTokens,
        policy: workspace,
        logger,
        context: (token) => ({ db: database, clock, logger, actor: { type: "intake", token } }),
        onQueued: () => worker.kick(),
      }),
    );
    http.use(reportRoutes({ tokens: env.intakeTokens, config: workspace, db: database, clock }));
    http.use(
      campaignRoutes({
        intakeTokens: env.intakeTokens,
        config: workspace,
        context: (token) => ({ db: database, clock, logger, actor: { type: "intake", token } }),
        onQueued: () => worker.kick(),
        memberExists: slackMemberCheck(slack.client, logger),
      }),
    );
    http.use(apiFallback());
    http.use(errorMiddleware(logger));
    worker.start();
    // Fires overdue timers at once after a restart, then every second.
    const timerJob = options.timers === false ? null : startJob(sweepTimersJob(sweep), logger);
    if (timerJob) void sweep().catch((error) => logger.error("timers.sweep_failed", { error }));
    const workspaceJobs = startWorkspaceJobs({
      db: database,
      clock,
      logger,
      workspace,
      onQueued: () => worker.kick(),
    });
    ready = true;
    logger.info("switchboard.started", {
      port,
      slackMode: env.slackMode,
      database: database.kind,
      slack: connection.status.state,
    });
    return {
      url: `http://${options.host ?? "127.0.0.1"}:${port}`,
      port,
      db: database,
      slack,
      slackConnection: connection,
      worker,
      sweepTimers: sweep,
      async stop() {
        await closeServer(server);
        connection.stop();
        await timerJob?.stop();
        await workspaceJobs.stop();
        await worker.stop();
        if (env.slackMode === "socket" && connection.status.state === "connected")
          await slack.stop();
        if (ownsDb) await database.close();
      },
    };
  } catch (error) {
    slackConnection?.stop();
    await closeServer(server);
    if (ownsDb) await db?.close();
    throw error;
  }
}
