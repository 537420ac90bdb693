import { App, ExpressReceiver, LogLevel, SocketModeReceiver } from "@slack/bolt";
import type { Express } from "express";
import type { Env } from "../config/env.ts";
import type { Logger } from "../logger.ts";
import { refuseSkewedSlackRequests } from "./request-freshness.ts";

export interface SlackAppOptions {
  env: Env;
  logger: Logger;
  /** Our HTTP app; in HTTP mode Bolt's /slack/events endpoint is mounted on it. */
  http: Express;
}

/** Bolt's own logger, routed into our structured log. */
function boltLogger(logger: Logger) {
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => logger.debug("bolt.debug", { message: m.map(String).join(" ") }),
    info: (...m: unknown[]) => logger.info("bolt.info", { message: m.map(String).join(" ") }),
    warn: (...m: unknown[]) => logger.warn("bolt.warn", { message: m.map(String).join(" ") }),
    error: (...m: unknown[]) => logger.error("bolt.error", { message: m.map(String).join(" ") }),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * Every Web API client's options. The client never retries by itself and rejects
 * rate-limited calls: the outbox owns retries, durably. Its warnings go to our structured
 * log (never the client's own plain-text console lines).
 */
export function webClientOptions(env: Env, logger: Logger) {
  return {
    slackApiUrl: env.slackApiUrl,
    logger: boltLogger(logger),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 30_000,
  };
}

/**
 * Builds the Bolt app for HTTP (signed requests at /slack/events on our server) or Socket
 * Mode (SLACK_APP_TOKEN set). Web API calls go to SLACK_API_URL. Listeners are
 * registered by the caller, which has what they need.
 */
export function createSlackApp({ env, logger, http }: SlackAppOptions): App {
  const clientOptions = webClientOptions(env, logger);
  const log = boltLogger(logger);
  if (env.slackMode !== "socket") http.use("/slack/events", refuseSkewedSlackRequests(logger));
  const receiver =
    env.slackMode === "socket"
      ? new SocketModeReceiver({
          appToken: env.slackAppToken ?? "",
          logger: log,
          installerOptions: { clientOptions: { slackApiUrl: env.slackApiUrl } },
        })
      : new ExpressReceiver({
          signingSecret: env.slackSigningSecret ?? "",
          app: http,
          endpoints: "/slack/events",
          logger: log,
        });
  const app = new App({
    token: env.slackBotToken,
    receiver,
    clientOptions,
    logger: log,
    // auth.test runs in app.init(), where a failure can be reported clearly.
    deferInitialization: true,
  });
  return app;
}
