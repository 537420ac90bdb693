/**
 * Every block_id and action_id Switchboard's views use, and the encoding of button values.
 * Listeners and views import these; never spell an id out anywhere else.
 */

/** action_ids of the buttons on a complaint card. */
export const THREAD_ACTION_IDS = {
  claim: "thread.claim",
  handOver: "thread.handover",
  responded: "thread.responded",
  resolve: "thread.resolve",
  dismiss: "thread.dismiss",
} as const;

/** A card button, by name: "claim", "handOver", … */
export type ThreadAction = keyof typeof THREAD_ACTION_IDS;
/** A card button's action_id: "thread.claim", … */
export type ThreadActionId = (typeof THREAD_ACTION_IDS)[ThreadAction];

/** Matches every card button's action_id, for `app.action(THREAD_ACTION_ID_PATTERN, …)`. */
export const THREAD_ACTION_ID_PATTERN = /^thread\.(claim|handover|responded|resolve|dismiss)$/;

/** block_ids on a complaint card; unique within the message, as Slack requires. */
export const CARD_BLOCK_IDS = {
  summary: "card.summary",
  author: "card.author",
  text: "card.text",
  link: "card.link",
  fields: "card.fields",
  context: "card.context",
  actions: "card.actions",
} as const;

/** block_ids on a follow-up reply posted under a card. */
export const FOLLOW_UP_BLOCK_IDS = {
  context: "followup.context",
  text: "followup.text",
  link: "followup.link",
} as const;

/** Which card button an action_id names, or null for any other action. */
export function threadActionOf(actionId: string): ThreadAction | null {
  const entry = Object.entries(THREAD_ACTION_IDS).find(([, id]) => id === actionId);
  return entry ? (entry[0] as ThreadAction) : null;
}

/** Thread ids are ours (uuid, ulid or number), so anything else in a button value is forged or stale. */
const THREAD_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
/** Versioned prefix, so a later change of encoding can still read old cards. */
const VALUE_PREFIX = "thread:v1:";

/** True when `threadId` can travel in a button value. */
export function isThreadId(threadId: string): boolean {
  return THREAD_ID.test(threadId);
}

/** The button value carrying a thread id. Throws RangeError for an id we could not parse back. */
export function encodeThreadAction(threadId: string): string {
  if (!isThreadId(threadId)) {
    throw new RangeError(
      `invalid thread id for a button value: ${JSON.stringify(threadId.slice(0, 64))}`,
    );
  }
  return VALUE_PREFIX + threadId;
}

/** The thread id in a card button's value, or null when the value is missing or malformed. */
export function parseThreadAction(value: unknown): string | null {
  if (typeof value !== "string" || !value.startsWith(VALUE_PREFIX)) return null;
  const threadId = value.slice(VALUE_PREFIX.length);
  return isThreadId(threadId) ? threadId : null;
}
