import * as z from "zod";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { homeAudience, queueHomePublishes } from "../db/home-refresh-store.ts";
import { outboxStatus, requeueFailedOutbox } from "../db/outbox-admin.ts";
import { mayAdminister } from "../domain/roles.ts";
import type { ServiceContext } from "./context.ts";
import { repostDeletedCards } from "./repost-cards.ts";

/** What to retry: one outbox id, or every permanently failed delivery. */
export const RetryTarget = z.union([z.literal("all-failed"), z.coerce.number().int().positive()]);
export type RetryTarget = z.infer<typeof RetryTarget>;

export type RetryOutcome = { ok: true; retried: number } | { ok: false; reason: string };

/**
 * An admin puts failed Slack deliveries back in the queue (after fixing what failed them:
 * inviting the bot, a renamed channel…). Only admins may; only failed items move. The
 * admin's Home is refreshed so its list of failures is current.
 */
export async function retryDeliveries(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  input: { user: string; target: unknown },
): Promise<RetryOutcome> {
  const allowed = mayAdminister(config, input.user, "retry deliveries");
  if (!allowed.ok) return allowed;
  // `/switchboard status` and the answers below write an id as "#12", so it may be typed so.
  const typed = typeof input.target === "string" ? input.target.replace(/^#/, "") : input.target;
  const parsed = RetryTarget.safeParse(typed);
  if (!parsed.success) {
    // A whole number that no delivery can have (0, or past the largest id) is an unknown id.
    if (typeof typed === "string" && /^\d+$/.test(typed)) return noSuchDelivery(typed);
    return {
      ok: false,
      reason:
        "Say which delivery to retry: `/switchboard retry 123` (an outbox id, as `/switchboard status` lists them) or `/switchboard retry all-failed`.",
    };
  }
  const target = parsed.data;
  const now = ctx.clock.now();
  const retried = await ctx.db.db.transaction(async (tx) => {
    const ids = await requeueFailedOutbox(tx, target, now);
    // A card deleted in Slack cannot be redrawn: retrying its redraw posts a new card.
    await repostDeletedCards(tx, config, ids, now);
    // An admin who uses the Home sees the list of failures shrink.
    await queueHomePublishes(
      tx,
      await homeAudience(tx, { users: [input.user], departments: [] }),
      now,
    );
    return ids.length;
  });
  if (retried === 0 && target !== "all-failed") {
    const status = await outboxStatus(ctx.db.db, target);
    return {
      ok: false,
      reason:
        status === null
          ? noSuchDelivery(String(target)).reason
          : `Delivery #${target} has not failed (it is ${status}), so there is nothing to retry.`,
    };
  }
  ctx.logger.info("outbox.retried", { user: input.user, target, retried });
  return { ok: true, retried };
}

function noSuchDelivery(id: string): { ok: false; reason: string } {
  return {
    ok: false,
    reason: `There is no delivery #${id}; \`/switchboard status\` lists the failed ones with their ids.`,
  };
}
