import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "@slack/bolt";
import express from "express";
import type { Env } from "./config/env.ts";
import type { WorkspaceConfig } from "./config/workspace-types.ts";
import { type DatabaseHandle, openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { campaignRoutes } from "./http/campaign-routes.ts";
import { errorMiddleware } from "./http/errors.ts";
import { healthRoute } from "./http/health-route.ts";
import { intakeRoutes } from "./http/intake-routes.ts";
import { reportRoutes } from "./http/report-routes.ts";
import { startJob, sweepTimersJob } from "./jobs/sweep-timers-job.ts";
import type { Logger } from "./logger.ts";
import { type Clock, systemClock } from "./services/context.ts";
import { ensureDigestSchedules } from "./services/digest-timers.ts";
import { sweepTimers } from "./services/sweep-timers.ts";
import { ActorDirectory } from "./slack/actor-directory.ts";
import { createSlackApp } from "./slack/app.ts";
import { createDeliveryHandlers } from "./slack/deliveries.ts";
import { registerListeners } from "./slack/listeners/index.ts";
import { OutboxWorker, type OutboxWorkerOptions } from "./slack/outbox-worker.ts";

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
}

export interface RunningSwitchboard {
  url: string;
  port: number;
  db: DatabaseHandle;
  slack: App;
  worker: OutboxWorker;
  /** Runs one timer sweep now (the job runs it every second). */
  sweepTimers(): Promise<{ fired: number; subjects: number }>;
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the whole bot: database (migrated), HTTP server (intake API, health, and Slack's
 * /slack/events in HTTP mode), the Slack app, and the outbox worker. Returns a handle that
 * stops them in reverse order.
 */
export async function startSwitchboard(options: SwitchboardOptions): Promise<RunningSwitchboard> {
  const { env, workspace, logger } = options;
  const clock = options.clock ?? systemClock;
  const db = options.db ?? (await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir }));
  const ownsDb = !options.db;
  try {
    await migrateDatabase(db);
    // Before the first sweep: an executive's next digest is planned, a missed one kept due.
    await ensureDigestSchedules({ db, clock, logger, actor: { type: "system" } }, workspace);
    const http = express();
    http.disable("x-powered-by");
    const slack = createSlackApp({ env, logger, http });
    await slack.init();
    const worker = new OutboxWorker({
      db,
      clock,
      logger,
      handlers: createDeliveryHandlers({
        db,
        client: slack.client,
        config: workspace,
        clock,
      }),
      ...options.outbox,
    });
    registerListeners(slack, {
      db,
      config: workspace,
      clock,
      logger,
      // Membership answers (and Slack's Retry-After) age on the bot's clock, like everything else.
      directory: new ActorDirectory(slack.client, workspace, db, 60_000, () =>
        clock.now().getTime(),
      ),
      onQueued: () => worker.kick(),
    });
    const sweep = () =>
      sweepTimers({ db, clock, logger, actor: { type: "system" } }, workspace).then((result) => {
        if (result.fired > 0) worker.kick();
        return result;
      });
    http.use(healthRoute(db, clock));
    http.use(
      intakeRoutes({
        intakeTokens: env.intakeTokens,
        policy: workspace,
        logger,
        context: (token) => ({ db, clock, logger, actor: { type: "intake", token } }),
        onQueued: () => worker.kick(),
      }),
    );
    http.use(reportRoutes({ tokens: env.intakeTokens, config: workspace, db, clock }));
    http.use(
      campaignRoutes({
        intakeTokens: env.intakeTokens,
        config: workspace,
        context: (token) => ({ db, clock, logger, actor: { type: "intake", token } }),
        onQueued: () => worker.kick(),
      }),
    );
    http.use(errorMiddleware(logger));
    const server = createServer(http);
    const port = await listen(server, env.port, options.host);
    if (env.slackMode === "socket") await slack.start();
    worker.start();
    // Fires overdue timers at once after a restart, then every second.
    const timerJob = options.timers === false ? null : startJob(sweepTimersJob(sweep), logger);
    if (timerJob) void sweep().catch((error) => logger.error("timers.sweep_failed", { error }));
    logger.info("switchboard.started", { port, slackMode: env.slackMode, database: db.kind });
    return {
      url: `http://${options.host ?? "127.0.0.1"}:${port}`,
      port,
      db,
      slack,
      worker,
      sweepTimers: sweep,
      async stop() {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections(); // keep-alive sockets would hold close() open
        await closed;
        await timerJob?.stop();
        await worker.stop();
        if (env.slackMode === "socket") await slack.stop();
        if (ownsDb) await db.close();
      },
    };
  } catch (error) {
    if (ownsDb) await db.close();
    throw error;
  }
}
