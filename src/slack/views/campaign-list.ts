import type { KnownBlock } from "@slack/types";
import { formatCount } from "../../domain/match-conditions.ts";
import {
  type CampaignModel,
  campaignName,
  departmentName,
  lateLine,
  statusLine,
} from "./campaign-text.ts";
import type { SlackMessage } from "./complaint-card.ts";
import { CAMPAIGN_LIST_BLOCK_IDS as IDS } from "./ids.ts";
import { joinBounded, linkMrkdwn, userMention } from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/** Most campaigns listed in full (a message holds 50 blocks; ~13k characters in all). */
const MAX_ITEMS = 20;
const MAX_TOTAL = 11_000;

/** One campaign in the list, with a link to its card when known. */
export interface CampaignListItem {
  model: CampaignModel;
  cardLink?: string | undefined;
}

/**
 * The private answer to `/switchboard campaigns`: upcoming and live campaigns, soonest first,
 * each with its dates, who has acknowledged and who not, and its linked complaints.
 */
export function buildCampaignList(items: readonly CampaignListItem[]): SlackMessage {
  if (items.length === 0) {
    const text = "No upcoming or live campaigns. Announce one with `/switchboard headsup`.";
    return { text, blocks: [section(IDS.header, text)] };
  }
  const noun = items.length === 1 ? "campaign" : "campaigns";
  const header = `*${items.length} upcoming or live ${noun}*`;
  const blocks: KnownBlock[] = [section(IDS.header, header)];
  let total = header.length;
  for (const [index, item] of items.entries()) {
    const text = describe(item);
    if (index === MAX_ITEMS || total + text.length > MAX_TOTAL) break;
    blocks.push(section(`${IDS.itemPrefix}${index}`, text));
    total += text.length;
  }
  const shown = blocks.length - 1;
  if (shown < items.length) blocks.push(section(IDS.more, `_…and ${items.length - shown} more._`));
  return { text: `${items.length} upcoming or live ${noun}.`, blocks };
}

function describe({ model, cardLink }: CampaignListItem): string {
  const active = model.departments.filter((d) => d.active);
  const waiting = active.filter((d) => !d.acknowledgedBy).map(departmentName);
  const title = cardLink ? linkMrkdwn(cardLink, model.name) : `*${campaignName(model)}*`;
  const lines = [
    `${title} · ${statusLine(model)}`,
    `:busts_in_silhouette: ${active.length - waiting.length} of ${active.length} ${active.length === 1 ? "department" : "departments"} acknowledged${waiting.length ? ` · waiting: ${joinBounded(waiting, ", ", 600)}` : ""}`,
    `:speech_balloon: ${formatCount(model.linked)} linked ${model.linked === 1 ? "complaint" : "complaints"} · owner ${userMention(model.owner)}`,
  ];
  // The notice, as the cards say it: a campaign announced in time is late once a department is
  // added inside the minimum notice, and "announced late" would be wrong then.
  if (model.late) lines.push(lateLine(model));
  return lines.join("\n");
}
