import type { KnownBlock } from "@slack/types";
import { acknowledgeButton, fieldsSection, header } from "./campaign-blocks.ts";
import {
  acknowledgementLine,
  type CampaignModel,
  campaignName,
  countText,
  departmentName,
  keywordsMrkdwn,
  CAMPAIGN_TEXT_LIMITS as LIMIT,
  lateLine,
  STATUS_LABELS,
} from "./campaign-text.ts";
import type { SlackMessage } from "./complaint-card.ts";
import { describeWhenInZone } from "./due-line.ts";
import { HEADSUP_BLOCK_IDS as IDS } from "./ids.ts";
import {
  escapeMrkdwn,
  linkMrkdwn,
  quoteMrkdwn,
  slackDate,
  truncate,
  userMention,
} from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/**
 * The heads-up a department receives about a campaign: what, when, who it reaches and how many
 * responses to expect, the words customers will use, what to tell them, and an Acknowledge
 * button until someone in the department has read it. Re-rendered in place on every change.
 */
export function buildHeadsUpCard(model: CampaignModel, departmentKey: string): SlackMessage {
  const department = model.departments.find((d) => d.key === departmentKey);
  const name = campaignName(model);
  const who = department ? departmentName(department) : escapeMrkdwn(departmentKey);
  const removed = department !== undefined && !department.active;
  const blocks: KnownBlock[] = [
    header(IDS.header, `📣 Heads-up: ${truncate(model.name.replace(/\s+/g, " ").trim(), 130)}`),
    section(IDS.summary, summary(model, name, who, removed)),
    fieldsSection(IDS.fields, [
      // Slack's date token, drawn in each reader's zone when they look ("tomorrow 10:00"), not a
      // countdown: "in 5 h" would be stale between updates, and nothing updates it while live.
      ["Launch", slackDate(model.launchAt) ?? "?"],
      ["Ends", slackDate(model.endAt) ?? "?"],
      ["Audience", countText(model.audienceSize)],
      ["Expected responses", countText(model.expectedVolume)],
      [
        "Marketing channels",
        model.channels.length ? model.channels.map(escapeMrkdwn).join(", ") : "_not given_",
      ],
      ["Owner", userMention(model.owner)],
    ]),
  ];
  if (model.keywords.length > 0)
    blocks.push(
      section(
        IDS.keywords,
        `*Customers will write:* ${keywordsMrkdwn(model.keywords)}\n_Complaints with these words are marked on their cards._`,
      ),
    );
  if (model.talkingPoints)
    blocks.push(
      section(
        IDS.talkingPoints,
        `*Talking points*\n${quoteMrkdwn(model.talkingPoints, LIMIT.talkingPoints)}`,
      ),
    );
  if (model.faqUrl)
    blocks.push(section(IDS.faq, `:link: ${linkMrkdwn(model.faqUrl, "Campaign FAQ")}`));
  blocks.push(section(IDS.status, status(model, departmentKey, who)));
  const canAcknowledge =
    department?.active &&
    !department.acknowledgedBy &&
    (model.status === "upcoming" || model.status === "live");
  if (canAcknowledge)
    blocks.push({
      type: "actions",
      block_id: IDS.actions,
      elements: [acknowledgeButton(model.id, departmentKey, model.acknowledgementRound)],
    });
  return { text: fallback(model, department?.name ?? departmentKey), blocks };
}

function summary(model: CampaignModel, name: string, who: string, removed: boolean): string {
  const lines = [
    removed
      ? `Marketing is launching *${name}*, but *${who}* was removed from this campaign.`
      : `Marketing is launching *${name}*, and it affects *${who}*.`,
  ];
  if (model.description) lines.push(quoteMrkdwn(model.description, LIMIT.description));
  return lines.join("\n");
}

function status(model: CampaignModel, departmentKey: string, who: string): string {
  const department = model.departments.find((d) => d.key === departmentKey);
  if (model.status === "cancelled") return `${STATUS_LABELS.cancelled}: nothing to prepare for.`;
  if (!department?.active)
    return `:information_source: This campaign no longer affects *${who}*: nothing to prepare for.`;
  const lines = [`${STATUS_LABELS[model.status]} · ${acknowledgementLine(department)}`];
  if (model.late) lines.push(lateLine(model));
  if (!department.acknowledgedBy && model.status !== "ended")
    lines.push(`Anyone in *${who}* can acknowledge for the team once they have read this.`);
  return lines.join("\n");
}

/** The notification's preview cannot carry Slack's date token: a time with its zone's name. */
function fallback(model: CampaignModel, department: string): string {
  const when = describeWhenInZone(model.launchAt, model.now, "UTC");
  return truncate(
    `Heads-up for ${escapeMrkdwn(department)}: ${escapeMrkdwn(model.name)} launches ${when}`,
    3000,
  );
}
