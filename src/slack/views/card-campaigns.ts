import type { SectionBlock } from "@slack/types";
import { campaignButton } from "./campaign-blocks.ts";
import { CARD_CAMPAIGN_BLOCK_ID } from "./ids.ts";
import { escapeAndTruncate, oneLine } from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/** Most campaigns shown on one card, one line each; the rest are counted. */
const MAX_SHOWN = 3;

/**
 * "Related to campaign: Spring fare sale" on a complaint card, one line per campaign, each with
 * its talking points a click away (shown privately). Nothing when no campaign matched.
 */
export function buildCampaignBlocks(
  campaigns: ReadonlyArray<{ id: string; name: string }>,
): SectionBlock[] {
  const blocks = campaigns.slice(0, MAX_SHOWN).map((campaign, index) => {
    const more =
      index === MAX_SHOWN - 1 && campaigns.length > MAX_SHOWN
        ? ` (and ${campaigns.length - MAX_SHOWN} more)`
        : "";
    const name = escapeAndTruncate(oneLine(campaign.name), 150);
    return {
      ...section(
        index === 0 ? CARD_CAMPAIGN_BLOCK_ID : `${CARD_CAMPAIGN_BLOCK_ID}.${index}`,
        `:mega: Related to campaign: *${name}*${more}`,
      ),
      accessory: campaignButton("talkingPoints", campaign.id, "Talking points"),
    };
  });
  return blocks;
}
