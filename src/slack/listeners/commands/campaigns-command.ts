import { listCampaignViews } from "../../../db/campaign-store.ts";
import { campaignModel } from "../../campaign-model.ts";
import { buildCampaignList } from "../../views/campaign-list.ts";
import { buildNotice } from "../../views/private-notice.ts";
import { CAMPAIGNS_OFF } from "./headsup-command.ts";
import type { Subcommand } from "./subcommand.ts";

/** `/switchboard campaigns`: upcoming and live campaigns, who acknowledged, linked complaints (private). */
export const campaignsCommand: Subcommand = async ({ ack, deps }) => {
  if (!deps.config.campaigns) {
    await ack({ response_type: "ephemeral", ...buildNotice(CAMPAIGNS_OFF) });
    return;
  }
  const now = deps.clock.now();
  const views = await listCampaignViews(deps.db.db, { endsAfter: now });
  const items = views.map((view) => ({ model: campaignModel(view, deps.config, now) }));
  await ack({ response_type: "ephemeral", ...buildCampaignList(items) });
};
