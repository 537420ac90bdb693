import type { SlackMessage } from "./complaint-card.ts";
import { HANDOVER_NOTICE_BLOCK_IDS } from "./ids.ts";
import { userMention } from "./mrkdwn.ts";

/** A thread's new owner who cannot be told: Slack says their account is deactivated. */
export interface OwnerGoneInput {
  /** Slack user id of the owner whose DM Slack refused. */
  owner: string;
  /** The department's user group (S…), mentioned instead of @here when it has one. */
  usergroup?: string | undefined;
  /** It went back to them as its last owner (reopened), rather than handed to them. */
  reopened?: boolean | undefined;
}

/**
 * The note under a card whose new owner's account is deactivated: it tells the department
 * (its user group, or @here), since the owner never will, that the thread needs a new owner.
 * Pure.
 */
export function buildOwnerGoneNote(input: OwnerGoneInput): SlackMessage {
  const department = input.usergroup ? `<!subteam^${input.usergroup}>` : "<!here>";
  const how = input.reopened ? "went back to" : "was handed to";
  const text = `${department} This thread ${how} ${userMention(input.owner)}, whose Slack account is deactivated: it needs a new owner.`;
  return {
    text,
    blocks: [
      {
        type: "section",
        block_id: HANDOVER_NOTICE_BLOCK_IDS.ownerGone,
        text: { type: "mrkdwn", text: `:warning: ${text}`, verbatim: true },
      },
    ],
  };
}
