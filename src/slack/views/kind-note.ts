import type { ActionsBlock, KnownBlock } from "@slack/types";
import type { PostAuthor, SlackMessage } from "./complaint-card.ts";
import { buildThreadButton } from "./complaint-card.ts";
import { NOTE_BLOCK_IDS } from "./ids.ts";
import {
  buildKindSelect,
  describeKind,
  describeKindReason,
  KIND_LABELS,
  type KindView,
} from "./kind-control.ts";
import { describeMissingCard, type MissingCard } from "./missing-card.ts";
import {
  escapeAndTruncate,
  escapeMrkdwn,
  linkMrkdwn,
  oneLine,
  quoteMrkdwn,
  slackDate,
  truncate,
} from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/** A post that is not on the desk (praise, chatter), shown in its kind's channel, e.g. #kudos. */
export interface KindNoteModel {
  threadId: string;
  source: string;
  /** The customer's words, untrusted: escaped and cut. */
  text: string;
  url?: string | undefined;
  author?: PostAuthor | undefined;
  postedAt?: Date | undefined;
  /** The department it was routed to, which gets it if someone puts it on the desk. */
  department: { name: string };
  kind: KindView;
  /** Later messages in the conversation. */
  followUps?: number | undefined;
}

const LIMIT = { text: 2900, label: 150, name: 80, handle: 64, snippet: 150 } as const;

/**
 * A note for a post that needs no answer under an SLA: who said what, where, and why it is
 * not on the desk, with a "Kind" picker to put it there (a complaint or question gets its
 * card and clocks at once) and its timeline. Pure.
 */
export function buildKindNote(model: KindNoteModel): SlackMessage {
  const who = model.author ? describeWho(model.author) : "_unknown author_";
  const when = model.postedAt ? slackDate(model.postedAt) : undefined;
  const head = [
    `${describeKind(model.kind.kind)} on *${label(model.source)}* from ${who}`,
    `for ${label(model.department.name)}`,
    ...(when ? [`posted ${when}`] : []),
  ].join(" · ");
  const quote = quoteMrkdwn(model.text, LIMIT.text);
  // In a block of its own, as on the card: after a long post it would be cut off mid-link.
  const link = model.url
    ? section(
        NOTE_BLOCK_IDS.link,
        `:link: ${linkMrkdwn(model.url, `View the post on ${oneLine(model.source)}`)}`,
      )
    : undefined;
  const why = describeKindReason(model.kind);
  const later =
    model.followUps && model.followUps > 0
      ? ` ${model.followUps} later ${model.followUps === 1 ? "message" : "messages"} in the thread.`
      : "";
  const context = `No SLA clocks, not on the desk. To answer it, pick Complaint or Question.${later}`;
  const blocks: KnownBlock[] = [
    section(NOTE_BLOCK_IDS.summary, head),
    section(NOTE_BLOCK_IDS.text, quote),
    ...(link ? [link] : []),
    {
      type: "context",
      block_id: NOTE_BLOCK_IDS.context,
      elements: [why, context]
        .filter((t): t is string => t !== undefined)
        .map((t) => ({ type: "mrkdwn", text: truncate(t, 2000), verbatim: true })),
    },
    actions(model),
  ];
  const from = model.author ? ` from @${handle(model.author.handle)}` : "";
  const snippet = escapeMrkdwn(truncate(oneLine(model.text), LIMIT.snippet)) || "(no text)";
  return {
    text: `${KIND_LABELS[model.kind.kind]}${from} on ${label(model.source)}: ${snippet}`,
    blocks,
  };
}

/** What a #kudos note becomes once its post is put on the desk: a pointer to the card. */
export function buildMovedNote(input: {
  kind: string;
  department: string;
  link?: string | undefined;
  missingCard?: MissingCard | undefined;
}): SlackMessage {
  const desk = `${escapeMrkdwn(input.department)}'s desk`;
  const where = input.link
    ? linkMrkdwn(input.link, desk)
    : `${desk}${input.missingCard ? ` (${describeMissingCard(input.missingCard)})` : ""}`;
  const text = `:arrow_right: Marked ${escapeMrkdwn(input.kind)} and moved to ${where}. Follow it there.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

function actions(model: KindNoteModel): ActionsBlock {
  return {
    type: "actions",
    block_id: NOTE_BLOCK_IDS.actions,
    elements: [
      buildKindSelect(model.threadId, model.kind.kind),
      buildThreadButton("timeline", model.threadId),
    ],
  };
}

function describeWho(author: PostAuthor): string {
  const at = `@${handle(author.handle)}`;
  const name = author.name ? escapeAndTruncate(oneLine(author.name), LIMIT.name) : "";
  return name ? `*${name}* (${at})` : `*${at}*`;
}

function handle(value: string): string {
  return escapeAndTruncate(oneLine(value).replace(/^@+/, ""), LIMIT.handle);
}

function label(value: string): string {
  return escapeAndTruncate(oneLine(value), LIMIT.label);
}
