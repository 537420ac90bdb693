import type { InputBlock, ModalView, PlainTextElement, PlainTextOption } from "@slack/types";
import { excerptBlock, MAX_NOTE_LENGTH } from "./dismiss-modal.ts";
import {
  encodeModalMetadata,
  HAND_OVER_INPUTS,
  MODAL_CALLBACK_IDS,
  type ModalMetadata,
} from "./ids.ts";
import { oneLine, truncate } from "./mrkdwn.ts";

/** Slack's limits on a static_select (SLACK.md §7; option value: Block Kit reference). */
const MAX_OPTIONS = 100;
const MAX_OPTION_TEXT = 75;
const MAX_OPTION_VALUE = 150;

/** What the hand-over modal needs. */
export interface HandOverModalInput {
  metadata: ModalMetadata;
  /** Every department, from the workspace config; the current one is left out. */
  departments: ReadonlyArray<{ key: string; name: string }>;
  /** Key of the department the thread is with now. */
  currentDepartment: string;
  /** The customer's words, untrusted: shown quoted, escaped and cut. */
  excerpt?: string | undefined;
}

/**
 * The modal for handing a thread to a person or another department, with an optional note.
 * Both pickers are optional to Slack; the parser insists on exactly one. When there is no
 * other department, only the person picker is offered.
 */
export function buildHandOverModal(input: HandOverModalInput): ModalView {
  const blocks: ModalView["blocks"] = [];
  if (input.excerpt !== undefined) blocks.push(excerptBlock(input.excerpt));
  blocks.push({
    type: "input",
    block_id: HAND_OVER_INPUTS.person.blockId,
    label: plain("Hand to a person"),
    optional: true,
    element: {
      type: "users_select",
      action_id: HAND_OVER_INPUTS.person.actionId,
      placeholder: plain("Choose a person"),
    },
  });
  const options = departmentOptions(input.departments, input.currentDepartment);
  if (options.length > 0) {
    blocks.push({
      type: "input",
      block_id: HAND_OVER_INPUTS.department.blockId,
      label: plain("…or to another department"),
      optional: true,
      hint: plain("The thread goes back to open in that department's channel."),
      element: {
        type: "static_select",
        action_id: HAND_OVER_INPUTS.department.actionId,
        placeholder: plain("Choose a department"),
        options,
      },
    });
  }
  const note: InputBlock = {
    type: "input",
    block_id: HAND_OVER_INPUTS.note.blockId,
    label: plain("Note"),
    optional: true,
    hint: plain("What should they know? Shown in the thread's timeline."),
    element: {
      type: "plain_text_input",
      action_id: HAND_OVER_INPUTS.note.actionId,
      multiline: true,
      max_length: MAX_NOTE_LENGTH,
    },
  };
  blocks.push(note);
  return {
    type: "modal",
    callback_id: MODAL_CALLBACK_IDS.handOver,
    private_metadata: encodeModalMetadata(input.metadata),
    title: plain("Hand over thread"),
    submit: plain("Hand over"),
    close: plain("Cancel"),
    blocks,
  };
}

/**
 * One option per other department, in config order. A key too long for an option value could
 * not be read back, so it is left out rather than cut; duplicates keep the first.
 */
function departmentOptions(
  departments: HandOverModalInput["departments"],
  current: string,
): PlainTextOption[] {
  const seen = new Set<string>([current]);
  const options: PlainTextOption[] = [];
  for (const { key, name } of departments) {
    if (seen.has(key) || key.length === 0 || key.length > MAX_OPTION_VALUE) continue;
    seen.add(key);
    const text = truncate(oneLine(name), MAX_OPTION_TEXT) || truncate(key, MAX_OPTION_TEXT);
    options.push({ text: plain(text), value: key });
    if (options.length === MAX_OPTIONS) break;
  }
  return options;
}

function plain(text: string): PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}
