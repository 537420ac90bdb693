/**
 * The App Home, by role: everyone sees the threads they own (what is due next, with buttons)
 * and their departments' unclaimed threads; a lead, each led department's queue, threads at
 * risk and today's breaches; an executive, today's figures and the latest digest's chart; an
 * admin, delivery health with a Retry button per failure, the Slack setup's problems and the
 * configuration in force.
 * Pure: a model in, a Home view out, within Slack's 100 blocks.
 */

import type { ActionsBlock, Button, HomeView, KnownBlock, SectionBlock } from "@slack/types";
import type { Figures } from "../../domain/figures/figures.ts";
import { formatCount } from "../../domain/match-conditions.ts";
import type { SystemStatus } from "../../services/read-status.ts";
import { STATE_LABELS } from "./complaint-card.ts";
import { CLOCK_LABELS } from "./due-line.ts";
import { countOf, describeOverallRate, describeTally, describeTimes } from "./figure-format.ts";
import { HOME_BLOCK_IDS as B, HOME_ACTION_IDS } from "./home-ids.ts";
import { encodeThreadAction, THREAD_ACTION_IDS } from "./ids.ts";
import {
  escapeAndTruncate,
  escapeMrkdwn,
  joinBounded,
  oneLine,
  slackDate,
  truncate,
} from "./mrkdwn.ts";
import { describeSlackSetup } from "./setup-problems.ts";
import { describeDeliveryOwner, describeDeliveryTarget } from "./status-message.ts";

/** One thread listed on the Home. */
export interface HomeThread {
  threadId: string;
  departmentName: string;
  priority: string;
  state: string;
  excerpt: string;
  /** What is due next, in words (shown escaped). */
  dueText?: string | undefined;
  /** The same as our own mrkdwn with a Slack date token (`describeDueMrkdwn`); wins over dueText. */
  dueMrkdwn?: string | undefined;
  /** The card's channel id, shown as a channel link. */
  channel?: string | null | undefined;
}

export interface LeadSection {
  department: string;
  name: string;
  /** Today in the department's own time zone, when it differs from the lead's `today`. */
  today?: Figures | undefined;
}

export interface HomeModel {
  user: string;
  now: Date;
  notice?: string | null | undefined;
  mine: HomeThread[];
  unclaimed: HomeThread[];
  /** How many unclaimed threads wait in all, when more than `unclaimed` holds. */
  unclaimedTotal?: number | undefined;
  /** Names by department key. */
  names: Readonly<Record<string, string>>;
  /** Departments the user leads, with today's figures for them. */
  lead?: { departments: LeadSection[]; today: Figures } | undefined;
  executive?:
    | {
        today: Figures;
        /** The latest digest's chart; `period` says what it covers, with dates and zone. */
        chart: { fileId: string; altText: string; period?: string | undefined } | null;
      }
    | undefined;
  admin?: { status: SystemStatus; configLines: string[] } | undefined;
}

/** Slack's block limit for a Home view (SLACK.md §7). */
export const MAX_HOME_BLOCKS = 100;
export const HOME_LISTED = { mine: 8, unclaimed: 5, atRisk: 5, breaches: 5, failures: 10 } as const;
const TEXT_MAX = 2900;

/** The user's Home view. */
export function buildAppHome(model: HomeModel): HomeView {
  const blocks: KnownBlock[] = [];
  if (model.notice) blocks.push(section(B.notice, `:warning: ${model.notice}`));
  blocks.push(...mineBlocks(model), ...unclaimedBlocks(model));
  if (model.lead) blocks.push(...leadBlocks(model.lead));
  if (model.executive) blocks.push(...executiveBlocks(model, model.executive));
  if (model.admin) blocks.push(...adminBlocks(model.admin));
  blocks.push({
    type: "context",
    block_id: B.footer,
    elements: [{ type: "mrkdwn", text: `Updated ${slackDate(model.now) ?? "now"}` }],
  });
  return { type: "home", blocks: withinBlockLimit(blocks) };
}

/** Keeps the view within 100 blocks, saying that something was left out. */
function withinBlockLimit(blocks: KnownBlock[]): KnownBlock[] {
  if (blocks.length <= MAX_HOME_BLOCKS) return blocks;
  const kept = blocks.slice(0, MAX_HOME_BLOCKS - 1);
  kept.push(
    section(
      `${B.footer}.more`,
      "_More than fits here; `/switchboard mine` lists all your threads._",
    ),
  );
  return kept;
}

function header(blockId: string, text: string): KnownBlock {
  return {
    type: "header",
    block_id: blockId,
    text: { type: "plain_text", text: truncate(text, 150) },
  };
}

function section(blockId: string, text: string, accessory?: Button): SectionBlock {
  const bounded = text.length <= TEXT_MAX ? text : `${text.slice(0, TEXT_MAX - 1)}…`;
  return {
    type: "section",
    block_id: blockId,
    text: { type: "mrkdwn", text: bounded, verbatim: true },
    ...(accessory ? { accessory } : {}),
  };
}

function button(
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): Button {
  return {
    type: "button",
    text: { type: "plain_text", text },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

function describeThread(t: HomeThread): string {
  const state =
    STATE_LABELS[t.state as keyof typeof STATE_LABELS] ?? escapeAndTruncate(t.state, 40);
  const where = t.channel ? ` in <#${t.channel}>` : "";
  const head = `*${escapeMrkdwn(t.priority)}* · *${escapeAndTruncate(oneLine(t.departmentName), 80)}* · ${state}${where}`;
  const excerpt = escapeMrkdwn(truncate(oneLine(t.excerpt), 150)) || "_(no text)_";
  const due = t.dueMrkdwn
    ? `\n:stopwatch: ${oneLine(t.dueMrkdwn)}`
    : t.dueText
      ? `\n:stopwatch: ${escapeAndTruncate(oneLine(t.dueText), 200)}`
      : "";
  return `${head}\n> ${excerpt}${due}`;
}

function listHeading(blockId: string, text: string, total: number, shown: number): KnownBlock[] {
  const more = total > shown ? ` (${shown} of ${total} shown)` : "";
  return [header(blockId, `${text}${more}`)];
}

function mineBlocks(model: HomeModel): KnownBlock[] {
  const items = model.mine.slice(0, HOME_LISTED.mine);
  const blocks = listHeading(B.mineHeader, "Your threads", model.mine.length, items.length);
  if (items.length === 0) blocks.push(section(`${B.mine}none`, "You own no open threads."));
  items.forEach((t, i) => {
    const value = encodeThreadAction(t.threadId);
    const actions: ActionsBlock = {
      type: "actions",
      block_id: `${B.mineActions}${i}`,
      elements: [
        button("Responded", THREAD_ACTION_IDS.responded, value, "primary"),
        button("Resolve", HOME_ACTION_IDS.resolve, value),
        button("Hand over", THREAD_ACTION_IDS.handOver, value),
      ],
    };
    blocks.push(section(`${B.mine}${i}`, describeThread(t)), actions);
  });
  return blocks;
}

function unclaimedBlocks(model: HomeModel): KnownBlock[] {
  const items = model.unclaimed.slice(0, HOME_LISTED.unclaimed);
  const blocks = listHeading(
    B.unclaimedHeader,
    "Unclaimed in your departments",
    Math.max(model.unclaimedTotal ?? 0, model.unclaimed.length),
    items.length,
  );
  if (items.length === 0) blocks.push(section(`${B.unclaimed}none`, "Nothing waits for an owner."));
  items.forEach((t, i) => {
    const claim = button("Claim", HOME_ACTION_IDS.claim, encodeThreadAction(t.threadId), "primary");
    blocks.push(section(`${B.unclaimed}${i}`, describeThread(t), claim));
  });
  return blocks;
}

function counts(record: Record<string, number>, labels?: Record<string, string>): string {
  const entries = Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return "none";
  return entries.map(([k, n]) => `${labels?.[k] ?? escapeMrkdwn(k)} ${n}`).join(" · ");
}

/** Led departments shown in full; the rest get a line each in one section. */
const LEAD_DEPARTMENTS_IN_FULL = 4;

function leadBlocks(lead: NonNullable<HomeModel["lead"]>): KnownBlock[] {
  const blocks = lead.departments
    .slice(0, LEAD_DEPARTMENTS_IN_FULL)
    .flatMap((d, i) => leadDepartmentBlocks(d.today ?? lead.today, d, i));
  const rest = lead.departments.slice(LEAD_DEPARTMENTS_IN_FULL);
  if (rest.length > 0) {
    const lines = rest.map((d) => {
      const f = d.today ?? lead.today;
      const open = f.byDepartment.find((v) => v.department === d.department)?.openNow ?? 0;
      const atRisk = f.atRiskThreads.filter((t) => t.department === d.department).length;
      const breaches = f.breaches.filter((b) => b.department === d.department).length;
      return `• *${escapeAndTruncate(oneLine(d.name), 80)}*: ${formatCount(open)} open · ${formatCount(atRisk)} at risk · ${countOf(breaches, "breach", "breaches")} today`;
    });
    const title =
      rest.length === 1 ? "Your other department" : `Your other ${rest.length} departments`;
    blocks.push(
      header(`${B.leadHeader}more`, title),
      section(`${B.lead}more`, joinBounded(lines, "\n", TEXT_MAX)),
    );
  }
  return blocks;
}

function leadDepartmentBlocks(f: Figures, d: LeadSection, i: number): KnownBlock[] {
  const volume = f.byDepartment.find((v) => v.department === d.department);
  const atRisk = f.atRiskThreads.filter((t) => t.department === d.department);
  const breaches = f.breaches.filter((b) => b.department === d.department);
  const queue = volume
    ? `*Queue:* ${volume.openNow} open · by state: ${counts(volume.openByState, STATE_LABELS as Record<string, string>)}\n*By priority:* ${counts(volume.openByPriority)}`
    : "*Queue:* empty";
  const riskLines = atRisk.slice(0, HOME_LISTED.atRisk).map((t) => {
    const due = t.overdue ? "overdue" : `${Math.round(t.used * 100)}% used`;
    const where = t.slackChannel ? ` in <#${t.slackChannel}>` : "";
    return `• *${escapeMrkdwn(t.priority)}* ${CLOCK_LABELS[t.clock]} ${due}${t.owner ? ` · <@${t.owner}>` : " · unclaimed"}${where}`;
  });
  const breachLines = breaches
    .slice(0, HOME_LISTED.breaches)
    .map(
      (b) =>
        `• *${escapeMrkdwn(b.priority)}* ${CLOCK_LABELS[b.clock]} at ${slackDate(b.dueAt) ?? ""}${b.slackChannel ? ` in <#${b.slackChannel}>` : ""}`,
    );
  return [
    header(`${B.leadHeader}${i}`, `${d.name}: your department`),
    section(`${B.lead}${i}.queue`, queue),
    section(
      `${B.lead}${i}.risk`,
      `*At risk now (${atRisk.length}):*\n${riskLines.join("\n") || "No thread is past its first warning."}`,
    ),
    section(
      `${B.lead}${i}.breaches`,
      `*Breaches today (${breaches.length}, ${describeToday(f)}):*\n${breachLines.join("\n") || "None."}`,
    ),
  ];
}

/**
 * "since 00:00 Europe/London": whose day "today" is. A lead's departments each count their
 * own (their calendar's zone), an executive's is their `timezone`: neither need be the
 * reader's.
 */
function describeToday(f: Figures): string {
  return `since 00:00 ${f.timezone}`;
}

function executiveBlocks(
  model: HomeModel,
  exec: NonNullable<HomeModel["executive"]>,
): KnownBlock[] {
  const f = exec.today;
  const lines = f.byDepartment.map(
    (d) =>
      `• *${escapeAndTruncate(model.names[d.department] ?? d.department, 80)}*: ${countOf(d.complaints, "complaint")}, ${formatCount(d.openNow)} open, ${formatCount(d.atRisk)} at risk · ${describeTally(d.compliance)}`,
  );
  const blocks: KnownBlock[] = [
    header(B.execHeader, `Today, ${describeToday(f)}`),
    section(
      `${B.exec}summary`,
      `*${formatCount(f.complaints)}* ${f.complaints === 1 ? "complaint" : "complaints"} · *${formatCount(f.threadsOpened)}* new ${f.threadsOpened === 1 ? "thread" : "threads"} · *${formatCount(f.openNow)}* open · *${formatCount(f.atRisk)}* at risk (${formatCount(f.overdue)} overdue) · *${formatCount(f.breaches.length)}* ${f.breaches.length === 1 ? "breach" : "breaches"} · ${describeOverallRate(f.compliance.overall.compliance)}`,
    ),
    // Whole lines, and a count of those left out, rather than a line cut in the middle.
    section(`${B.exec}departments`, joinBounded(lines, "\n", TEXT_MAX) || "No departments."),
    section(
      `${B.exec}times`,
      `*Time to claim:* ${describeTimes(f.timeToClaim)}\n*Time to first response:* ${describeTimes(f.timeToFirstResponse)}`,
    ),
  ];
  if (exec.chart) {
    blocks.push({
      type: "image",
      block_id: B.chart,
      slack_file: { id: exec.chart.fileId },
      alt_text: truncate(exec.chart.altText, 2000),
      title: {
        type: "plain_text",
        text: truncate(`Latest digest${exec.chart.period ? `: ${exec.chart.period}` : ""}`, 2000),
      },
    });
  }
  return blocks;
}

function adminBlocks(admin: NonNullable<HomeModel["admin"]>): KnownBlock[] {
  const { delivery, timers, database } = admin.status;
  const oldest = delivery.oldestPendingAt
    ? `oldest waiting since ${slackDate(delivery.oldestPendingAt)}`
    : "none waiting";
  const blocks: KnownBlock[] = [
    header(B.adminHeader, "Delivery health"),
    section(
      `${B.admin}health`,
      `*Slack deliveries:* ${delivery.pending} pending (${oldest}) · ${delivery.failed} failed for good\n*Database:* ${database.kind}, answering\n*Timers:* ${timers.map((t) => `${t.subjectType} ${t.pending}${t.nextDue ? ` (next ${slackDate(t.nextDue)})` : ""}`).join(" · ") || "none pending"}`,
    ),
    // One block however many problems (the text is capped): the Home's 100 blocks stay for threads.
    section(B.slackSetup, describeSlackSetup(admin.status.slackSetup)),
  ];
  for (const failure of delivery.failures.slice(0, HOME_LISTED.failures)) {
    const text = `*#${failure.id}* ${escapeMrkdwn(failure.kind)}${describeDeliveryOwner(failure.about)}${describeDeliveryTarget(failure.to)}: \`${escapeAndTruncate(failure.lastError ?? "unknown", 300)}\``;
    blocks.push(
      section(
        `${B.failure}${failure.id}`,
        text,
        button("Retry", HOME_ACTION_IDS.retry, String(failure.id)),
      ),
    );
  }
  if (delivery.failed > delivery.failures.length) {
    blocks.push(
      section(
        `${B.admin}more`,
        `…and ${delivery.failed - delivery.failures.length} more; \`/switchboard retry all-failed\` retries them all.`,
      ),
    );
  }
  blocks.push(header(`${B.config}header`, "Configuration in force"));
  for (const [i, text] of admin.configLines.slice(0, 3).entries()) {
    blocks.push(section(`${B.config}${i}`, text));
  }
  return blocks;
}
