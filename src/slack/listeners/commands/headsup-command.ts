import { mayAnnounce } from "../../../domain/campaign-permissions.ts";
import { notAnnouncerMessage } from "../../../services/campaign-access.ts";
import { announcerFacts } from "../../campaign-actor.ts";
import { buildCampaignModal } from "../../views/campaign-modal.ts";
import { buildNotice } from "../../views/private-notice.ts";
import type { Subcommand } from "./subcommand.ts";

/** What `headsup` and `campaigns` answer where the workspace file has no campaigns section. */
export const CAMPAIGNS_OFF =
  "Campaign heads-ups are not set up here yet: an admin adds a `campaigns` section to Switchboard's workspace file (see docs/configuration.md).";

/**
 * `/switchboard headsup`: opens the campaign heads-up modal for an announcer; anyone else is
 * told privately who can announce. The modal opens right after the empty ack, while the
 * command's trigger_id (3 seconds) is fresh.
 */
export const headsupCommand: Subcommand = async ({ ack, command, client, deps }) => {
  const settings = deps.config.campaigns;
  if (!settings) {
    await ack({
      response_type: "ephemeral",
      ...buildNotice(CAMPAIGNS_OFF),
    });
    return;
  }
  const facts = await announcerFacts(deps, command.user_id);
  if (!mayAnnounce(facts, settings.announcers)) {
    await ack({
      response_type: "ephemeral",
      ...buildNotice(notAnnouncerMessage(deps.config, settings)),
    });
    return;
  }
  await ack();
  await client.views.open({
    trigger_id: command.trigger_id,
    view: buildCampaignModal({
      mode: "announce",
      departments: deps.config.departments,
      metadata: {},
      initial: { owner: command.user_id },
      linkTailMs: settings.linkTailMs,
    }),
  });
};
