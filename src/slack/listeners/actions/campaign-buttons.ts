import type { App, BlockAction, ButtonAction, RespondFn } from "@slack/bolt";
import { loadCampaignView } from "../../../db/campaign-store.ts";
import { mayManageCampaign } from "../../../domain/campaign-permissions.ts";
import { DomainError } from "../../../domain/errors.ts";
import { acknowledgeCampaign } from "../../../services/acknowledge-campaign.ts";
import { notAnnouncerMessage } from "../../../services/campaign-access.ts";
import { cancelCampaign } from "../../../services/cancel-campaign.ts";
import { draftOf } from "../../../services/edit-campaign.ts";
import { departmentOf } from "../../../services/workspace-lookups.ts";
import { announcerFacts } from "../../campaign-actor.ts";
import { campaignModel } from "../../campaign-model.ts";
import { type ListenerDeps, slackContext } from "../../listener-deps.ts";
import { buildCampaignModal } from "../../views/campaign-modal.ts";
import { buildTalkingPoints } from "../../views/campaign-notes.ts";
import { describeAcknowledgement } from "../../views/campaign-notices.ts";
import { CAMPAIGN_ACTION_IDS, parseCampaignValue } from "../../views/ids.ts";
import { buildNotice } from "../../views/private-notice.ts";
import { privateReply } from "../private-reply.ts";

type Args = { body: BlockAction<ButtonAction>; action: ButtonAction; respond: RespondFn };

const STALE = "This button is out of date; use the latest message.";

/**
 * Campaign buttons: Acknowledge (heads-ups and reminders), Edit and Cancel (the campaign
 * card), Talking points (complaint cards). Each acks first; refusals and confirmations are
 * private to the person who clicked.
 */
export function registerCampaignButtons(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(CAMPAIGN_ACTION_IDS.acknowledge, async (args) => {
    await args.ack();
    await acknowledge(deps, args);
  });
  app.action<BlockAction<ButtonAction>>(CAMPAIGN_ACTION_IDS.talkingPoints, async (args) => {
    await args.ack();
    const parsed = parseCampaignValue(args.action.value);
    const view = parsed ? await loadCampaignView(deps.db.db, parsed.campaignId) : null;
    const reply = privateReply(args.respond);
    if (!view) return void (await reply(buildNotice(STALE)));
    await reply(buildTalkingPoints(campaignModel(view, deps.config, deps.clock.now())));
  });
  app.action<BlockAction<ButtonAction>>(CAMPAIGN_ACTION_IDS.edit, async (args) => {
    await args.ack();
    await openEdit(deps, args, args.client);
  });
  app.action<BlockAction<ButtonAction>>(CAMPAIGN_ACTION_IDS.cancel, async (args) => {
    await args.ack();
    await cancel(deps, args);
  });
}

async function acknowledge(deps: ListenerDeps, { body, action, respond }: Args) {
  const reply = privateReply(respond);
  const parsed = parseCampaignValue(action.value);
  if (!parsed?.department) return void (await reply(buildNotice(STALE)));
  const { campaignId, department, round } = parsed;
  const actor = await deps.directory.factsFor(body.user.id, [department]);
  try {
    const decision = await acknowledgeCampaign(slackContext(deps, body.user.id), deps.config, {
      campaignId,
      department,
      actor,
      round,
    });
    if (decision.ok) deps.onQueued();
    const name = departmentOf(deps.config, department)?.name ?? department;
    await reply(buildNotice(describeAcknowledgement(decision, name)));
  } catch (error) {
    await reply(buildNotice(refusal(error)));
  }
}

async function openEdit(
  deps: ListenerDeps,
  { body, action, respond }: Args,
  client: App["client"],
) {
  const parsed = parseCampaignValue(action.value);
  const view = parsed ? await loadCampaignView(deps.db.db, parsed.campaignId) : null;
  const settings = deps.config.campaigns;
  if (!view || !settings) return void (await privateReply(respond)(buildNotice(STALE)));
  const facts = await announcerFacts(deps, body.user.id);
  if (!mayManageCampaign(facts, settings.announcers, view.campaign.owner))
    return void (await privateReply(respond)(
      buildNotice(notAnnouncerMessage(deps.config, settings, view.campaign.owner)),
    ));
  const active = view.departments.filter((d) => d.active).map((d) => d.department);
  await client.views.open({
    trigger_id: body.trigger_id,
    view: buildCampaignModal({
      mode: "edit",
      departments: deps.config.departments,
      metadata: { campaignId: view.campaign.id },
      initial: draftOf(view.campaign, active),
      linkTailMs: settings.linkTailMs,
    }),
  });
}

async function cancel(deps: ListenerDeps, { body, action, respond }: Args) {
  const reply = privateReply(respond);
  const parsed = parseCampaignValue(action.value);
  if (!parsed) return void (await reply(buildNotice(STALE)));
  try {
    const result = await cancelCampaign(slackContext(deps, body.user.id), deps.config, {
      campaignId: parsed.campaignId,
      announcer: await announcerFacts(deps, body.user.id),
    });
    deps.onQueued();
    await reply(
      buildNotice(
        result.alreadyCancelled
          ? "This campaign was already cancelled."
          : ":no_entry_sign: Cancelled. Every affected department is being told, and no more reminders will go out.",
      ),
    );
  } catch (error) {
    await reply(buildNotice(refusal(error)));
  }
}

/** A service refusal in words; anything unexpected is rethrown for Bolt's error handler. */
function refusal(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  throw error;
}
