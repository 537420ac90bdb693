/** The mrkdwn section every view builds its messages from. Pure. */
import type { MrkdwnElement, SectionBlock } from "@slack/types";
import { truncate } from "./mrkdwn.ts";

/**
 * Slack refuses a section whose text is longer:
 * https://docs.slack.dev/reference/block-kit/blocks/section-block
 */
const SECTION_TEXT_MAX = 3000;

/** verbatim: true stops Slack auto-linking names like @channel or #general in customer text. */
export function mrkdwn(text: string): MrkdwnElement {
  return { type: "mrkdwn", text, verbatim: true };
}

/** A section of our own mrkdwn, cut to what Slack takes. */
export function section(blockId: string, text: string): SectionBlock {
  return { type: "section", block_id: blockId, text: mrkdwn(truncate(text, SECTION_TEXT_MAX)) };
}
