import type { KnownBlock } from "@slack/types";
import type { PostKind } from "../../domain/post-kinds.ts";
import type { SlackMessage } from "./complaint-card.ts";
import { buildKindSelect, KIND_LABELS } from "./kind-control.ts";
import { section } from "./kind-note.ts";
import {
  escapeAndTruncate,
  escapeMrkdwn,
  linkMrkdwn,
  oneLine,
  slackDate,
  truncate,
} from "./mrkdwn.ts";

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
  /** The latest posts, at most MAX_ITEMS of them. */
  items: readonly RollupItem[];
}

/** Posts listed one by one; with the header, summary and note, well under Slack's 50 blocks. */
export const MAX_ROLLUP_ITEMS = 20;
const LIMIT = { excerpt: 200, label: 80, handle: 64 } as const;

/**
 * The daily roll-up of posts kept off the desk (chatter, or praise when it is not sent to a
 * channel of its own): how many of each kind, for which department, and the latest ones,
 * each with a "Kind" picker that puts it on the desk. Pure.
 */
export function buildKindRollup(model: RollupModel): SlackMessage {
  const total = model.counts.reduce((sum, c) => sum + c.threads, 0);
  const kinds = model.kinds.map((k) => KIND_LABELS[k].toLowerCase()).join(" and ");
  const from = slackDate(model.periodStart) ?? model.periodStart.toISOString();
  const to = slackDate(model.periodEnd) ?? model.periodEnd.toISOString();
  const header = `:clipboard: *Daily roll-up: ${escapeMrkdwn(kinds)}* · ${from} → ${to}`;
  const blocks: KnownBlock[] = [section("rollup.header", header)];
  if (total === 0) {
    blocks.push(section("rollup.summary", `Nothing kept off the desk in this period.`));
    return { text: `Daily roll-up: no ${kinds} posts`, blocks };
  }
  blocks.push(section("rollup.summary", describeCounts(model, total)));
  model.items.slice(0, MAX_ROLLUP_ITEMS).forEach((item, i) => {
    blocks.push({
      ...section(`rollup.item.${i}`, describeItem(item)),
      accessory: buildKindSelect(item.threadId, item.kind),
    });
  });
  const listed = Math.min(model.items.length, MAX_ROLLUP_ITEMS);
  if (total > listed) {
    blocks.push({
      type: "context",
      block_id: "rollup.more",
      elements: [
        {
          type: "mrkdwn",
          text: `${total - listed} older ${total - listed === 1 ? "post is" : "posts are"} not listed here; every post is stored with its thread's timeline.`,
        },
      ],
    });
  }
  return { text: `Daily roll-up: ${total} ${kinds} ${total === 1 ? "post" : "posts"}`, blocks };
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
