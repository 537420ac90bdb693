import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import { threadEvents } from "../db/schema.ts";
import type { ServiceContext } from "./context.ts";
import { applyTransition, lockThreadById, type OwnerReturnPayload } from "./thread-transition.ts";

/**
 * Slack has said whether a reopened thread's last owner is still a member of its department:
 * a member gets it back (claimed, its claim clock stopped; the response and resolution clocks
 * run as the reopening started them), anyone else leaves it open, as before, and the timeline
 * says which. Nothing happens when the thread moved on meanwhile (claimed, handed over, closed).
 */
export async function returnToOwner(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  tx: Transaction,
  input: OwnerReturnPayload & { member: boolean },
): Promise<void> {
  const thread = await lockThreadById(tx, input.threadId);
  const waiting =
    thread.state === "open" &&
    thread.owner === null &&
    thread.department === input.department &&
    thread.suggestedOwner === input.user;
  if (!waiting) return;
  if (input.member) {
    await applyTransition(ctx, config, tx, thread, { type: "return_to_owner", to: input.user });
    return;
  }
  await tx.insert(threadEvents).values({
    threadId: thread.id,
    at: ctx.clock.now(),
    actor: "system",
    kind: "thread.owner_not_returned",
    details: { owner: input.user, department: input.department },
  });
  ctx.logger.info("thread.owner_not_returned", { threadId: thread.id, user: input.user });
}
