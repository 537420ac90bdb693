/**
 * What a message says where the link to a card would be when Slack no longer has that card.
 * One wording for every message (digest, SLA warnings, hand-over DMs, moved cards, campaign
 * alerts), so people learn it once.
 */

/**
 * Why there is no link to a card: it was deleted in Slack (message_not_found), or
 * Switchboard can no longer see the card's channel (channel_not_found).
 */
export type MissingCard = "deleted" | "channel_unavailable";

/** "card deleted in Slack" (or "heads-up deleted in Slack"), or why else it cannot be linked. */
export function describeMissingCard(missing: MissingCard, noun = "card"): string {
  return missing === "deleted"
    ? `${noun} deleted in Slack`
    : `${noun}'s channel not visible to Switchboard`;
}
