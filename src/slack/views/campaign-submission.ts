/**
 * Reads the heads-up modal's `view.state.values` into the campaigns API's body shape, so the
 * modal and the API go through one validation; and puts that validation's issues back beside
 * the inputs they concern (https://docs.slack.dev/surfaces/modals#displaying_errors).
 */
import * as z from "zod";
import { CAMPAIGN_INPUTS, type InputIds } from "./ids.ts";

const Option = z.looseObject({ value: z.string() });
const ElementState = z.looseObject({
  value: z.string().nullish(),
  selected_date_time: z.number().nullish(),
  selected_user: z.string().nullish(),
  selected_options: z.array(Option).nullish(),
});
type ElementState = z.infer<typeof ElementState>;

/** The campaign fields the modal filled, as the API would receive them. */
export function campaignSubmissionBody(values: unknown): Record<string, unknown> {
  const get = (name: keyof typeof CAMPAIGN_INPUTS) => element(values, CAMPAIGN_INPUTS[name]);
  const text = (name: keyof typeof CAMPAIGN_INPUTS) => get(name)?.value ?? null;
  return {
    name: text("name") ?? "",
    description: text("description"),
    launchAt: instant(get("launchAt")?.selected_date_time),
    endAt: instant(get("endAt")?.selected_date_time),
    channels: (get("channels")?.selected_options ?? []).map((o) => o.value),
    audienceSize: count(text("audienceSize")),
    expectedVolume: count(text("expectedVolume")),
    departments: (get("departments")?.selected_options ?? []).map((o) => o.value),
    // No keywords input (too many to show, campaign-modal.ts): no keywords sent, so none change.
    ...(get("keywords") ? { keywords: keywords(text("keywords")) } : {}),
    talkingPoints: text("talkingPoints"),
    faqUrl: text("faqUrl") || null,
    owner: get("owner")?.selected_user ?? "",
  };
}

/**
 * The service's issues ("endAt", "departments[1]", "keywords[3]") keyed by the block they
 * concern, first message per block; anything else lands on the name block.
 */
export function campaignModalErrors(
  issues: ReadonlyArray<{ path: string; message: string }>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.split(/[.[]/)[0] ?? "";
    const ids = (CAMPAIGN_INPUTS as Record<string, InputIds>)[field] ?? CAMPAIGN_INPUTS.name;
    errors[ids.blockId] ??= sentence(subjectOf(field, issue.path), inWords(issue.message));
  }
  return errors;
}

/** How an issue's field reads at the start of a sentence beside its input. */
const FIELD_WORDS: Record<string, string> = {
  launchAt: "The launch",
  endAt: "The end",
  departments: "The departments",
  keywords: "The keywords",
  faqUrl: "The link",
  owner: "The owner",
};

/** One item of a list field ("departments[1]") reads as one of them. */
const ITEM_WORDS: Record<string, string> = {
  departments: "A department",
  keywords: "A keyword",
};

function subjectOf(field: string, path: string): string {
  const item = /\[\d+\]/.test(path) ? ITEM_WORDS[field] : undefined;
  return item ?? FIELD_WORDS[field] ?? "";
}

// The API's messages name other fields by their keys ("must be after launchAt"); the form
// calls them what its labels do.
function inWords(message: string): string {
  return message.replace(/\blaunchAt\b/g, "the launch").replace(/\bendAt\b/g, "the end");
}

// "The end" + "must be after the launch" is a sentence; "unknown department" is a label's note.
const PREDICATE = /^(must|is|are|has|cannot|should|names?) /;

function sentence(subject: string, message: string): string {
  const capitalised = message.charAt(0).toUpperCase() + message.slice(1);
  const text = !subject
    ? capitalised
    : PREDICATE.test(message)
      ? `${subject} ${message}`
      : `${subject}: ${message}`;
  return text.slice(0, 1000);
}

/** Unix seconds from a datetimepicker as an ISO 8601 instant; absent stays absent. */
function instant(seconds: number | null | undefined): string | undefined {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return undefined;
  return new Date(seconds * 1000).toISOString();
}

/** A number input's text as a number when it is one; other text is passed on for the service to refuse. */
function count(text: string | null): number | string | null {
  if (text === null || text.trim() === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/**
 * One keyword per line; blank lines dropped. Not split on commas: a keyword may hold one
 * ("buy one, get one"), and the edit form shows each keyword on its own line, so what it
 * shows comes back as it was.
 */
function keywords(text: string | null): string[] {
  return (text ?? "")
    .split(/\r?\n|\r/)
    .map((k) => k.trim())
    .filter(Boolean);
}

function element(values: unknown, ids: InputIds): ElementState | undefined {
  const block = isRecord(values) ? values[ids.blockId] : undefined;
  const state = isRecord(block) ? block[ids.actionId] : undefined;
  const parsed = ElementState.safeParse(state);
  return parsed.success ? parsed.data : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
