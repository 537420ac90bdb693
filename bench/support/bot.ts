import { randomBytes } from "node:crypto";
import type { Env } from "../../src/config/env.ts";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { silentLogger } from "../../src/logger.ts";
import {
  type RateLimitSpec,
  type SlackDouble,
  startSlackDouble,
} from "../../src/slack-double/index.ts";
import { type RunningSwitchboard, startSwitchboard } from "../../src/switchboard.ts";
import type { Scope } from "./lifecycle.ts";

/**
 * Slack's own pace: chat.postMessage about one per second per channel with short bursts,
 * and every other method its tier's per-minute limit (the double's defaults).
 */
export const SLACK_RATE_LIMITS: RateLimitSpec = {
  postMessagePerChannel: { burst: 4, perSecond: 1 },
};
/** High enough never to bite, so a figure measures the bot rather than Slack's limit. */
export const UNLIMITED_RATE: RateLimitSpec = {
  postMessagePerChannel: { burst: 100_000, perSecond: 100_000 },
  perMinuteFactor: 100_000,
};

export interface BenchBot {
  double: SlackDouble;
  bot: RunningSwitchboard;
  /** POSTs JSON to the bot's intake API with a valid token. */
  post(path: string, body: unknown): Promise<{ status: number; json: unknown }>;
}

export interface BenchBotOptions {
  db: DatabaseHandle;
  workspace: WorkspaceConfig;
  rateLimits: RateLimitSpec;
  /** Run the every-2-seconds timer sweep job, as production does. */
  timers: boolean;
}

/**
 * The real bot (HTTP intake, Bolt, outbox worker, timer job) on 127.0.0.1, against a local
 * Slack double seeded with the workspace's channels and people; both stop with the scope.
 */
export async function startBenchBot(scope: Scope, options: BenchBotOptions): Promise<BenchBot> {
  const { workspace } = options;
  const double = await startWorkspaceDouble(scope, workspace, options.rateLimits);
  const intakeToken = randomBytes(16).toString("hex");
  const env: Env = {
    slackMode: "http",
    slackBotToken: double.config.botToken,
    slackSigningSecret: randomBytes(16).toString("hex"),
    slackApiUrl: double.apiUrl,
    port: 0,
    intakeTokens: [intakeToken],
    dataDir: "unused",
    switchboardConfig: "unused",
    logLevel: "error",
  };
  const bot = await startSwitchboard({
    env,
    workspace,
    logger: silentLogger,
    host: "127.0.0.1",
    db: options.db,
    timers: options.timers,
  });
  scope.defer(bot, "bot", () => bot.stop());
  return {
    double,
    bot,
    async post(path, body) {
      const res = await fetch(`${bot.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${intakeToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
  };
}

/** A Slack double that knows the workspace's channels and people; it stops with the scope. */
export async function startWorkspaceDouble(
  scope: Scope,
  workspace: WorkspaceConfig,
  rateLimits: RateLimitSpec,
): Promise<SlackDouble> {
  const double = await startSlackDouble({
    channels: channelsOf(workspace),
    users: usersOf(workspace),
    rateLimits,
  });
  return scope.defer(double, "Slack double", () => double.stop());
}

/**
 * One double channel per department (a "#name" gets a made-up id), the executives', and the
 * channels kinds are shown in (#kudos notes, daily roll-ups).
 */
function channelsOf(workspace: WorkspaceConfig) {
  const kindChannels = Object.values(workspace.kindProfiles).map((p) =>
    p.delivery.to === "card" ? undefined : p.delivery.channel,
  );
  const refs = [
    ...workspace.departments.map((d) => d.channel),
    workspace.executivesChannel,
    ...kindChannels,
  ];
  const people = [...usersOf(workspace)].map((u) => u.id);
  return [...new Set(refs.filter((r): r is string => r !== undefined))].map((ref, i) =>
    ref.startsWith("#")
      ? { id: `C0BENCH${i}`, name: ref.slice(1), members: people }
      : { id: ref, name: ref.toLowerCase(), members: people },
  );
}

/** Everyone the workspace names: leads, admins, executives and people with working hours. */
function usersOf(workspace: WorkspaceConfig) {
  const ids = new Set([
    ...workspace.departments.flatMap((d) => d.leads),
    ...workspace.admins,
    ...workspace.executives.map((e) => e.user),
    ...Object.keys(workspace.people),
  ]);
  return [...ids].map((id) => ({ id, name: id.toLowerCase() }));
}
