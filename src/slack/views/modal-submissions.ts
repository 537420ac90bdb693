/**
 * Parsers for the thread modals' `view.state.values`. Each returns the value for the service,
 * or errors keyed by block_id, ready for `ack({ response_action: "errors", errors })`
 * (https://docs.slack.dev/surfaces/modals#displaying_errors).
 */
import * as z from "zod";
import { DISMISS_REASONS, type DismissReason } from "../../domain/thread-lifecycle.ts";
import { MAX_NOTE_LENGTH } from "./dismiss-modal.ts";
import { DISMISS_INPUTS, HAND_OVER_INPUTS, type InputIds, RESPONDED_INPUTS } from "./ids.ts";
import { MAX_LINK_URL } from "./mrkdwn.ts";
import { REPLIED_PRIVATELY } from "./responded-modal.ts";

/** A parsed submission, or a message per block_id for Slack to show beside the inputs. */
export type SubmissionResult<T> =
  | { ok: true; value: T }
  | { ok: false; errors: Record<string, string> };

/** A hand-over, in the shape of the lifecycle's hand-over actions (without `by`). */
export type HandOverSubmission =
  | { type: "hand_over_person"; to: string; note?: string | undefined }
  | { type: "hand_over_department"; to: string; note?: string | undefined };

/** How the thread was answered, in the shape of the lifecycle's `respond.reply`. */
export interface RespondedSubmission {
  reply: { kind: "public"; url: string } | { kind: "private" };
}

/** Why a thread is dismissed, and any note. */
export interface DismissSubmission {
  reason: DismissReason;
  note?: string | undefined;
}

/** The state Slack sends for one input element; only the fields our elements use. */
const ElementState = z.looseObject({
  type: z.string().optional(),
  value: z.string().nullish(),
  selected_user: z.string().nullish(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
  selected_options: z.array(z.looseObject({ value: z.string() })).nullish(),
});
type ElementState = z.infer<typeof ElementState>;

const USER_ID = /^[UW][A-Z0-9]{2,31}$/;
/** As mrkdwn.ts's linkMrkdwn demands, so the card can show the reply as a link. */
const SAFE_URL = /^https?:\/\/[^\s<>|]+$/i;

const Note = z
  .string()
  .trim()
  .max(MAX_NOTE_LENGTH, `Keep the note to ${MAX_NOTE_LENGTH.toLocaleString("en-US")} characters`)
  .optional()
  .transform((note) => (note ? note : undefined));

const HandOverFields = z
  .object({
    person: z.string().regex(USER_ID, "Pick a person from the list").optional(),
    department: z.string().min(1).max(150, "Pick a department from the list").optional(),
    note: Note,
  })
  .superRefine((fields, ctx) => {
    if (fields.person && fields.department) {
      ctx.addIssue({
        code: "custom",
        path: ["department"],
        message: "Pick a person or a department, not both",
      });
    } else if (!fields.person && !fields.department) {
      ctx.addIssue({ code: "custom", path: ["person"], message: "Pick a person or a department" });
    }
  })
  .transform((fields): HandOverSubmission => {
    const note = fields.note === undefined ? {} : { note: fields.note };
    return fields.person
      ? { type: "hand_over_person", to: fields.person, ...note }
      : { type: "hand_over_department", to: fields.department ?? "", ...note };
  });

const LINK_MESSAGE = "Enter the link to the public reply, starting with https://";

const RespondedFields = z
  .object({
    link: z
      .string()
      .trim()
      .max(MAX_LINK_URL, "That link is too long; copy the reply's own link")
      .optional()
      .transform((link) => (link ? link : undefined))
      .pipe(
        z
          .url({ protocol: /^https?$/, message: LINK_MESSAGE })
          .regex(SAFE_URL, LINK_MESSAGE)
          .optional(),
      ),
    private: z.boolean(),
  })
  .superRefine((fields, ctx) => {
    if (!fields.link && !fields.private) {
      ctx.addIssue({
        code: "custom",
        path: ["link"],
        message: "Paste the link to the public reply, or tick “Replied privately”",
      });
    }
  })
  // A link says more than the tick, so it wins when both are given.
  .transform(
    (fields): RespondedSubmission => ({
      reply: fields.link ? { kind: "public", url: fields.link } : { kind: "private" },
    }),
  );

const DismissFields = z.object({
  reason: z.enum(DISMISS_REASONS, { message: "Pick a reason" }),
  note: Note,
});

/** Parses the hand-over modal: exactly one of a person or a department, and an optional note. */
export function parseHandOverSubmission(values: unknown): SubmissionResult<HandOverSubmission> {
  const fields = {
    person: present(element(values, HAND_OVER_INPUTS.person)?.selected_user),
    department: present(element(values, HAND_OVER_INPUTS.department)?.selected_option?.value),
    note: present(element(values, HAND_OVER_INPUTS.note)?.value),
  };
  return toResult(HandOverFields.safeParse(fields), HAND_OVER_INPUTS);
}

/** Parses the responded modal: an http(s) link to the public reply, or the private tick. */
export function parseRespondedSubmission(values: unknown): SubmissionResult<RespondedSubmission> {
  const ticked = element(values, RESPONDED_INPUTS.private)?.selected_options ?? [];
  const fields = {
    link: present(element(values, RESPONDED_INPUTS.link)?.value),
    private: ticked.some((option) => option.value === REPLIED_PRIVATELY),
  };
  return toResult(RespondedFields.safeParse(fields), RESPONDED_INPUTS);
}

/** Parses the dismiss modal: one of the four reasons, and an optional note. */
export function parseDismissSubmission(values: unknown): SubmissionResult<DismissSubmission> {
  const fields = {
    reason: present(element(values, DISMISS_INPUTS.reason)?.selected_option?.value),
    note: present(element(values, DISMISS_INPUTS.note)?.value),
  };
  const result = DismissFields.safeParse(fields);
  if (!result.success) return toResult(result, DISMISS_INPUTS);
  const { reason, note } = result.data;
  return { ok: true, value: note === undefined ? { reason } : { reason, note } };
}

/** One element's state in `view.state.values`, or undefined when absent or malformed. */
function element(values: unknown, ids: InputIds): ElementState | undefined {
  const block = isRecord(values) ? values[ids.blockId] : undefined;
  const state = isRecord(block) ? block[ids.actionId] : undefined;
  const parsed = ElementState.safeParse(state);
  return parsed.success ? parsed.data : undefined;
}

/** Slack sends null or "" for an input left empty; both mean "not given". */
function present(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Zod's outcome as a submission result, each issue under the block of the field it names. */
function toResult<T>(
  result: z.ZodSafeParseResult<T>,
  inputs: Record<string, InputIds>,
): SubmissionResult<T> {
  if (result.success) return { ok: true, value: result.data };
  const errors: Record<string, string> = {};
  const fallback = Object.values(inputs)[0]?.blockId ?? "";
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "");
    const blockId = inputs[field]?.blockId ?? fallback;
    errors[blockId] ??= issue.message;
  }
  return { ok: false, errors };
}
