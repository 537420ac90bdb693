import type { InputBlock, ModalView, PlainTextElement } from "@slack/types";
import { excerptBlock } from "./dismiss-modal.ts";
import {
  encodeModalMetadata,
  MODAL_CALLBACK_IDS,
  type ModalMetadata,
  RESPONDED_INPUTS,
} from "./ids.ts";

/** The value of the "Replied privately" checkbox. */
export const REPLIED_PRIVATELY = "private";

/** What the responded modal needs. */
export interface RespondedModalInput {
  metadata: ModalMetadata;
  /** The customer's words, untrusted: shown quoted, escaped and cut. */
  excerpt?: string | undefined;
}

/**
 * The modal recording how a thread was answered: a link to the public reply, or a tick for a
 * private one. Both are optional to Slack; the parser wants one of them and checks the link.
 */
export function buildRespondedModal(input: RespondedModalInput): ModalView {
  const blocks: ModalView["blocks"] = [];
  if (input.excerpt !== undefined) blocks.push(excerptBlock(input.excerpt));
  const link: InputBlock = {
    type: "input",
    block_id: RESPONDED_INPUTS.link.blockId,
    label: plain("Link to the public reply"),
    optional: true,
    hint: plain("Paste the link to your reply on the social network (https://…)."),
    element: {
      type: "url_text_input",
      action_id: RESPONDED_INPUTS.link.actionId,
      placeholder: plain("https://"),
    },
  };
  const privately: InputBlock = {
    type: "input",
    block_id: RESPONDED_INPUTS.private.blockId,
    label: plain("No public reply?"),
    optional: true,
    element: {
      type: "checkboxes",
      action_id: RESPONDED_INPUTS.private.actionId,
      options: [{ text: plain("Replied privately (DM, email, phone)"), value: REPLIED_PRIVATELY }],
    },
  };
  blocks.push(link, privately);
  return {
    type: "modal",
    callback_id: MODAL_CALLBACK_IDS.responded,
    private_metadata: encodeModalMetadata(input.metadata),
    title: plain("Mark as responded"),
    submit: plain("Save"),
    close: plain("Cancel"),
    blocks,
  };
}

function plain(text: string): PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}
