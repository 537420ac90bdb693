import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { decodeClocks } from "../db/clock-codec.ts";
import { type ThreadRow, threadEvents } from "../db/schema.ts";
import type { Standing } from "../domain/permissions.ts";
import { dueAt } from "../domain/sla-clock.ts";
import type { ServiceContext } from "./context.ts";
import {
  applyTransition,
  lockThreadById,
  type OwnerReturnPayload,
  queueOwnerNotice,
} from "./thread-transition.ts";
import { calendarOf } from "./workspace-lookups.ts";

/**
 * Whether a reopened thread's last owner could still work it is known (Slack said whether they
 * are a member of its department; the workspace file, whether they lead it or are an admin):
 * if so they get it back (claimed, its claim clock stopped; the response and resolution clocks
 * run as the reopening started them), else it stays open, as before, and the timeline says
 * which. Someone else's Reopen is told to the owner it goes back to, by DM. Nothing happens
 * when the thread moved on meanwhile (claimed, handed over, closed).
 */
export async function returnToOwner(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  input: OwnerReturnPayload & { standing: Standing | undefined },
): Promise<void> {
  const thread = await lockThreadById(tx, input.threadId);
  const waiting =
    thread.state === "open" &&
    thread.owner === null &&
    thread.department === input.department &&
    thread.suggestedOwner === input.user;
  if (!waiting) return;
  if (input.standing) {
    const action = { type: "return_to_owner" as const, to: input.user, as: input.standing };
    await applyTransition(ctx, config, tx, thread, action);
    // Reopened by hand, there is no follow-up under the card to mention them: a DM tells them.
    const by = input.reopenedBy;
    if (by && by !== input.user) {
      const notice = { threadId: thread.id, user: input.user, by, reopened: true };
      await queueOwnerNotice(tx, notice, ctx.clock.now());
    }
    return;
  }
  await tx.insert(threadEvents).values({
    threadId: thread.id,
    at: ctx.clock.now(),
    actor: "system",
    kind: "thread.owner_not_returned",
    details: { owner: input.user, department: input.department, ...claimDue(config, thread) },
  });
  ctx.logger.info("thread.owner_not_returned", { threadId: thread.id, user: input.user });
}

/**
 * When the claim clock the reopening started runs out, for the timeline to say beside "left
 * open": the department is now the one to pick it up, and that is its deadline.
 */
function claimDue(config: WorkspaceConfig, thread: ThreadRow): { claimDueAt?: string } {
  const claim = decodeClocks(thread.clocks).find((c) => c.kind === "claim");
  const due = claim && dueAt(claim, calendarOf(config, thread.department));
  return due ? { claimDueAt: due.toISOString() } : {};
}
