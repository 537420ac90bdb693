import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../../../src/db/client.ts";
import { CLOCK_LABELS } from "../../../src/slack/views/due-line.ts";
import {
  CARD_BLOCK_IDS,
  NUDGE_BLOCK_IDS,
  parseThreadAction,
} from "../../../src/slack/views/ids.ts";
import type { CallRecord, SlackDouble, StoredMessage } from "../../../src/slack-double/index.ts";
import { type Check, check } from "./report.ts";

type Block = { block_id?: string; elements?: Array<{ value?: unknown }> };

/** What a message is, by its first block: a complaint card, an SLA nudge, or something else. */
export function messageType(message: StoredMessage): "card" | "nudge" | "other" {
  const first = (message.blocks[0] as Block | undefined)?.block_id;
  if (first === CARD_BLOCK_IDS.summary) return "card";
  if (first === NUDGE_BLOCK_IDS.headline) return "nudge";
  return "other";
}

/** The thread a card or nudge is about: the id its buttons carry. */
export function threadOf(message: StoredMessage): string | null {
  for (const block of message.blocks as Block[]) {
    for (const element of block.elements ?? []) {
      const id = parseThreadAction(element.value);
      if (id) return id;
    }
  }
  return null;
}

/** The SLA clock a nudge is about, from its plain-text fallback ("Claim for this P3 …"). */
export function clockOf(message: StoredMessage): string | null {
  const text = message.text.replace(/^(<[^>]+>\s*)+/, "").replace(/^Escalation: /, "");
  const entry = Object.entries(CLOCK_LABELS).find(([, label]) =>
    text.toLowerCase().startsWith(`${label.toLowerCase()} for this`),
  );
  return entry ? entry[0] : null;
}

/** Group messages by a key; messages without one are left out. */
export function groupBy<K>(
  messages: readonly StoredMessage[],
  key: (m: StoredMessage) => K | null,
): Map<K, StoredMessage[]> {
  const groups = new Map<K, StoredMessage[]>();
  for (const m of messages) {
    const k = key(m);
    if (k === null) continue;
    groups.set(k, [...(groups.get(k) ?? []), m]);
  }
  return groups;
}

/** How the accepted complaints fared in Slack: each should have exactly one card. */
export interface CardAudit {
  /** Accepted complaints (2xx) whose thread has no card in Slack. */
  lost: number;
  /** Cards beyond the first for one thread: Slack messages sent twice for one outbox item. */
  duplicated: number;
  /** Threads with more than one card, for the report. */
  duplicatedThreads: string[];
  /** Accepted ids missing from the database, and stored rows never accepted. */
  notStored: number;
  storedNotAccepted: number;
  /** Threads whose card went out but whose Slack ts the database never got (replies need it). */
  unrecorded: number;
}

/**
 * Compares three records of the same complaints: what intake accepted (externalId →
 * complaintId from its 202s), what the database holds, and the cards the Slack double shows.
 */
export async function auditCards(
  db: DatabaseHandle,
  double: SlackDouble,
  accepted: ReadonlyMap<string, string>,
): Promise<CardAudit> {
  const rows = await db.query<{ id: string; external_id: string; thread_id: string }>(
    sql`SELECT id, external_id, thread_id FROM complaints`,
  );
  const stored = new Map(rows.map((r) => [r.external_id, r]));
  const cards = groupBy(
    double.messages().filter((m) => !m.threadTs && messageType(m) === "card"),
    threadOf,
  );
  let lost = 0;
  let notStored = 0;
  for (const [externalId, complaintId] of accepted) {
    const row = stored.get(externalId);
    if (!row || row.id !== complaintId) notStored += 1;
    if (!row || !cards.has(row.thread_id)) lost += 1;
  }
  const duplicatedThreads = [...cards].filter(([, list]) => list.length > 1).map(([id]) => id);
  return {
    lost,
    duplicated: [...cards.values()].reduce((n, list) => n + list.length - 1, 0),
    duplicatedThreads,
    notStored,
    storedNotAccepted: rows.filter((r) => !accepted.has(r.external_id)).length,
    unrecorded: Number(
      (
        await db.query<{ n: string }>(
          sql`SELECT count(*) AS n FROM threads WHERE slack_ts IS NULL OR slack_ts = ''`,
        )
      )[0]?.n ?? 0,
    ),
  };
}

/** Outbox rows by status (pending, delivered, failed). */
export async function outboxCounts(db: DatabaseHandle): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number | string }>(
    sql`SELECT status, count(*) AS n FROM outbox GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * The promises every scenario that files complaints keeps: stored exactly as accepted, each
 * card in Slack once with its ts recorded, no delivery failed. `twice` words the duplicate
 * check where a scenario has more to say (the kills).
 */
export function deliveryChecks(
  audit: CardAudit,
  counts: Record<string, number>,
  twice = { what: "no card twice", detail: "" },
): Check[] {
  return [
    check(
      "the database holds exactly the accepted complaints",
      audit.notStored === 0 && audit.storedNotAccepted === 0,
      `${audit.notStored} missing, ${audit.storedNotAccepted} extra`,
    ),
    check("every accepted complaint's card is in Slack", audit.lost === 0, `${audit.lost} lost`),
    check(
      twice.what,
      audit.duplicated === 0,
      `${audit.duplicated}${twice.detail}: ${audit.duplicatedThreads.join(", ")}`,
    ),
    check(
      "every card's Slack ts recorded",
      audit.unrecorded === 0,
      `${audit.unrecorded} threads without`,
    ),
    check("no delivery failed", (counts.failed ?? 0) === 0, `${counts.failed ?? 0} failed`),
  ];
}

/** True once nothing waits in the outbox (everything delivered or failed). */
export async function outboxDrained(db: DatabaseHandle): Promise<boolean> {
  return ((await outboxCounts(db)).pending ?? 0) === 0;
}

/** A call Slack should not have received yet: it came before an earlier 429's Retry-After. */
export interface EarlyCall {
  method: string;
  /** The channel (or "(workspace)" for a method-wide limit) the 429 was for. */
  scope: string;
  earlyByMs: number;
}

/**
 * Every call made before the Retry-After of a 429 that bound it. A chat.postMessage 429
 * binds its channel (the scenarios stay under its workspace-wide limit, so its 429s come
 * from the per-channel bucket); any other method's 429 (its per-minute tier, counted per
 * workspace) binds the method.
 */
export function callsBeforeRetryAfter(calls: readonly CallRecord[]): EarlyCall[] {
  const holds = new Map<string, number>();
  const early: EarlyCall[] = [];
  const keyOf = (c: CallRecord) =>
    c.method === "chat.postMessage" ? `${c.method} ${String(c.args.channel)}` : c.method;
  for (const call of [...calls].sort((a, b) => a.at - b.at)) {
    const key = keyOf(call);
    const until = holds.get(key);
    if (until !== undefined && call.at < until) {
      early.push({
        method: call.method,
        scope: call.method === "chat.postMessage" ? String(call.args.channel) : "(workspace)",
        earlyByMs: until - call.at,
      });
    }
    if (call.status === 429 && call.retryAfterS !== undefined) {
      holds.set(key, Math.max(until ?? 0, call.at + call.retryAfterS * 1000));
    }
  }
  return early;
}
