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
  /** Tell someone by DM that a thread was handed to them. Payload: HandOverNoticePayload. */
  handOverNotice: "thread.handover_notice",
  /** Redraw a thread's delivered hand-over DMs whose reader no longer holds it. Payload: { threadId }. */
  updateHandOverDms: "thread.update_handover_dms",
  /** Ask Slack whether a reopened thread's last owner is still in its department; if so it is theirs again. Payload: OwnerReturnPayload. */
  returnToOwner: "thread.return_to_owner",
  /** A nudge, breach notice or escalation. Payload: NudgePayload (see sweep-timers.ts). */
  nudge: "thread.nudge",
  /** Redraw a posted nudge without its Claim button once the thread is owned, closed or moved. Payload: WithdrawClaimPayload. */
  withdrawClaim: "thread.withdraw_claim",
  /** A daily roll-up of posts kept off the desk, one page. Payload: { rollupId, page, pages, daily }. */
  kindRollup: "kinds.rollup",
  /** Redraw a posted roll-up page after a post it covers changed kind. Payload: { rollupId, page }. */
  updateKindRollup: "kinds.update_rollup",
} as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[keyof typeof OUTBOX_KINDS];

/**
 * Campaign heads-ups (src/slack/campaign-deliveries.ts delivers them). Each is rendered from
 * the database when delivered, so an update shows the campaign as it is then.
 */
export const CAMPAIGN_OUTBOX_KINDS = {
  /** Post the heads-up card in an affected department's channel. Payload: { campaignId, department }. */
  postHeadsUp: "campaign.post_headsup",
  /** Re-render a heads-up card in place. Payload: { campaignId, department }. */
  updateHeadsUp: "campaign.update_headsup",
  /** Post the campaign's own card in marketing's channel. Payload: { campaignId }. */
  postCard: "campaign.post_card",
  /** Re-render the campaign card in place. Payload: { campaignId }. */
  updateCard: "campaign.update_card",
  /** A reply under a department's heads-up (reminder, live now, changed, cancelled, removed). Payload: HeadsUpReplyPayload. */
  headsUpReply: "campaign.headsup_reply",
  /** A reply under the campaign card (changed, spike, end summary). Payload: CardReplyPayload. */
  cardReply: "campaign.card_reply",
  /** A direct message (late announcement, launch, spike). Payload: CampaignDmPayload. */
  dm: "campaign.dm",
} as const;
