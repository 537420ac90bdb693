import { randomUUID } from "node:crypto";
import postgres from "postgres";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import { encodeClocks } from "../../src/db/clock-codec.ts";
import type { Priority } from "../../src/domain/complaint.ts";
import { planThreadTimers } from "../../src/domain/escalation-plan.ts";
import { routeComplaint } from "../../src/domain/routing.ts";
import { startClocks } from "../../src/domain/sla-clock.ts";
import { calendarOf, departmentOf, windowsFor } from "../../src/services/workspace-lookups.ts";

/** Customer posts, one the test workspace routes to each of its departments. */
export const SEED_TEXTS = {
  service: "Two hours on hold and nobody answers the phone. Is anyone working today?",
  baggage: "You lost my bag on the Denver flight and the suitcase tracker says nothing",
  pr: "I'm a journalist writing about delays at your hub, who can I talk to?",
} as const;
const TEXTS = Object.values(SEED_TEXTS);

/** How the threads of one `addOpenThreads` call look. */
export interface ThreadShape {
  count: number;
  /** When thread `i` was opened; its clocks started then. */
  openedAt(i: number): Date;
  priority(i: number): Priority;
  /** The first post's text, which routing turns into a department; default: each in turn. */
  text?(i: number): string;
}

/** Rows per INSERT: 5,000 threads carry about 60,000 timer rows. */
const CHUNK = 5_000;

/**
 * Bulk-creates open threads as ingestComplaint leaves them once their card is posted (a
 * thread row with its SLA clocks, its first complaint, its "thread.opened" event and its
 * pending timers planned by the real escalation planner; the delivered outbox row aside), with multi-row
 * INSERT … SELECT unnest(…) statements: about 20 s for 100,000 threads, where filing them
 * one by one through the service would take many minutes.
 */
export class ThreadSeeder {
  private readonly sql: postgres.Sql;
  private seq = 0;
  private readonly planned = new Set<string>();
  private planTable = false;
  private planning: Promise<void> = Promise.resolve();

  constructor(
    url: string,
    private readonly config: WorkspaceConfig,
  ) {
    this.sql = postgres(url, { max: 2, onnotice: () => {} });
  }

  async close(): Promise<void> {
    try {
      if (this.planTable) await this.sql`DROP TABLE IF EXISTS bench_timer_plan`;
    } finally {
      await this.sql.end({ timeout: 5 });
    }
  }

  /** Adds open, unclaimed threads; returns their ids. */
  async addOpenThreads(shape: ThreadShape): Promise<string[]> {
    const starts: number[] = [];
    for (let start = 0; start < shape.count; start += CHUNK) starts.push(start);
    const chunks: string[][] = [];
    // Two chunks in flight: each INSERT keeps one Postgres backend busy, and there are two cores.
    const next = async (): Promise<void> => {
      for (let start = starts.shift(); start !== undefined; start = starts.shift()) {
        chunks[start / CHUNK] = await this.insertChunk(
          shape,
          start,
          Math.min(CHUNK, shape.count - start),
        );
      }
    };
    await Promise.all([next(), next()]);
    return chunks.flat();
  }

  /**
   * Plans each distinct (department, priority, opening second) once with the real planner
   * and keeps the plans in a scratch table (bench_timer_plan, dropped on close): the timer
   * rows are then made by a join in the database, not shipped one by one (12 per thread,
   * 1.2 million for 100,000 threads).
   */
  private planTemplates(templates: Map<string, Template>): Promise<void> {
    // One at a time: a chunk's timers join on plans that must already be committed.
    this.planning = this.planning.then(() => this.insertPlans(templates));
    return this.planning;
  }

  private async insertPlans(templates: Map<string, Template>): Promise<void> {
    if (!this.planTable) {
      this.planTable = true;
      await this.sql`CREATE UNLOGGED TABLE bench_timer_plan (
        template text, key text, clock_kind text, step text, target text, fire_at timestamptz)`;
    }
    const rows = emptyColumns(["template", "key", "clock", "step", "target", "fireAt"]);
    for (const [template, { department, priority, openedAt }] of templates) {
      if (this.planned.has(template)) continue;
      this.planned.add(template);
      const clocks = startClocks(openedAt, windowsFor(this.config, priority));
      const plan = planThreadTimers(
        clocks,
        this.config.nudges,
        calendarOf(this.config, department),
      );
      for (const timer of plan) {
        push(rows, {
          template,
          key: timer.key,
          clock: timer.clockKind,
          step: timer.step,
          target: timer.target,
          fireAt: timer.fireAt.toISOString(),
        });
      }
    }
    if (rows.template.length === 0) return;
    const a = this.textArray;
    await this.sql`
      INSERT INTO bench_timer_plan
      SELECT * FROM unnest(${a(rows.template)}::text[], ${a(rows.key)}::text[], ${a(rows.clock)}::text[],
        ${a(rows.step)}::text[], ${a(rows.target)}::text[], ${a(rows.fireAt)}::timestamptz[])`;
  }

  private readonly textArray = (values: Array<string | null>) =>
    this.sql.array(values as string[], 25);

  private async insertChunk(shape: ThreadShape, start: number, size: number): Promise<string[]> {
    const t = emptyColumns([
      "id",
      "complaint",
      "key",
      "dep",
      "pri",
      "rule",
      "reason",
      "ch",
      "ts",
      "at",
      "clocks",
      "text",
      "template",
    ]);
    const templates = new Map<string, Template>();
    for (let i = start; i < start + size; i++) {
      this.seq += 1;
      const text = shape.text?.(i) ?? TEXTS[this.seq % TEXTS.length] ?? "";
      const route = routeComplaint({ source: "twitter", text }, this.config.routing);
      const priority = shape.priority(i);
      // Whole seconds: many threads share an opening second, so they share a plan.
      const openedAt = new Date(Math.floor(shape.openedAt(i).getTime() / 1000) * 1000);
      const template = `${route.department}|${priority}|${openedAt.toISOString()}`;
      templates.set(template, { department: route.department, priority, openedAt });
      const clocks = startClocks(openedAt, windowsFor(this.config, priority));
      push(t, {
        id: randomUUID(),
        complaint: randomUUID(),
        key: `bench-${this.seq}`,
        dep: route.department,
        pri: priority,
        rule: route.rule,
        reason: route.reason,
        ch: departmentOf(this.config, route.department)?.channel ?? null,
        ts: `${Math.floor(openedAt.getTime() / 1000)}.${String(this.seq % 1e6).padStart(6, "0")}`,
        at: openedAt.toISOString(),
        clocks: JSON.stringify(encodeClocks(clocks)),
        text,
        template,
      });
    }
    await this.planTemplates(templates);
    const a = this.textArray;
    await this.sql.begin(async (tx) => {
      // Bulk-load mode for this transaction: skips the per-row foreign-key triggers (every
      // row references a thread inserted just above), as pg_restore --disable-triggers does.
      await tx`SET LOCAL session_replication_role = replica`;
      await tx`
        INSERT INTO threads (id, source, conversation_key, department, priority, routing_rule,
          routing_reason, priority_reasons, state, slack_channel, slack_ts, opened_at, updated_at,
          clocks, opening_complaint_id)
        SELECT id, 'twitter', key, dep, pri, rule, reason, '[]'::jsonb, 'open', ch, ts, at, at,
          clocks, complaint
        FROM unnest(${a(t.id)}::uuid[], ${a(t.complaint)}::uuid[], ${a(t.key)}::text[], ${a(t.dep)}::text[], ${a(t.pri)}::text[],
          ${a(t.rule)}::text[], ${a(t.reason)}::text[], ${a(t.ch)}::text[], ${a(t.ts)}::text[],
          ${a(t.at)}::timestamptz[], ${a(t.clocks)}::jsonb[])
          AS r(id, complaint, key, dep, pri, rule, reason, ch, ts, at, clocks)`;
      await tx`
        INSERT INTO complaints (id, thread_id, source, external_id, text, author_handle, language,
          received_at, slack_ts)
        SELECT complaint, id, 'twitter', key, text, 'customer', 'en', at, ts
        FROM unnest(${a(t.complaint)}::uuid[], ${a(t.id)}::uuid[], ${a(t.key)}::text[],
          ${a(t.text)}::text[], ${a(t.at)}::timestamptz[], ${a(t.ts)}::text[])
          AS r(complaint, id, key, text, at, ts)`;
      await tx`
        INSERT INTO thread_events (thread_id, at, actor, kind, details)
        SELECT id, at, 'intake:token#1', 'thread.opened',
          jsonb_build_object('department', dep, 'priority', pri)
        FROM unnest(${a(t.id)}::uuid[], ${a(t.at)}::timestamptz[], ${a(t.dep)}::text[],
          ${a(t.pri)}::text[]) AS r(id, at, dep, pri)`;
      await tx`
        INSERT INTO timers (subject_type, subject_id, key, clock_kind, step, target, fire_at, status)
        SELECT 'thread', r.id::text, p.key, p.clock_kind, p.step, p.target, p.fire_at, 'pending'
        FROM unnest(${a(t.id)}::uuid[], ${a(t.template)}::text[]) AS r(id, template)
        JOIN bench_timer_plan p USING (template)`;
    });
    return t.id as string[];
  }
}

interface Template {
  department: string;
  priority: Priority;
  openedAt: Date;
}

type Columns<K extends string> = Record<K, Array<string | null>>;

function emptyColumns<K extends string>(names: readonly K[]): Columns<K> {
  return Object.fromEntries(names.map((n) => [n, []])) as unknown as Columns<K>;
}

function push<K extends string>(columns: Columns<K>, row: Record<K, string | null>): void {
  for (const name of Object.keys(row) as K[]) columns[name].push(row[name]);
}
