import type { OutboxRow, ThreadRow } from "../db/schema.ts";
import type { HandOverNoticePayload } from "../services/thread-transition.ts";
import { departmentOf } from "../services/workspace-lookups.ts";
import {
  cardRefused,
  type DeliveryDeps,
  postUnderCard,
  requirePosted,
} from "./delivery-support.ts";
import { buildOwnerGoneNote } from "./views/owner-gone-note.ts";

/**
 * Slack refused the DM telling a thread's new owner it is theirs: their account was
 * deactivated after the hand-over (or the check at hand-over time got no answer in time).
 * Nobody would learn that the thread waits on someone who is gone, so, as an owner's warning
 * does, a note goes under the card for the department (its user group, or @here) saying it
 * needs a new owner, and no delivery fails for it. A card its archived channel refused gets
 * nothing: that card's one failure says what to do.
 */
export async function noteOwnerGone(
  deps: DeliveryDeps,
  item: OutboxRow,
  thread: ThreadRow,
  p: HandOverNoticePayload,
): Promise<void> {
  deps.logger?.warn("handover.dm_user_deactivated", { threadId: thread.id, user: p.user });
  if (cardRefused(thread)) return;
  const { slackChannel, slackTs } = requirePosted(thread);
  const note = buildOwnerGoneNote({
    owner: p.user,
    usergroup: departmentOf(deps.config, thread.department)?.usergroup,
    reopened: p.reopened,
  });
  await postUnderCard(
    deps.client,
    item,
    { channel: slackChannel, ...note, unfurl_links: false },
    { thread_ts: slackTs, reply_broadcast: true },
  );
}
