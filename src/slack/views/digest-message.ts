/**
 * The executive digest DM: breaches since the last digest with links, threads at risk,
 * volume and compliance by department, times to claim and first response, and what changed
 * since the previous digest. A quiet period says so. Pure: figures and links in, blocks out.
 */

import type { KnownBlock, SectionBlock } from "@slack/types";
import type { FigureChanges } from "../../domain/figures/compare-figures.ts";
import type { Figures } from "../../domain/figures/figures.ts";
import { formatCount } from "../../domain/match-conditions.ts";
import type { SlackMessage } from "./complaint-card.ts";
import { CLOCK_LABELS, formatSpan } from "./due-line.ts";
import {
  countOf,
  describeOverallRate,
  describeSince,
  describeTally,
  describeTimes,
  formatDelta,
  formatRate,
} from "./figure-format.ts";
import { DIGEST_BLOCK_IDS } from "./home-ids.ts";
import { describeMissingCard, type MissingCard } from "./missing-card.ts";
import { escapeAndTruncate, joinBounded, linkMrkdwn } from "./mrkdwn.ts";

export interface DigestModel {
  figures: Figures;
  /** Against the previous digest; null for a first digest. */
  changes: FigureChanges | null;
  /** Department display names by key. */
  names: Readonly<Record<string, string>>;
  /** Permalinks to thread cards by thread id, where Slack gave one. */
  links: ReadonlyMap<string, string>;
  /** Threads whose card Slack no longer has, by thread id: listed without a link, saying why. */
  missingCards?: ReadonlyMap<string, MissingCard>;
  /** Alt text of the chart shared just before, so the message can refer to it. */
  chartTitle?: string | undefined;
}

/** Breaches and threads at risk listed by name; the rest are counted. */
export const LISTED = { breaches: 10, atRisk: 5 } as const;
const SECTION_MAX = 2900;

/** The digest message. */
export function buildDigestMessage(model: DigestModel): SlackMessage {
  const { figures: f } = model;
  const since = describeSince(f.from, f.to, f.timezone);
  const headline = headlineOf(f, since);
  const blocks: KnownBlock[] = [
    {
      type: "header",
      block_id: DIGEST_BLOCK_IDS.header,
      text: { type: "plain_text", text: "Switchboard digest" },
    },
    section(DIGEST_BLOCK_IDS.headline, headline),
    section(DIGEST_BLOCK_IDS.breaches, breachLines(model, since)),
    section(DIGEST_BLOCK_IDS.atRisk, atRiskLines(model)),
    section(DIGEST_BLOCK_IDS.departments, departmentLines(model)),
    section(
      DIGEST_BLOCK_IDS.times,
      `*Time to claim:* ${describeTimes(f.timeToClaim)}\n*Time to first response:* ${describeTimes(f.timeToFirstResponse)}`,
    ),
    section(DIGEST_BLOCK_IDS.routing, routingLines(model)),
  ];
  if (model.changes) blocks.push(section(DIGEST_BLOCK_IDS.changes, changeLines(model.changes)));
  if (f.campaigns.length > 0) {
    const items = f.campaigns.map((c) => `${escapeAndTruncate(c.name, 80)} (${c.complaints})`);
    blocks.push(
      section(
        DIGEST_BLOCK_IDS.campaigns,
        `*Campaigns with linked complaints:* ${joinBounded(items, ", ", 2000)}`,
      ),
    );
  }
  blocks.push({
    type: "context",
    block_id: DIGEST_BLOCK_IDS.footer,
    elements: [
      {
        type: "mrkdwn",
        text: `${periodLine(f, since)} Clocks are counted when they started in the period and judged as of ${describeSince(f.now, f.now, f.timezone)}.${model.chartTitle ? " The chart above shows them by department." : ""} \`/switchboard digest\` sends a fresh one.`,
      },
    ],
  });
  return { text: `Switchboard digest: ${plainHeadline(f, since)}`, blocks };
}

/**
 * "Since Sunday 08:00, until Monday 08:00 (Europe/London).": where the period ends too (an
 * on-demand digest, or one after an outage, does not end at a scheduled time), and "as of"
 * above names a moment, not "now", which a DM read the next day no longer is.
 */
function periodLine(f: Figures, since: string): string {
  const until = describeSince(f.to, f.to, f.timezone);
  return `Since ${since}, until ${until} (${escapeAndTruncate(f.timezone, 60)}).`;
}

function headlineOf(f: Figures, since: string): string {
  return `*${plainHeadline(f, since)}*`;
}

/** "No breaches since Monday 08:00; 42 complaints, all answered in time", or the counts. */
export function plainHeadline(f: Figures, since: string): string {
  const complaints = countOf(f.complaints, "complaint");
  if (f.breaches.length === 0) {
    if (f.complaints === 0) return `No breaches since ${since}, and no new complaints`;
    // A first response can be late with no breach listed: over its window but not yet swept,
    // or judged after the period that its deadline fell beyond. Say so rather than "none late".
    const late = f.compliance.byClock.firstResponse.breached;
    const waiting = f.timeToFirstResponse.waiting;
    const handedOn = handedOutOfScope(f);
    const tail =
      late > 0
        ? `${countOf(late, "first response")} late${waiting > 0 ? `, ${formatCount(waiting)} still waiting for one` : ""}`
        : waiting > 0
          ? `${formatCount(waiting)} still waiting for a first response, none late`
          : handedOn > 0
            ? // Their clocks count for the department that took them: not "all answered".
              `none late, ${countOf(handedOn, "thread")} handed to another department`
            : "all answered in time";
    return `No breaches since ${since}; ${complaints}, ${tail}`;
  }
  const n = f.breaches.length;
  return `${countOf(n, "breach", "breaches")} since ${since}; ${complaints}, ${describeOverallRate(f.compliance.overall.compliance)}`;
}

/** Hand-overs in the period from a department in the figures to one outside them. */
function handedOutOfScope(f: Figures): number {
  const inScope = new Set(f.departments);
  return f.handOvers.routes
    .filter((r) => inScope.has(r.from) && !inScope.has(r.to))
    .reduce((n, r) => n + r.count, 0);
}

function nameOf(model: DigestModel, key: string): string {
  return escapeAndTruncate(model.names[key] ?? key, 80);
}

function threadLink(model: DigestModel, threadId: string, label: string): string {
  const url = model.links.get(threadId);
  if (url) return linkMrkdwn(url, label);
  const missing = model.missingCards?.get(threadId);
  return missing ? `${label} (${describeMissingCard(missing)})` : label;
}

function breachLines(model: DigestModel, since: string): string {
  const { breaches, timezone, to } = model.figures;
  if (breaches.length === 0) return `*Breaches:* none since ${since}.`;
  const lines = breaches.slice(0, LISTED.breaches).map((b) => {
    const when = describeSince(b.dueAt, to, timezone);
    return `• *${b.priority}* ${nameOf(model, b.department)}: ${CLOCK_LABELS[b.clock]} breached ${when} · ${threadLink(model, b.threadId, "thread")}`;
  });
  const more = breaches.length - LISTED.breaches;
  if (more > 0) lines.push(`…and ${formatCount(more)} more.`);
  return bounded(`*Breaches (${breaches.length}):*\n${lines.join("\n")}`);
}

function atRiskLines(model: DigestModel): string {
  const { atRiskThreads, now } = model.figures;
  if (atRiskThreads.length === 0) return "*At risk now:* no thread is past its first warning.";
  const lines = atRiskThreads.slice(0, LISTED.atRisk).map((t) => {
    const state = t.overdue
      ? `${CLOCK_LABELS[t.clock]} overdue${t.dueAt ? ` by ${formatSpan(now.getTime() - t.dueAt.getTime())}` : ""}`
      : `${CLOCK_LABELS[t.clock]} ${Math.round(t.used * 100)}% used`;
    return `• *${t.priority}* ${nameOf(model, t.department)}: ${state} · ${threadLink(model, t.threadId, "thread")}`;
  });
  const more = atRiskThreads.length - LISTED.atRisk;
  if (more > 0) lines.push(`…and ${formatCount(more)} more.`);
  return bounded(
    `*At risk now (${atRiskThreads.length}, ${model.figures.overdue} overdue):*\n${lines.join("\n")}`,
  );
}

function departmentLines(model: DigestModel): string {
  const lines = model.figures.byDepartment.map(
    (d) =>
      `• *${nameOf(model, d.department)}*: ${countOf(d.complaints, "complaint")}, ${countOf(d.threadsOpened, "new thread")}, ${formatCount(d.openNow)} open now · ${describeTally(d.compliance)}`,
  );
  const off = model.figures.offDesk;
  const kept =
    off.total > 0
      ? `\n_Kept off the desk (no clocks):_ ${off.byKind.map((k) => `${formatCount(k.count)} ${escapeAndTruncate(k.label, 40)}`).join(", ")}`
      : "";
  const head = "*By department:*\n";
  // Whole lines, and a count of those left out: a line cut in the middle reads as a figure.
  const listed = joinBounded(lines, "\n", SECTION_MAX - head.length - kept.length);
  return bounded(`${head}${listed || "No departments."}${kept}`);
}

function routingLines(model: DigestModel): string {
  const f = model.figures;
  const top = (items: Array<{ label: string; count: number }>, n: number) =>
    items.length === 0
      ? "none"
      : joinBounded(
          items.slice(0, n).map((r) => `${escapeAndTruncate(r.label, 120)} (${r.count})`),
          ", ",
          800,
        );
  const routes = f.handOvers.routes
    .slice(0, 3)
    .map((r) => `${nameOf(model, r.from)} → ${nameOf(model, r.to)} (${r.count})`);
  return bounded(
    [
      `*Top routing rules:* ${top(f.routingRules, 3)}`,
      `*Top priority reasons:* ${top(f.priorityReasons, 3)}`,
      `*Hand-overs between departments:* ${f.handOvers.total}${routes.length ? ` (${routes.join(", ")})` : ""}`,
      `*Dismissed:* ${f.dismissals.total}${f.dismissals.total ? ` (${top(f.dismissals.byReason, 4)})` : ""}`,
    ].join("\n"),
  );
}

function changeLines(c: FigureChanges): string {
  const rate = (r: number | null) => formatRate(r);
  const pts =
    c.compliance.now !== null && c.compliance.before !== null
      ? ` (${formatDelta(Math.round(c.compliance.now * 100), Math.round(c.compliance.before * 100))} pts)`
      : "";
  const median = (ms: number | null) => (ms === null ? "–" : formatSpan(ms));
  return [
    `*Since the previous digest${periodsDiffer(c)}:*`,
    `complaints ${c.complaints.now} (${formatDelta(c.complaints.now, c.complaints.before)}), breaches ${c.breaches.now} (${formatDelta(c.breaches.now, c.breaches.before)}), in time ${rate(c.compliance.now)} (was ${rate(c.compliance.before)}${pts}), median first response ${median(c.medianTimeToFirstResponseMs.now)} (was ${median(c.medianTimeToFirstResponseMs.before)})`,
  ].join("\n");
}

/** Daylight-saving changes alone (23 or 25 hours against 24) are not worth a word. */
const SAME_LENGTH_WITHIN_MS = 60 * 60_000;

/**
 * " (this one covers 2 h, the previous one 1 day: …)" when the periods differ in length, as
 * the counts then differ for that alone (an on-demand digest covers the hours since the last
 * scheduled one; one after an outage, the whole gap).
 */
function periodsDiffer(c: FigureChanges): string {
  const p = c.periodMs;
  if (!p || Math.abs(p.now - p.before) <= SAME_LENGTH_WITHIN_MS) return "";
  return ` (this one covers ${formatSpan(p.now)}, the previous one ${formatSpan(p.before)}: counts are not scaled)`;
}

function bounded(text: string): string {
  return text.length <= SECTION_MAX ? text : `${text.slice(0, SECTION_MAX - 1)}…`;
}

function section(blockId: string, text: string): SectionBlock {
  return {
    type: "section",
    block_id: blockId,
    text: { type: "mrkdwn", text: bounded(text), verbatim: true },
  };
}
