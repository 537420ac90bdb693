/**
 * Which fields of the campaign edit form the editor changed. The form cannot show every stored
 * value exactly (the date-time picker has whole minutes, checkboxes keep their own order,
 * text loses surrounding blanks), so a field counts as changed only when it submits something
 * other than what it showed: comparing with the stored campaign would turn each such value into
 * an edit nobody made. The modal remembers a short fingerprint of what each field showed.
 */
import { createHash } from "node:crypto";
import type { InputBlock } from "@slack/types";
import { campaignSubmissionBody } from "./campaign-submission.ts";

/** Fingerprints of what each field of the form showed, by the API's field name. */
export type ShownFields = Record<string, string>;

/** The initial value an element shows, and the state field it submits that value in. */
const SUBMITTED_AS: ReadonlyArray<[initial: string, state: string]> = [
  ["initial_value", "value"],
  ["initial_date_time", "selected_date_time"],
  ["initial_options", "selected_options"],
  ["initial_user", "selected_user"],
];

/** What each field of the form shows, fingerprinted for the modal's private_metadata. */
export function shownFields(blocks: readonly InputBlock[]): ShownFields {
  const body = campaignSubmissionBody(untouchedState(blocks));
  return Object.fromEntries(
    Object.entries(body).map(([field, value]) => [field, fingerprint(field, value)]),
  );
}

/**
 * The submitted fields the editor changed: those whose value differs from what the form showed.
 * Without `shown` (a form opened before this was remembered) every field counts.
 */
export function touchedFields(
  body: Record<string, unknown>,
  shown: ShownFields | undefined,
): Record<string, unknown> {
  if (!shown) return body;
  return Object.fromEntries(
    Object.entries(body).filter(([field, value]) => shown[field] !== fingerprint(field, value)),
  );
}

/** The state.values Slack submits for these blocks when nobody touched them. */
function untouchedState(blocks: readonly InputBlock[]): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of blocks) {
    const element = block.element as unknown as Record<string, unknown>;
    const state: Record<string, unknown> = { type: element.type };
    for (const [initial, field] of SUBMITTED_AS)
      if (element[initial] !== undefined) state[field] = element[initial];
    if (block.block_id) values[block.block_id] = { [String(element.action_id)]: state };
  }
  return values;
}

/** The date-time pickers: they show whole minutes. */
const TIME_FIELDS = new Set(["launchAt", "endAt"]);

/**
 * A field's value as far as the form can tell it apart: instants to the minute, text without
 * surrounding blanks or CR line ends (which the service trims, and Slack may not keep).
 */
function fingerprint(field: string, value: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(comparable(field, value) ?? null))
    .digest("base64url")
    .slice(0, 16);
}

function comparable(field: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (TIME_FIELDS.has(field)) return Math.floor(Date.parse(value) / 60_000);
  return value.replace(/\r\n?/g, "\n").trim();
}
