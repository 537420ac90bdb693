import type { WebClient } from "@slack/web-api";
import { and, eq, isNull } from "drizzle-orm";
import type { Transaction } from "../db/client.ts";
import { threads } from "../db/schema.ts";
import { channelProblem, SETUP_PROBLEM_KINDS } from "../services/setup-problem-subjects.ts";
import type { DeliveryDeps } from "./delivery-support.ts";
import { PermanentDeliveryError, slackErrorName } from "./slack-errors.ts";

/** True when Slack refused a post because its channel is archived. */
export function isArchivedChannel(error: unknown): boolean {
  return slackErrorName(error) === "is_archived";
}

/**
 * The failure a thread's card records when its department's channel is archived: one line
 * an admin can act on, naming the channel as Slack shows it. The thread is marked as having
 * no card Slack will take (threads.card_deleted_at with no ts), so its redraws are not
 * queued and its in-thread messages are skipped instead of each failing card_not_posted;
 * Retry posts the card, which clears the mark. A thread handed over from another department
 * still points at its old card (`oldTs`): it is marked the same way, its old card forgotten,
 * or its warnings and follow-ups would land under that card, in the channel it left.
 * The archived channel is recorded as a Slack setup problem, shown to admins until a post to
 * it works again.
 */
export async function archivedChannelFailure(
  deps: Pick<DeliveryDeps, "client" | "config" | "setup">,
  channel: string,
  thread: { id: string; slackTs: string | null },
  now: Date,
): Promise<PermanentDeliveryError> {
  const name = await channelNameOf(deps.client, channel);
  const problem = channelProblem(
    deps.config,
    SETUP_PROBLEM_KINDS.channelArchived,
    channel,
    `#${name}`,
  );
  return new PermanentDeliveryError(
    `channel_archived (is_archived): #${name} is archived: unarchive it or change the department's channel in the workspace file, then Retry`,
    async (tx) => {
      await markCardUnposted(tx, thread, now);
      await deps.setup?.record(tx, problem);
    },
  );
}

/** The channel's name, or its id when Slack does not say (the message still reads). */
async function channelNameOf(client: WebClient, channel: string): Promise<string> {
  if (channel.startsWith("#")) return channel.slice(1);
  try {
    const info = await client.conversations.info({ channel });
    return info.channel?.name ?? channel;
  } catch {
    return channel;
  }
}

/**
 * Marks a thread whose card never reached Slack, unless a card was posted meanwhile: its
 * card is still the one it had when the post was tried (none, or the old department's).
 */
async function markCardUnposted(
  tx: Transaction,
  thread: { id: string; slackTs: string | null },
  now: Date,
): Promise<void> {
  const { slackTs } = thread;
  const unchanged = slackTs === null ? isNull(threads.slackTs) : eq(threads.slackTs, slackTs);
  const forgetOld = slackTs === null ? {} : { slackChannel: null, slackTs: null };
  await tx
    .update(threads)
    .set({ cardDeletedAt: now, ...forgetOld })
    .where(and(eq(threads.id, thread.id), unchanged));
}
