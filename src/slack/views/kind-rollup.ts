import type { KnownBlock } from "@slack/types";
import { type PostKind, ROLLUP_PAGE_SIZE } from "../../domain/post-kinds.ts";
import type { SlackMessage } from "./complaint-card.ts";
import { buildKindSelect, KIND_LABELS } from "./kind-control.ts";
import {
  escapeAndTruncate,
  escapeMrkdwn,
  linkMrkdwn,
  oneLine,
  slackDate,
  truncate,
} from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/** One post in a roll-up. */
export interface RollupItem {
  threadId: string;
  kind: PostKind;
  source: string;
  text: string;
  url?: string | undefined;
  authorHandle?: string | undefined;
  department: string;
}

/** What a daily roll-up shows: counts for the whole period and the latest posts. */
export interface RollupModel {
  kinds: readonly PostKind[];
  periodStart: Date;
  periodEnd: Date;
  /** Threads per kind and department (department by name). */
  counts: ReadonlyArray<{ kind: PostKind; department: string; threads: number }>;
  /** This page's posts, newest first, at most MAX_ROLLUP_ITEMS of them. */
  items: readonly RollupItem[];
  /** Which message of the roll-up this is (0-based) and how many there are; default 0 of 1. */
  page?: { index: number; of: number } | undefined;
  /** Sent once a day ("Daily roll-up"); false for one on a cron schedule. Default true. */
  daily?: boolean | undefined;
}

/** Posts listed per message; with the header, summary and note, well under Slack's 50 blocks. */
export const MAX_ROLLUP_ITEMS = ROLLUP_PAGE_SIZE;
const LIMIT = { excerpt: 200, label: 80, handle: 64 } as const;

/**
 * The roll-up (usually daily) of posts kept off the desk (chatter, or praise when it is not sent to a
 * channel of its own): how many of each kind, for which department, and the latest ones,
 * each with a "Kind" picker that puts it on the desk. Pure.
 */
export function buildKindRollup(model: RollupModel): SlackMessage {
  const total = model.counts.reduce((sum, c) => sum + c.threads, 0);
  const kinds = model.kinds.map((k) => KIND_LABELS[k].toLowerCase()).join(" and ");
  const { index, of } = model.page ?? { index: 0, of: 1 };
  const from = slackDate(model.periodStart) ?? model.periodStart.toISOString();
  const to = slackDate(model.periodEnd) ?? model.periodEnd.toISOString();
  const part = of > 1 ? ` (${index + 1} of ${of})` : "";
  const title = model.daily === false ? "Roll-up" : "Daily roll-up";
  const header = `:clipboard: *${title}: ${escapeMrkdwn(kinds)}*${part} · ${from} → ${to}`;
  const blocks: KnownBlock[] = [section("rollup.header", header)];
  if (total === 0) {
    blocks.push(section("rollup.summary", "Nothing kept off the desk in this period."));
    return { text: `${title}: no ${kinds} posts`, blocks };
  }
  if (index === 0) blocks.push(section("rollup.summary", describeCounts(model, total)));
  if (index > 0 && model.items.length === 0) {
    // Posts that left for the desk moved the rest forward; this page stays in the channel.
    const where = index === 1 ? "the page before" : "the pages before";
    blocks.push(section("rollup.empty", `Every post of this roll-up is on ${where} this one now.`));
  }
  model.items.slice(0, MAX_ROLLUP_ITEMS).forEach((item, i) => {
    blocks.push({
      ...section(`rollup.item.${i}`, describeItem(item)),
      accessory: buildKindSelect(item.threadId, item.kind),
    });
  });
  const listed = index * MAX_ROLLUP_ITEMS + Math.min(model.items.length, MAX_ROLLUP_ITEMS);
  if (index === of - 1 && total > listed) {
    const rest = total - listed;
    blocks.push({
      type: "context",
      block_id: "rollup.more",
      elements: [
        {
          type: "mrkdwn",
          text: `${rest} older ${rest === 1 ? "post is" : "posts are"} not listed here; every post is stored with its thread's timeline.`,
        },
      ],
    });
  }
  const noun = total === 1 ? "post" : "posts";
  return { text: `${title}${part}: ${total} ${kinds} ${noun}`, blocks };
}

/** "37 posts kept off the desk. Other 30 (Customer Service 20, Baggage 10) · Praise 7 (…)" */
function describeCounts(model: RollupModel, total: number): string {
  const parts = model.kinds.flatMap((kind) => {
    const rows = model.counts.filter((c) => c.kind === kind);
    const n = rows.reduce((sum, c) => sum + c.threads, 0);
    if (n === 0) return [];
    const by = rows.map((c) => `${label(c.department)} ${c.threads}`).join(", ");
    return [`*${KIND_LABELS[kind]}* ${n} (${by})`];
  });
  const noun = total === 1 ? "post" : "posts";
  return truncate(`${total} ${noun} kept off the desk. ${parts.join(" · ")}`, 3000);
}

function describeItem(item: RollupItem): string {
  const who = item.authorHandle
    ? ` @${escapeAndTruncate(oneLine(item.authorHandle).replace(/^@+/, ""), LIMIT.handle)}`
    : "";
  const where = item.url ? linkMrkdwn(item.url, label(item.source)) : label(item.source);
  const excerpt = escapeAndTruncate(oneLine(item.text), LIMIT.excerpt) || "(no text)";
  return `*${KIND_LABELS[item.kind]}* for ${label(item.department)} ·${who} on ${where}\n>${excerpt}`;
}

function label(value: string): string {
  return escapeAndTruncate(oneLine(value), LIMIT.label);
}
