import type { App, ViewSubmitAction } from "@slack/bolt";
import { DomainError, ValidationError } from "../../../domain/errors.ts";
import { announceCampaign } from "../../../services/announce-campaign.ts";
import { editCampaign } from "../../../services/edit-campaign.ts";
import { departmentOf } from "../../../services/workspace-lookups.ts";
import { announcerFacts } from "../../campaign-actor.ts";
import { type ListenerDeps, slackContext } from "../../listener-deps.ts";
import { touchedFields } from "../../views/campaign-form-changes.ts";
import { buildAnnouncedModal, buildEditedModal } from "../../views/campaign-modal.ts";
import { campaignModalErrors, campaignSubmissionBody } from "../../views/campaign-submission.ts";
import { formatSpan } from "../../views/due-line.ts";
import {
  CAMPAIGN_CALLBACK_IDS,
  CAMPAIGN_INPUTS,
  parseCampaignModalMetadata,
} from "../../views/ids.ts";

type Ack = (response?: Record<string, unknown>) => Promise<void>;

/**
 * Submissions of the heads-up modal (new campaign, or an edit from the campaign card). The
 * campaign is stored before the ack, so a field error or a refusal is shown inside the modal
 * and nothing is created; on success the modal turns into a confirmation (with the late
 * warning, when there is one).
 */
export function registerCampaignModals(app: App, deps: ListenerDeps): void {
  app.view<ViewSubmitAction>(CAMPAIGN_CALLBACK_IDS.announce, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const raw = campaignSubmissionBody(view.state.values);
    await submit(ack as Ack, async () => {
      const result = await announceCampaign(slackContext(deps, userId), deps.config, {
        raw,
        announcer: await announcerFacts(deps, userId),
      });
      deps.onQueued();
      const names = result.departments.map((k) => departmentOf(deps.config, k)?.name ?? k);
      return buildAnnouncedModal({
        name: String(raw.name),
        departments: names,
        late: result.late
          ? {
              notice: result.noticeMs > 0 ? formatSpan(result.noticeMs) : null,
              minimum: formatSpan(result.minimumNoticeMs),
            }
          : undefined,
      });
    });
  });
  app.view<ViewSubmitAction>(CAMPAIGN_CALLBACK_IDS.edit, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const metadata = parseCampaignModalMetadata(view.private_metadata);
    await submit(ack as Ack, async () => {
      if (!metadata?.campaignId)
        throw new ValidationError([
          {
            path: "name",
            message: "This form is out of date; open it again from the campaign card.",
          },
        ]);
      const result = await editCampaign(slackContext(deps, userId), deps.config, {
        campaignId: metadata.campaignId,
        raw: touchedFields(campaignSubmissionBody(view.state.values), metadata.shown),
        announcer: await announcerFacts(deps, userId),
        onlyTouched: metadata.shown !== undefined,
      });
      if (result.changes.length > 0) deps.onQueued();
      return buildEditedModal(result);
    });
  });
}

/** Runs the change; acks with the confirmation view, or with errors beside the inputs. */
async function submit(ack: Ack, change: () => Promise<Parameters<typeof asUpdate>[0]>) {
  let view: Parameters<typeof asUpdate>[0];
  try {
    view = await change();
  } catch (error) {
    if (error instanceof ValidationError)
      return ack({ response_action: "errors", errors: campaignModalErrors(error.issues) });
    if (error instanceof DomainError)
      return ack({
        response_action: "errors",
        errors: { [CAMPAIGN_INPUTS.name.blockId]: error.message.slice(0, 1000) },
      });
    throw error;
  }
  await ack(asUpdate(view));
}

function asUpdate(view: ReturnType<typeof buildAnnouncedModal>) {
  return { response_action: "update", view };
}
