import type { KnownBlock } from "@slack/types";
import { campaignButton, fieldsSection, header } from "./campaign-blocks.ts";
import {
  acknowledgementLine,
  type CampaignModel,
  countText,
  departmentName,
  describeNotice,
  keywordsMrkdwn,
  lateLine,
  statusLine,
} from "./campaign-text.ts";
import type { SlackMessage } from "./complaint-card.ts";
import { CAMPAIGN_CARD_BLOCK_IDS as IDS } from "./ids.ts";
import { escapeMrkdwn, truncate, userMention } from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/** Most departments listed one per line; the rest are counted. */
const MAX_DEPARTMENT_LINES = 25;

/**
 * The campaign's own card in marketing's channel: its status, each affected department's
 * acknowledgement (who and when, or still waiting), and how many complaints are linked to it;
 * updated in place as departments acknowledge and complaints arrive. Edit and Cancel while it
 * is upcoming or live.
 */
export function buildCampaignCard(model: CampaignModel): SlackMessage {
  const blocks: KnownBlock[] = [
    header(IDS.header, `📣 ${truncate(model.name.replace(/\s+/g, " ").trim(), 140)}`),
    section(IDS.summary, summary(model)),
    fieldsSection(IDS.fields, [
      ["Owner", userMention(model.owner)],
      ["Linked complaints", countText(model.linked)],
      ["Audience", countText(model.audienceSize)],
      ["Expected responses", countText(model.expectedVolume)],
      [
        "Marketing channels",
        model.channels.length ? model.channels.map(escapeMrkdwn).join(", ") : "_not given_",
      ],
      ["Notice given", describeNotice(model.noticeMs)],
    ]),
    section(IDS.departments, departments(model)),
  ];
  if (model.keywords.length > 0)
    blocks.push(section(IDS.keywords, `*Keywords linked:* ${keywordsMrkdwn(model.keywords)}`));
  if (model.status === "upcoming" || model.status === "live")
    blocks.push({
      type: "actions",
      block_id: IDS.actions,
      elements: [
        campaignButton("edit", model.id, "Edit or postpone"),
        campaignButton("cancel", model.id, "Cancel campaign"),
      ],
    });
  return { text: fallback(model), blocks };
}

function summary(model: CampaignModel): string {
  // Updated in place on acknowledgements, links, launch and end, not as time passes.
  const lines = [statusLine(model, { countdown: false })];
  if (model.late && model.status !== "cancelled") lines.push(lateLine(model));
  if (model.announcedBy) lines.push(`Announced by ${userMention(model.announcedBy)}.`);
  return lines.join("\n");
}

function departments(model: CampaignModel): string {
  const active = model.departments.filter((d) => d.active);
  const waiting = active.filter((d) => !d.acknowledgedBy).length;
  const head =
    active.length === 0
      ? "*Departments:* none"
      : `*Departments* (${active.length - waiting} of ${active.length} acknowledged)`;
  const lines = active
    .slice(0, MAX_DEPARTMENT_LINES)
    .map((d) => `• *${departmentName(d)}*: ${acknowledgementLine(d)}`);
  if (active.length > MAX_DEPARTMENT_LINES)
    lines.push(`…and ${active.length - MAX_DEPARTMENT_LINES} more`);
  return [head, ...lines].join("\n");
}

function fallback(model: CampaignModel): string {
  const active = model.departments.filter((d) => d.active);
  const acknowledged = active.filter((d) => d.acknowledgedBy).length;
  return truncate(
    `Campaign ${escapeMrkdwn(model.name)} (${model.status}): ${acknowledged} of ${active.length} departments acknowledged, ${model.linked} ${model.linked === 1 ? "complaint" : "complaints"} linked`,
    3000,
  );
}
