import type { ModalView, PlainTextElement } from "@slack/types";
import { MODAL_BLOCK_IDS, MODAL_CALLBACK_IDS } from "./ids.ts";

/**
 * What a thread form turns into when the person who opened it may not use it: the form's
 * title, why not, and only a Close button. Slack wants the form open within 3 seconds of the
 * click, before the bot knows who the person is; this replaces it once it does, so nobody
 * fills in a form only to be refused on submit.
 */
export function buildRefusalModal(input: { title: string; reason: string }): ModalView {
  return {
    type: "modal",
    callback_id: MODAL_CALLBACK_IDS.refused,
    title: plain(input.title),
    close: plain("Close"),
    blocks: [
      {
        type: "section",
        block_id: MODAL_BLOCK_IDS.refusal,
        text: { type: "mrkdwn", text: `:no_entry: ${input.reason}` },
      },
    ],
  };
}

function plain(text: string): PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}
