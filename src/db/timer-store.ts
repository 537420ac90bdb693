import { and, eq, inArray, lte, notInArray, sql } from "drizzle-orm";
import type { DatabaseHandle, Executor } from "./client.ts";
import { type TimerRow, timers } from "./schema.ts";

/** Whose timers: a thread, a campaign, a digest schedule… One sweep serves every type. */
export interface TimerSubject {
  type: string;
  id: string;
}

/** One timer as a subject plans it; `key` identifies the occurrence across replans. */
export interface PlannedStep {
  key: string;
  step: string;
  target: string;
  fireAt: Date;
  clockKind?: string | null;
  payload?: Record<string, unknown>;
}

const ofSubject = (subject: TimerSubject) =>
  and(eq(timers.subjectType, subject.type), eq(timers.subjectId, subject.id));

/**
 * Makes a subject's pending timers match its plan: new steps are added, moved ones get their
 * new instant, steps no longer planned are cancelled. A step that already fired keeps its
 * row, so the same key never fires twice. (A thread's first plan is written with the thread,
 * src/db/open-thread.ts.)
 */
export async function syncTimers(
  executor: Executor,
  subject: TimerSubject,
  plan: readonly PlannedStep[],
): Promise<void> {
  const keys = plan.map((t) => t.key);
  await executor
    .update(timers)
    .set({ status: "cancelled" })
    .where(
      and(
        ofSubject(subject),
        eq(timers.status, "pending"),
        ...(keys.length ? [notInArray(timers.key, keys)] : []),
      ),
    );
  if (plan.length === 0) return;
  await executor.execute(upsertTimers(subject, plan));
}

/**
 * The upsert of a plan in one statement with three parameters: the steps travel as one JSON
 * array. A thread's plan is a dozen steps, and as a multi-row VALUES it was a hundred
 * parameters, each encoded by drizzle and by postgres.js (`npm run bench -- intake
 * --profile`). A fired step stays fired; a cancelled one comes back when planned again.
 */
function upsertTimers(subject: TimerSubject, plan: readonly PlannedStep[]) {
  return sql`INSERT INTO timers (${sql.raw(STEP_COLUMNS)})
    SELECT ${subject.type}::text, ${subject.id}::text, ${sql.raw(STEP_FIELDS)}
    FROM jsonb_to_recordset(${stepsJson(plan)}::jsonb) AS ${sql.raw(STEP_RECORD)}
    ON CONFLICT (subject_type, subject_id, key) DO UPDATE
      SET fire_at = excluded.fire_at, status = 'pending', payload = excluded.payload
      WHERE timers.status <> 'fired'`;
}

/**
 * A plan as the JSON array that `jsonb_to_recordset(…) AS ${STEP_RECORD}` reads back into
 * rows: the timers' columns after the subject (STEP_COLUMNS), in the order of STEP_FIELDS.
 */
export function stepsJson(plan: readonly PlannedStep[]): string {
  return JSON.stringify(
    plan.map((t) => ({
      key: t.key,
      step: t.step,
      target: t.target,
      clock_kind: t.clockKind ?? null,
      payload: t.payload ?? {},
      fire_at: t.fireAt.toISOString(),
    })),
  );
}
export const STEP_RECORD =
  "s(key text, step text, target text, clock_kind text, payload jsonb, fire_at timestamptz)";
export const STEP_FIELDS = "s.key, s.step, s.target, s.clock_kind, s.payload, s.fire_at";
export const STEP_COLUMNS =
  "subject_type, subject_id, key, step, target, clock_kind, payload, fire_at";

/** Adds one timer unless the subject already has one with this key (in any state). */
export async function addTimer(
  executor: Executor,
  subject: TimerSubject,
  step: PlannedStep,
): Promise<void> {
  await executor.insert(timers).values(rowOf(subject, step)).onConflictDoNothing();
}

function rowOf(subject: TimerSubject, t: PlannedStep) {
  return {
    subjectType: subject.type,
    subjectId: subject.id,
    key: t.key,
    step: t.step,
    target: t.target,
    clockKind: t.clockKind ?? null,
    payload: t.payload ?? {},
    fireAt: t.fireAt,
  };
}

/**
 * Subjects of the given types with a timer due at `now`, most overdue first. The partial
 * index on pending fire_at makes this cost follow the number of due timers, not the number
 * of open threads. Nothing is locked here: the sweep locks each subject, then its timers, in
 * that order (the same order as every state change), so sweeps and clicks never deadlock.
 */
export async function findDueSubjects(
  db: DatabaseHandle,
  types: readonly string[],
  now: Date,
  limit: number,
): Promise<TimerSubject[]> {
  if (types.length === 0) return [];
  const rows = await db.query<{ subject_type: string; subject_id: string }>(
    sql`SELECT subject_type, subject_id FROM timers
        WHERE status = 'pending' AND fire_at <= ${now.toISOString()}
          AND subject_type IN (${sql.join(
            types.map((t) => sql`${t}`),
            sql`, `,
          )})
        GROUP BY subject_type, subject_id
        ORDER BY min(fire_at)
        LIMIT ${limit}`,
  );
  return rows.map((r) => ({ type: r.subject_type, id: r.subject_id }));
}

/**
 * The subject's due pending timers, locked. Call with the subject's own row already locked;
 * a subject with no row of its own passes skipLocked, so a replica firing it is not waited on.
 */
export async function lockDueTimers(
  executor: Executor,
  subject: TimerSubject,
  now: Date,
  options: { skipLocked?: boolean } = {},
): Promise<TimerRow[]> {
  return executor
    .select()
    .from(timers)
    .where(and(ofSubject(subject), eq(timers.status, "pending"), lte(timers.fireAt, now)))
    .orderBy(timers.fireAt, timers.id)
    .for("update", options.skipLocked ? { skipLocked: true } : {});
}

/**
 * Locks the subject's due timers, lets `fire` queue what they cause (in the caller's
 * transaction), then marks them fired; returns how many fired. Call with the subject's own
 * row already locked, or with skipLocked for a subject that has none.
 */
export async function fireDueTimers(
  executor: Executor,
  subject: TimerSubject,
  now: Date,
  fire: (due: TimerRow[]) => Promise<void>,
  options: { skipLocked?: boolean } = {},
): Promise<number> {
  const due = await lockDueTimers(executor, subject, now, options);
  if (due.length === 0) return 0;
  await fire(due);
  await markTimersFired(
    executor,
    due.map((t) => t.id),
    now,
  );
  return due.length;
}

export async function markTimersFired(
  executor: Executor,
  ids: readonly number[],
  now: Date,
): Promise<void> {
  if (ids.length === 0) return;
  await executor
    .update(timers)
    .set({ status: "fired", firedAt: now })
    .where(inArray(timers.id, [...ids]));
}

/** A subject's timers still to fire, soonest first (for views that show what comes next). */
export async function pendingTimers(
  executor: Executor,
  subject: TimerSubject,
): Promise<TimerRow[]> {
  return executor
    .select()
    .from(timers)
    .where(and(ofSubject(subject), eq(timers.status, "pending")))
    .orderBy(timers.fireAt, timers.id);
}
