import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client.ts";

/** A thread people have confirmed or corrected, with the text that routing saw. */
export interface ConfirmedThread {
  threadId: string;
  /** The opening complaint's text. */
  text: string;
  department: string;
  kind: string;
  /** Someone handed it to another department, answered it or resolved it where it is. */
  departmentConfirmed: boolean;
  /** Someone changed its kind by hand, answered it or resolved it. */
  kindConfirmed: boolean;
}

// A hand-over to another department or a kind changed by hand is a correction; an answer or
// a resolution is a confirmation of both. Dismissed threads teach nothing (spam, not ours).
const WORKED = sql`'thread.respond', 'thread.resolve'`;

/**
 * Every thread people confirmed or corrected, by id: what the learned router is trained on.
 * Reads only; the caller decides what to learn from it.
 */
export async function confirmedThreads(db: DatabaseHandle): Promise<ConfirmedThread[]> {
  const rows = await db.query<{
    thread_id: string;
    text: string;
    department: string;
    kind: string;
    department_confirmed: boolean;
    kind_confirmed: boolean;
  }>(sql`
    SELECT thread_id, text, department, kind, department_confirmed, kind_confirmed FROM (
      SELECT t.id AS thread_id, c.text, t.department, t.kind,
             EXISTS (SELECT 1 FROM thread_events e WHERE e.thread_id = t.id
                     AND e.kind IN (${WORKED}, 'thread.hand_over_department')) AS department_confirmed,
             EXISTS (SELECT 1 FROM thread_events e WHERE e.thread_id = t.id
                     AND (e.kind IN (${WORKED})
                          OR (e.kind = 'thread.kind_changed' AND e.actor LIKE 'slack:%'))) AS kind_confirmed
      FROM threads t
      JOIN complaints c ON c.id = t.opening_complaint_id
      WHERE t.state <> 'dismissed'
    ) history
    WHERE department_confirmed OR kind_confirmed
    ORDER BY thread_id`);
  return rows.map((r) => ({
    threadId: r.thread_id,
    text: r.text,
    department: r.department,
    kind: r.kind,
    departmentConfirmed: r.department_confirmed,
    kindConfirmed: r.kind_confirmed,
  }));
}
