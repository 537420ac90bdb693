import type { ChatPostMessageArguments, WebClient } from "@slack/web-api";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { loadThreadView, type ThreadView } from "../db/thread-queries.ts";
import type { Logger } from "../logger.ts";
import type { Clock } from "../services/context.ts";
import { isThreadGone } from "./card-permalink.ts";
import { type PostedItem, postOnce } from "./post-once.ts";
import type { SetupProblems } from "./setup-problems.ts";
import { PermanentDeliveryError } from "./slack-errors.ts";

/** What delivery handlers need. */
export interface DeliveryDeps {
  db: DatabaseHandle;
  client: WebClient;
  config: WorkspaceConfig;
  clock: Clock;
  /** For what a delivery records through a service (a thread returned to its owner). */
  logger?: Logger | undefined;
  /** Slack setup problems met while delivering, for admins (none recorded when absent). */
  setup?: SetupProblems | undefined;
}

/** The thread an outbox item names, or a permanent failure when it is gone. */
export async function requireThreadView(
  deps: DeliveryDeps,
  threadId: unknown,
): Promise<ThreadView> {
  const view = typeof threadId === "string" ? await loadThreadView(deps.db.db, threadId) : null;
  if (!view) throw new PermanentDeliveryError(`thread ${String(threadId)} not found`);
  return view;
}

/**
 * True when the thread's card was refused by Slack (its channel archived) and never posted:
 * messages meant for its thread are skipped, not failed one by one. Retry posts the card.
 */
export function cardRefused(thread: { slackTs: string | null; cardDeletedAt: Date | null }) {
  return thread.slackTs === null && thread.cardDeletedAt !== null;
}

/** A thread's card location; earlier items of a thread go first, so missing means it failed for good. */
export function requirePosted(thread: { slackChannel: string | null; slackTs: string | null }) {
  if (!thread.slackChannel || !thread.slackTs) {
    throw new PermanentDeliveryError("card_not_posted: the thread's card never reached Slack");
  }
  return { slackChannel: thread.slackChannel, slackTs: thread.slackTs };
}

/**
 * Posts a message under the card (`reply`), or in the card's channel when Slack refuses the
 * reply because the card was deleted after its link was looked up (thread_not_found).
 */
export async function postUnderCard(
  client: WebClient,
  item: PostedItem,
  base: ChatPostMessageArguments,
  reply: { thread_ts: string; reply_broadcast: boolean } | undefined,
): Promise<{ ts: string; channel: string }> {
  if (!reply) return postOnce(client, item, base);
  try {
    return await postOnce(client, item, { ...base, ...reply });
  } catch (error) {
    if (!isThreadGone(error)) throw error;
    return postOnce(client, item, base);
  }
}
