import type { ContextBlock, InputBlock, ModalView, PlainTextElement } from "@slack/types";
import { DISMISS_REASONS, type DismissReason } from "../../domain/thread-lifecycle.ts";
import {
  DISMISS_INPUTS,
  encodeModalMetadata,
  MODAL_BLOCK_IDS,
  MODAL_CALLBACK_IDS,
  type ModalMetadata,
} from "./ids.ts";
import { quoteMrkdwn } from "./mrkdwn.ts";

/** Each dismiss reason in words, for the modal, the card and the timeline. */
export const DISMISS_REASON_LABELS: Record<DismissReason, string> = {
  spam: "Spam or bot",
  duplicate: "Duplicate of another thread",
  not_ours: "Not about us / not our department",
  no_response_needed: "No response needed",
};

/** Longest note a modal accepts; the parser checks it again. */
export const MAX_NOTE_LENGTH = 1000;
/** Room for the customer's words shown atop a modal. */
const EXCERPT_LENGTH = 300;

/** What the dismiss modal needs: where to send the result, and what the complaint said. */
export interface DismissModalInput {
  metadata: ModalMetadata;
  /** The customer's words, untrusted: shown quoted, escaped and cut. */
  excerpt?: string | undefined;
}

/** The modal asking why a thread is being dismissed (reason required, note optional). */
export function buildDismissModal(input: DismissModalInput): ModalView {
  const blocks: ModalView["blocks"] = [];
  if (input.excerpt !== undefined) blocks.push(excerptBlock(input.excerpt));
  const reason: InputBlock = {
    type: "input",
    block_id: DISMISS_INPUTS.reason.blockId,
    label: plain("Why dismiss it?"),
    element: {
      type: "radio_buttons",
      action_id: DISMISS_INPUTS.reason.actionId,
      options: DISMISS_REASONS.map((value) => ({
        text: plain(DISMISS_REASON_LABELS[value]),
        value,
      })),
    },
  };
  const note: InputBlock = {
    type: "input",
    block_id: DISMISS_INPUTS.note.blockId,
    label: plain("Note"),
    optional: true,
    hint: plain("Shown in the thread's timeline, e.g. the duplicate's link."),
    element: {
      type: "plain_text_input",
      action_id: DISMISS_INPUTS.note.actionId,
      multiline: true,
      max_length: MAX_NOTE_LENGTH,
    },
  };
  blocks.push(reason, note);
  return {
    type: "modal",
    callback_id: MODAL_CALLBACK_IDS.dismiss,
    private_metadata: encodeModalMetadata(input.metadata),
    title: plain("Dismiss thread"),
    submit: plain("Dismiss"),
    close: plain("Cancel"),
    blocks,
  };
}

/** The customer's words atop a modal, so people see what they are acting on. */
export function excerptBlock(excerpt: string): ContextBlock {
  return {
    type: "context",
    block_id: MODAL_BLOCK_IDS.excerpt,
    elements: [{ type: "mrkdwn", text: quoteMrkdwn(excerpt, EXCERPT_LENGTH), verbatim: true }],
  };
}

function plain(text: string): PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}
