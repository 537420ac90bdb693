import type { KnownBlock } from "@slack/types";
import {
  buildThreadButton,
  CARD_BUTTONS,
  type ComplaintCardModel,
  describeDues,
  type SlackMessage,
} from "./complaint-card.ts";
import { HANDOVER_NOTICE_BLOCK_IDS, type ThreadAction } from "./ids.ts";
import { kindNoun } from "./kind-control.ts";
import { describeMissingCard, type MissingCard } from "./missing-card.ts";
import {
  escapeAndTruncate,
  linkMrkdwn,
  oneLine,
  quoteMrkdwn,
  truncate,
  userMention,
} from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/** A hand-over to a person, as its new owner is told. */
export interface HandOverNoticeInput {
  /** The thread as its card shows it now. */
  card: ComplaintCardModel;
  /** Slack user id of who handed it over; absent when the system did. */
  by?: string | undefined;
  /** What they wrote in the hand-over modal. */
  note?: string | undefined;
  /** Theirs again: `by` reopened it and they owned it last. */
  reopened?: boolean | undefined;
  /** Permalink to the card. */
  cardLink?: string | undefined;
  /** Why there is no link: said where the link would be. */
  missingCard?: MissingCard | undefined;
}

const LIMIT = { department: 80, note: 1000, excerpt: 300, snippet: 150, text: 3000 } as const;
/** The card's buttons worth a click from a DM: the work, not Dismiss or Reopen. */
const DM_BUTTONS: ReadonlySet<ThreadAction> = new Set([
  "responded",
  "waitOnCustomer",
  "handOver",
  "resolve",
]);

/**
 * The DM that tells someone a thread is now theirs, as a help desk tells an assignee: who
 * handed it over and why (or reopened it, when it is theirs again as its last owner), the customer's words, what is due, a link to the card and its
 * buttons. Pure.
 */
export function buildHandOverNotice(input: HandOverNoticeInput): SlackMessage {
  const { card } = input;
  const department = escapeAndTruncate(oneLine(card.department.name), LIMIT.department);
  const noun = card.kind ? kindNoun(card.kind.kind) : "complaint";
  const who = input.by ? userMention(input.by) : "Switchboard";
  const head = input.reopened
    ? `:leftwards_arrow_with_hook: ${who} reopened this *${card.priority} ${department}* ${noun}: it is yours again, as its last owner`
    : `:arrow_right_hook: ${who} handed you this *${card.priority} ${department}* ${noun}`;
  const note = input.note?.trim();
  const dues = describeDues(card);
  const blocks: KnownBlock[] = [
    // Two quotes in a row would not say whose words each is.
    section(
      HANDOVER_NOTICE_BLOCK_IDS.headline,
      note ? `${head}. Their note:\n${quoteMrkdwn(note, LIMIT.note)}` : head,
    ),
    section(
      HANDOVER_NOTICE_BLOCK_IDS.excerpt,
      `The customer wrote:\n${quoteMrkdwn(card.text, LIMIT.excerpt)}`,
    ),
  ];
  if (dues) blocks.push(section(HANDOVER_NOTICE_BLOCK_IDS.dues, dues));
  const where = input.cardLink
    ? `:point_right: ${linkMrkdwn(input.cardLink, "Open the card")}`
    : input.missingCard && `:wastebasket: _${describeMissingCard(input.missingCard)}_`;
  if (where) {
    blocks.push({
      type: "context",
      block_id: HANDOVER_NOTICE_BLOCK_IDS.context,
      elements: [{ type: "mrkdwn", text: where, verbatim: true }],
    });
  }
  const buttons = (CARD_BUTTONS[card.state] ?? []).filter(([action]) => DM_BUTTONS.has(action));
  if (buttons.length > 0) {
    blocks.push({
      type: "actions",
      block_id: HANDOVER_NOTICE_BLOCK_IDS.actions,
      elements: buttons.map(([action, style]) => buildThreadButton(action, card.threadId, style)),
    });
  }
  const snippet = escapeAndTruncate(oneLine(card.text), LIMIT.snippet);
  const did = input.reopened ? "reopened your" : "handed you a";
  const text = `${who} ${did} ${card.priority} ${department} ${noun}: ${snippet}`;
  return { text: truncate(text, LIMIT.text), blocks };
}
