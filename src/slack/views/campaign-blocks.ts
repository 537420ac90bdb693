/** Small Block Kit builders shared by the campaign views. Pure. */
import type { Button, ContextBlock, HeaderBlock, SectionBlock } from "@slack/types";
import { CAMPAIGN_ACTION_IDS, encodeCampaignValue } from "./ids.ts";
import { truncate } from "./mrkdwn.ts";
import { mrkdwn } from "./section-block.ts";

export function fieldsSection(blockId: string, fields: Array<[string, string]>): SectionBlock {
  return {
    type: "section",
    block_id: blockId,
    fields: fields
      .slice(0, 10)
      .map(([title, value]) => mrkdwn(truncate(`*${title}*\n${value}`, 2000))),
  };
}

export function header(blockId: string, text: string): HeaderBlock {
  return {
    type: "header",
    block_id: blockId,
    text: { type: "plain_text", text: truncate(text, 150), emoji: true },
  };
}

export function context(blockId: string, texts: string[]): ContextBlock {
  return {
    type: "context",
    block_id: blockId,
    elements: texts.slice(0, 10).map((t) => mrkdwn(truncate(t, 2000))),
  };
}

/** The Acknowledge button for one department of a campaign. */
export function acknowledgeButton(
  campaignId: string,
  department: string,
  round: number | undefined,
): Button {
  return {
    type: "button",
    action_id: CAMPAIGN_ACTION_IDS.acknowledge,
    text: { type: "plain_text", text: "Acknowledge", emoji: true },
    style: "primary",
    value: encodeCampaignValue(campaignId, department, round),
  };
}

/** A campaign button (Edit, Cancel, Talking points) carrying the campaign id. */
export function campaignButton(
  action: "edit" | "cancel" | "talkingPoints",
  campaignId: string,
  label: string,
): Button {
  const button: Button = {
    type: "button",
    action_id: CAMPAIGN_ACTION_IDS[action],
    text: { type: "plain_text", text: truncate(label, 75), emoji: true },
    value: encodeCampaignValue(campaignId),
  };
  if (action !== "cancel") return button;
  return {
    ...button,
    style: "danger",
    confirm: {
      title: { type: "plain_text", text: "Cancel this campaign?" },
      text: {
        type: "plain_text",
        text: "Every affected department is told it is off, and no more reminders are sent. This cannot be undone.",
      },
      confirm: { type: "plain_text", text: "Cancel campaign" },
      deny: { type: "plain_text", text: "Keep it" },
      style: "danger",
    },
  };
}
