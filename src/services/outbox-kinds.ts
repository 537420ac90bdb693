/** The kinds of queued Slack operation; the Slack adapter has one delivery handler for each. */
export const OUTBOX_KINDS = {
  /** Post a new thread's card in its department's channel. Payload: { threadId }. */
  postCard: "thread.post_card",
  /** Post a follow-up complaint as a reply under its thread's card. Payload: { complaintId }. */
  postReply: "thread.post_reply",
  /** Re-render a thread's card in place. Payload: { threadId }. */
  updateCard: "thread.update_card",
} as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[keyof typeof OUTBOX_KINDS];
