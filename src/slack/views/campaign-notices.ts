import type { AcknowledgeDecision } from "../../domain/campaign-acknowledgement.ts";
import { escapeAndTruncate, oneLine, slackDate, userMention } from "./mrkdwn.ts";

/** What the person who clicked Acknowledge is told privately. */
export function describeAcknowledgement(
  decision: AcknowledgeDecision,
  departmentName: string,
): string {
  const department = `*${escapeAndTruncate(oneLine(departmentName), 80)}*`;
  if (decision.ok)
    return `:white_check_mark: Thanks: acknowledged for ${department}. Marketing can see it on the campaign card.`;
  switch (decision.reason) {
    case "already":
      return `${userMention(decision.by)} already acknowledged this for ${department} (${slackDate(decision.at) ?? "earlier"}).`;
    case "cancelled":
      return "This campaign was cancelled: there is nothing to acknowledge.";
    case "ended":
      return "This campaign has ended: there is nothing left to acknowledge.";
    case "not_affected":
      return `This campaign no longer affects ${department}.`;
    case "changed":
      return `This heads-up changed before your click reached us (a new launch time, talking points or departments), so ${department} is not marked as acknowledged yet: read the update, then click Acknowledge again.`;
    case "not_member":
      return `Only members of ${department} (its channel or user group), its leads and admins can acknowledge for it.`;
    default:
      return "This button is out of date.";
  }
}
