/** The kinds of queued Slack operation; the Slack adapter has one delivery handler for each. */
export const OUTBOX_KINDS = {
  /** Post a new thread's card in its department's channel. Payload: { threadId }. */
  postCard: "thread.post_card",
  /** Post a follow-up complaint as a reply under its thread's card. Payload: { complaintId }. */
  postReply: "thread.post_reply",
  /** Re-render a thread's card in place. Payload: { threadId }. */
  updateCard: "thread.update_card",
  /** After a hand-over, replace the old card with a link to the new one. Payload: { threadId, channel, ts, from }. */
  leaveLink: "thread.leave_link",
  /** A nudge, breach notice or escalation. Payload: NudgePayload (see sweep-timers.ts). */
  nudge: "thread.nudge",
  /** A daily roll-up of posts kept off the desk. Payload: { rollupId }. */
  kindRollup: "kinds.rollup",
} as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[keyof typeof OUTBOX_KINDS];
