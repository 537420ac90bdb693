import type { KnownBlock } from "@slack/types";
import {
  buildThreadButton,
  CARD_BUTTONS,
  type ComplaintCardModel,
  describeDues,
  describeStatus,
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
  slackDate,
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
  blocks.push(...whereBlocks(input));
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

/** The hand-over DM once the thread is no longer its reader's to work. */
export interface HandOverOutcomeInput {
  /** The thread as its card shows it now. */
  card: ComplaintCardModel;
  /** When it was resolved or dismissed; absent while it is open. */
  closedAt?: Date | undefined;
  cardLink?: string | undefined;
  missingCard?: MissingCard | undefined;
}

/**
 * What a hand-over DM becomes once the thread was closed or handed on: the card's status
 * line ("*Resolved* · owner @Priya · 10:42"), the customer's words and the link to the card,
 * with no buttons, as PagerDuty updates an incident's DM, so nobody works it from a stale
 * message. Pure.
 */
export function buildHandOverOutcome(input: HandOverOutcomeInput): SlackMessage {
  const { card } = input;
  const when = input.closedAt ? slackDate(input.closedAt) : undefined;
  const status = when ? `${describeStatus(card)} · ${when}` : describeStatus(card);
  const blocks: KnownBlock[] = [
    section(HANDOVER_NOTICE_BLOCK_IDS.headline, `Now: ${status}`),
    section(
      HANDOVER_NOTICE_BLOCK_IDS.excerpt,
      `The customer wrote:\n${quoteMrkdwn(card.text, LIMIT.excerpt)}`,
    ),
    ...whereBlocks(input),
  ];
  const department = escapeAndTruncate(oneLine(card.department.name), LIMIT.department);
  const snippet = escapeAndTruncate(oneLine(card.text), LIMIT.snippet);
  const text = `${card.priority} ${department}, now ${card.state.replaceAll("_", " ")}: ${snippet}`;
  return { text: truncate(text, LIMIT.text), blocks };
}

/** The link to the card, or why there is none; nothing when neither is known. */
function whereBlocks(input: {
  cardLink?: string | undefined;
  missingCard?: MissingCard | undefined;
}): KnownBlock[] {
  const where = input.cardLink
    ? `:point_right: ${linkMrkdwn(input.cardLink, "Open the card")}`
    : input.missingCard && `:wastebasket: _${describeMissingCard(input.missingCard)}_`;
  if (!where) return [];
  return [
    {
      type: "context",
      block_id: HANDOVER_NOTICE_BLOCK_IDS.context,
      elements: [{ type: "mrkdwn", text: where, verbatim: true }],
    },
  ];
}
