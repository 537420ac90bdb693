import { sql } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { HOME_PUBLISH_KIND } from "../db/home-refresh-store.ts";
import { listOpenProblems } from "../db/integration-problem-store.ts";
import { listFailedOutbox, timerSummary } from "../db/outbox-admin.ts";
import { readOutboxHealth } from "../db/outbox-store.ts";
import type { IntegrationProblemRow, OutboxRow } from "../db/schema.ts";
import { mayAdminister } from "../domain/roles.ts";
import type { ServiceContext } from "./context.ts";
import { OUTBOX_KINDS_DIGESTS } from "./digest-outbox-kinds.ts";

/** What `/switchboard status` and the admin Home show. */
export interface SystemStatus {
  database: { kind: string; ok: boolean };
  delivery: {
    pending: number;
    oldestPendingAt: Date | null;
    failed: number;
    failures: Array<
      Pick<OutboxRow, "id" | "kind" | "channel" | "lastError" | "createdAt"> & {
        /** Who or where it was for: a channel id, a user id (a DM, a Home) or a channel name. */
        to: string | null;
        /** Whose it is, by the name the workspace file gives them: an executive's digest. */
        about: string | null;
      }
    >;
  };
  timers: Array<{ subjectType: string; pending: number; nextDue: Date | null }>;
  /** Problems with the Slack setup met and not cleared since, oldest first; `open` counts all. */
  slackSetup: { open: number; problems: SetupProblem[] };
}

/** A Slack setup problem as admins see it. */
export type SetupProblem = Pick<
  IntegrationProblemRow,
  "kind" | "subject" | "label" | "affects" | "configKey" | "firstSeen" | "count"
>;

/** Failures listed; the rest are counted. */
export const LISTED_FAILURES = 10;

/** Slack setup problems listed; the rest are counted. */
export const LISTED_SETUP_PROBLEMS = 10;

/** Delivery health, timers and the database, as an admin sees them. */
export async function readStatus(
  ctx: ServiceContext,
  config: Pick<WorkspaceConfig, "executives">,
): Promise<SystemStatus> {
  const now = ctx.clock.now();
  await ctx.db.query(sql`SELECT 1`);
  // One snapshot, so the count of failures and the list of them agree.
  const { health, failures, timers, setup } = await ctx.db.db.transaction(
    async (tx) => ({
      health: await readOutboxHealth(tx, now),
      failures: await listFailedOutbox(tx, LISTED_FAILURES),
      timers: await timerSummary(tx),
      setup: await listOpenProblems(tx, LISTED_SETUP_PROBLEMS),
    }),
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  return {
    database: { kind: ctx.db.kind, ok: true },
    delivery: {
      pending: health.pending,
      oldestPendingAt: health.oldestPendingAt,
      failed: health.failed,
      failures: failures.map(({ id, kind, channel, lastError, createdAt, payload }) => ({
        id,
        kind,
        channel,
        to: recipientOf(kind, channel, payload),
        about: ownerOf(config, kind, payload),
        lastError,
        createdAt,
      })),
    },
    timers,
    slackSetup: {
      open: setup.open,
      problems: setup.listed.map(
        ({ kind, subject, label, affects, configKey, firstSeen, count }) => ({
          kind,
          subject,
          label,
          affects,
          configKey,
          firstSeen,
          count,
        }),
      ),
    },
  };
}

/**
 * Whom a delivery was for. A Home publish is queued under one shared key for Slack's
 * per-method limit (HOME_PUBLISH_QUEUE), not under its user: "to views.publish" told an admin
 * nothing.
 */
function recipientOf(
  kind: string,
  channel: string | null,
  payload: Record<string, unknown>,
): string | null {
  if (kind === HOME_PUBLISH_KIND && typeof payload.user === "string") return payload.user;
  return channel;
}

/**
 * An executive's digest by their `name`: "digest.send to @ana" alone does not say whose
 * figures failed to arrive when the mention shows a handle (or a deactivated account).
 */
function ownerOf(
  config: Pick<WorkspaceConfig, "executives">,
  kind: string,
  payload: Record<string, unknown>,
): string | null {
  if (kind !== OUTBOX_KINDS_DIGESTS.sendDigest) return null;
  return config.executives.find((e) => e.user === payload.user)?.name ?? null;
}

/** `readStatus` for a Slack user: admins only. */
export async function readStatusAs(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  user: string,
): Promise<{ ok: true; status: SystemStatus } | { ok: false; reason: string }> {
  const allowed = mayAdminister(config, user, "see Switchboard's status");
  if (!allowed.ok) return allowed;
  return { ok: true, status: await readStatus(ctx, config) };
}
