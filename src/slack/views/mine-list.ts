import type { KnownBlock, SectionBlock } from "@slack/types";
import type { Priority } from "../../domain/complaint.ts";
import type { ThreadState } from "../../domain/thread-lifecycle.ts";
import { type SlackMessage, STATE_LABELS } from "./complaint-card.ts";
import { MINE_LIST_BLOCK_IDS } from "./ids.ts";
import { escapeAndTruncate, escapeMrkdwn, linkMrkdwn, oneLine, truncate } from "./mrkdwn.ts";

/** One thread in `/switchboard mine`. */
export interface MineListItem {
  threadId: string;
  /** The department's display name. */
  department: string;
  priority: Priority;
  state: ThreadState;
  /** The customer's words, untrusted: escaped and cut. */
  excerpt: string;
  /** The most pressing deadline in words (e.g. from `describeDue`); shown escaped. */
  dueText?: string | undefined;
  /**
   * The same from `describeDueMrkdwn`: its time a Slack date token, so each viewer reads their
   * own clock, as on the card. Our own mrkdwn (no customer text), shown as it is; wins over dueText.
   */
  dueMrkdwn?: string | undefined;
  /** Permalink to the card. */
  link?: string | undefined;
}

/**
 * Most threads listed, and most characters in all: a message holds 50 blocks, and Slack has
 * been seen refusing messages whose blocks hold ~13k characters (`msg_blocks_too_long`).
 */
const MAX_ITEMS = 20;
const MAX_TOTAL = 11_000;
const LIMIT = { excerpt: 150, department: 80, due: 200, state: 40 } as const;

/**
 * The ephemeral answer to `/switchboard mine`: the caller's open threads in the order given,
 * the first ones in full and a count of the rest. Pure: `now` stamps the list.
 */
export function buildMineList(items: readonly MineListItem[], now: Date): SlackMessage {
  if (items.length === 0) {
    const text = "You own no open threads.";
    return { text, blocks: [section(MINE_LIST_BLOCK_IDS.header, text)] };
  }
  const count = `${items.length.toLocaleString("en-US")} open ${items.length === 1 ? "thread" : "threads"}`;
  const header = `*You own ${count}* · as of ${asOf(now)}`;
  const blocks: KnownBlock[] = [section(MINE_LIST_BLOCK_IDS.header, header)];
  let total = header.length;
  for (const [index, item] of items.entries()) {
    const text = describeItem(item);
    if (index === MAX_ITEMS || total + text.length > MAX_TOTAL) break;
    blocks.push(section(`${MINE_LIST_BLOCK_IDS.itemPrefix}${index}`, text));
    total += text.length;
  }
  const shown = blocks.length - 1;
  if (shown < items.length) {
    const more = (items.length - shown).toLocaleString("en-US");
    blocks.push(section(MINE_LIST_BLOCK_IDS.more, `_…and ${more} more._`));
  }
  return { text: `You own ${count}.`, blocks };
}

function describeItem(item: MineListItem): string {
  const state = STATE_LABELS[item.state] ?? escapeAndTruncate(oneLine(item.state), LIMIT.state);
  const department = escapeAndTruncate(oneLine(item.department), LIMIT.department);
  const head = [`*${escapeMrkdwn(item.priority)}*`, `*${department}*`, state];
  if (item.link) head.push(linkMrkdwn(item.link, "Open the card"));
  const excerpt = escapeMrkdwn(truncate(oneLine(item.excerpt), LIMIT.excerpt)) || "_(no text)_";
  const lines = [head.join(" · "), `> ${excerpt}`];
  if (item.dueMrkdwn) lines.push(`:stopwatch: ${oneLine(item.dueMrkdwn)}`);
  else if (item.dueText)
    lines.push(`:stopwatch: ${escapeAndTruncate(oneLine(item.dueText), LIMIT.due)}`);
  return lines.join("\n");
}

/** The list's moment in each viewer's own time, with a UTC fallback. */
function asOf(now: Date): string {
  const ms = now.getTime();
  if (!Number.isFinite(ms)) return "now";
  const fallback = `${now.toISOString().slice(11, 16)} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{time}|${fallback}>`;
}

function section(blockId: string, text: string): SectionBlock {
  return { type: "section", block_id: blockId, text: { type: "mrkdwn", text, verbatim: true } };
}
