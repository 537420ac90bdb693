import type {
  ContextBlock,
  InputBlock,
  ModalView,
  PlainTextElement,
  PlainTextOption,
} from "@slack/types";
import { MARKETING_CHANNELS, type MarketingChannel } from "../../domain/campaign.ts";
import { context } from "./campaign-blocks.ts";
import { shownFields } from "./campaign-form-changes.ts";
import { formatSpan } from "./due-line.ts";
import {
  CAMPAIGN_CALLBACK_IDS,
  CAMPAIGN_KEYWORDS_KEPT_BLOCK_ID,
  type CampaignModalMetadata,
  CAMPAIGN_INPUTS as INPUTS,
  MAX_PRIVATE_METADATA,
} from "./ids.ts";
import { escapeMrkdwn, oneLine, truncate } from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/** Slack's limits on a multi-select (SLACK.md §7) and the lengths the service accepts. */
const LIMIT = { options: 100, optionText: 75, optionValue: 150, name: 150, text: 3000, url: 2000 };

/** A campaign's current values, to start the edit modal from. */
export interface CampaignModalValues {
  name?: string | undefined;
  description?: string | null | undefined;
  launchAt?: Date | undefined;
  endAt?: Date | undefined;
  channels?: readonly string[] | undefined;
  audienceSize?: number | null | undefined;
  expectedVolume?: number | null | undefined;
  departments?: readonly string[] | undefined;
  keywords?: readonly string[] | undefined;
  talkingPoints?: string | null | undefined;
  faqUrl?: string | null | undefined;
  owner?: string | undefined;
}

/** What the heads-up modal needs. */
export interface CampaignModalInput {
  mode: "announce" | "edit";
  /** Every department in the config, in order: the multi-select's options. */
  departments: ReadonlyArray<{ key: string; name: string }>;
  metadata: CampaignModalMetadata;
  /** Values to start from: the campaign when editing; the announcer as owner when new. */
  initial?: CampaignModalValues | undefined;
  /** campaigns.linkTail: how long after the end complaints are still linked, for the End hint. */
  linkTailMs: number;
}

/**
 * The modal for announcing (or editing) a campaign: name, description, launch and end (Slack's
 * date-time pickers, shown in the announcer's own time zone), marketing channels, audience,
 * expected responses, affected departments, keywords, talking points, FAQ link and owner.
 */
export function buildCampaignModal(input: CampaignModalInput): ModalView {
  const v = input.initial ?? {};
  const blocks: Array<InputBlock | ContextBlock> = [
    textInput("name", "Campaign name", {
      max: LIMIT.name,
      value: v.name,
      placeholder: "Spring fare sale",
    }),
    textInput("description", "What is it?", {
      max: LIMIT.text,
      value: v.description,
      multiline: true,
      optional: true,
      hint: "What customers get, and anything departments should know.",
    }),
    dateTime(
      "launchAt",
      "Launch",
      v.launchAt,
      "In your own time zone. Reminders are sent before this.",
    ),
    dateTime("endAt", "End", v.endAt, endHint(input.linkTailMs)),
    channelsInput(v.channels),
    numberInput("audienceSize", "Audience size", v.audienceSize, "How many customers it reaches."),
    numberInput(
      "expectedVolume",
      "Expected responses",
      v.expectedVolume,
      "Complaints and questions you expect over the whole campaign; a rate well above this raises a spike alert.",
    ),
    departmentsInput(input.departments, v.departments),
    keywordsInput(v.keywords, input.metadata.campaignId),
    textInput("talkingPoints", "Talking points", {
      max: LIMIT.text,
      value: v.talkingPoints,
      multiline: true,
      optional: true,
      hint: "What departments should tell customers.",
    }),
    urlInput(v.faqUrl),
    ownerInput(v.owner),
  ];
  const editing = input.mode === "edit";
  // An edit sends only the fields changed from what they showed (campaign-form-changes.ts).
  const inputs = blocks.filter((b): b is InputBlock => b.type === "input");
  const metadata = editing ? { ...input.metadata, shown: shownFields(inputs) } : input.metadata;
  return {
    type: "modal",
    callback_id: editing ? CAMPAIGN_CALLBACK_IDS.edit : CAMPAIGN_CALLBACK_IDS.announce,
    private_metadata: encodeMetadata(metadata),
    title: plain(editing ? "Edit campaign" : "Campaign heads-up"),
    submit: plain(editing ? "Save changes" : "Send heads-up"),
    close: plain("Cancel"),
    blocks,
  };
}

/** What the announcer sees once the heads-up is on its way (the modal is updated to this). */
export function buildAnnouncedModal(input: {
  name: string;
  departments: readonly string[];
  /** notice: how long before launch it was announced; null at or after launch. */
  late?: { notice: string | null; minimum: string } | undefined;
}): ModalView {
  const lines = [
    `:white_check_mark: *${escapeMrkdwn(oneLine(input.name))}*: a heads-up is on its way to ${input.departments.map((d) => `*${escapeMrkdwn(d)}*`).join(", ")}. Each department acknowledges it; the campaign card in marketing's channel shows who has.`,
  ];
  if (input.late)
    lines.push(
      `:warning: *This is a late announcement:* ${input.late.notice === null ? "the campaign has already launched" : `only ${input.late.notice} before launch`} (the minimum notice is ${input.late.minimum}). The departments' leads were alerted at once.`,
    );
  return {
    type: "modal",
    callback_id: CAMPAIGN_CALLBACK_IDS.done,
    title: plain("Heads-up sent"),
    close: plain("Done"),
    blocks: [section("campaign.announced", lines.join("\n\n"))],
  };
}

function encodeMetadata(metadata: CampaignModalMetadata): string {
  const { campaignId, shown } = metadata;
  const json = JSON.stringify({
    ...(campaignId ? { campaignId } : {}),
    ...(shown ? { shown } : {}),
  });
  if (json.length > MAX_PRIVATE_METADATA) throw new RangeError("campaign modal metadata too long");
  return json;
}

type InputName = keyof typeof INPUTS;

function block(
  name: InputName,
  label: string,
  element: InputBlock["element"],
  extra: Partial<InputBlock> = {},
): InputBlock {
  return { type: "input", block_id: INPUTS[name].blockId, label: plain(label), element, ...extra };
}

function textInput(
  name: InputName,
  label: string,
  o: {
    max: number;
    value?: string | null | undefined;
    multiline?: boolean;
    optional?: boolean;
    hint?: string;
    placeholder?: string;
  },
): InputBlock {
  return block(
    name,
    label,
    {
      type: "plain_text_input",
      action_id: INPUTS[name].actionId,
      max_length: o.max,
      ...(o.multiline ? { multiline: true } : {}),
      ...(o.value ? { initial_value: truncate(o.value, o.max) } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
    },
    { ...(o.optional ? { optional: true } : {}), ...(o.hint ? { hint: plain(o.hint) } : {}) },
  );
}

/**
 * The keywords, one per line; or, when they do not fit Slack's text input (3,000 characters:
 * the API takes 50 keywords of 100), a line saying how to change them instead. A cut list
 * would show the campaign wrong and, once saved, drop the rest; with no input the form
 * submits no keywords, so they stay as they are (campaign-submission.ts).
 */
function keywordsInput(
  keywords: readonly string[] | undefined,
  campaignId: string | undefined,
): InputBlock | ContextBlock {
  const text = keywords?.join("\n");
  if (text === undefined || text.length <= LIMIT.text)
    return textInput("keywords", "Keywords", {
      max: LIMIT.text,
      value: text,
      multiline: true,
      optional: true,
      hint: "Phrases, #hashtags and promo codes customers will write, one per line (a comma is part of the keyword, not a separator). Complaints containing one are linked to the campaign.",
    });
  const endpoint = `PATCH /api/v1/campaigns/${campaignId ?? "<campaign id>"}`;
  return context(CAMPAIGN_KEYWORDS_KEPT_BLOCK_ID, [
    `*Keywords:* this campaign has ${keywords?.length} keywords, too many to edit here (Slack's text box holds ${LIMIT.text.toLocaleString("en-US")} characters). Saving this form keeps them as they are; to change them, send \`${endpoint}\` with a \`keywords\` list to the campaigns API.`,
  ]);
}

function dateTime(
  name: "launchAt" | "endAt",
  label: string,
  value: Date | undefined,
  hint: string,
): InputBlock {
  const seconds = value ? Math.floor(value.getTime() / 1000) : undefined;
  return block(
    name,
    label,
    {
      type: "datetimepicker",
      action_id: INPUTS[name].actionId,
      ...(seconds !== undefined && Number.isFinite(seconds) ? { initial_date_time: seconds } : {}),
    },
    { hint: plain(hint) },
  );
}

/** The End field's hint: the real linking period, so marketing knows when linking stops. */
function endHint(linkTailMs: number): string {
  // Under a minute formatSpan says "less than a minute"; linkTail 0m means linking stops at the end.
  return Math.floor(linkTailMs / 60_000) > 0
    ? `Complaints mentioning its keywords are still linked to it for ${formatSpan(linkTailMs)} after it ends.`
    : "Complaints mentioning its keywords are linked to it until it ends.";
}

function channelsInput(selected: readonly string[] | undefined): InputBlock {
  const options = Object.entries(MARKETING_CHANNELS).map(([value, label]) => ({
    text: plain(label),
    value,
  }));
  const initial = options.filter((o) => selected?.includes(o.value as MarketingChannel));
  return block(
    "channels",
    "Marketing channels used",
    {
      type: "checkboxes",
      action_id: INPUTS.channels.actionId,
      options,
      ...(initial.length ? { initial_options: initial } : {}),
    },
    { optional: true },
  );
}

function numberInput(
  name: "audienceSize" | "expectedVolume",
  label: string,
  value: number | null | undefined,
  hint: string,
): InputBlock {
  return block(
    name,
    label,
    {
      type: "number_input",
      action_id: INPUTS[name].actionId,
      is_decimal_allowed: false,
      min_value: "0",
      ...(value !== null && value !== undefined ? { initial_value: String(value) } : {}),
    },
    { optional: true, hint: plain(hint) },
  );
}

function departmentsInput(
  departments: ReadonlyArray<{ key: string; name: string }>,
  selected: readonly string[] | undefined,
): InputBlock {
  const options: PlainTextOption[] = departments
    .filter((d) => d.key.length > 0 && d.key.length <= LIMIT.optionValue)
    .slice(0, LIMIT.options)
    .map((d) => ({
      text: plain(truncate(oneLine(d.name), LIMIT.optionText) || d.key),
      value: d.key,
    }));
  const initial = options.filter((o) => selected?.includes(o.value ?? ""));
  return block(
    "departments",
    "Affected departments",
    {
      type: "multi_static_select",
      action_id: INPUTS.departments.actionId,
      placeholder: plain("Who will hear from customers?"),
      options,
      ...(initial.length ? { initial_options: initial } : {}),
    },
    { hint: plain("Each gets the heads-up in its channel and must acknowledge it.") },
  );
}

function urlInput(value: string | null | undefined): InputBlock {
  return block(
    "faqUrl",
    "FAQ link",
    {
      type: "url_text_input",
      action_id: INPUTS.faqUrl.actionId,
      ...(value ? { initial_value: truncate(value, LIMIT.url) } : {}),
    },
    { optional: true },
  );
}

function ownerInput(owner: string | undefined): InputBlock {
  return block(
    "owner",
    "Owner",
    {
      type: "users_select",
      action_id: INPUTS.owner.actionId,
      ...(owner ? { initial_user: owner } : {}),
    },
    { hint: plain("Told at launch which departments never acknowledged, and alerted on spikes.") },
  );
}

function plain(text: string): PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}

/** What the editor sees once an edit is saved. */
export function buildEditedModal(result: {
  changes: ReadonlyArray<{ field: string }>;
  freshAcknowledgement: boolean;
  late: boolean;
}): ModalView {
  const lines =
    result.changes.length === 0
      ? ["No changes to save: the campaign is as it was, and nobody is told anything."]
      : [
          `:white_check_mark: Saved ${result.changes.length === 1 ? "one change" : `${result.changes.length} changes`}. Each affected department is told what changed in its heads-up's thread.`,
        ];
  if (result.freshAcknowledgement)
    lines.push(
      "The launch time or talking points changed, or a department was added, so every department is asked to acknowledge again.",
    );
  if (result.late)
    lines.push(
      ":warning: This leaves less than the minimum notice before launch: the leads of the departments concerned were alerted.",
    );
  return {
    type: "modal",
    callback_id: CAMPAIGN_CALLBACK_IDS.done,
    title: plain("Campaign saved"),
    close: plain("Done"),
    blocks: [section("campaign.saved", lines.join("\n\n"))],
  };
}
