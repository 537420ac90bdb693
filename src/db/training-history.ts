import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "./client.ts";

/** A thread people have confirmed or corrected, with the text that routing saw. */
export interface ConfirmedThread {
  threadId: string;
  /** The opening complaint's text. */
  text: string;
  department: string;
  /** Someone handed it to another department, answered it or resolved it where it is. */
  departmentConfirmed: boolean;
}

// A hand-over to another department is a correction; an answer or a resolution where the
// thread was routed is a confirmation. Dismissed threads teach nothing (spam, not ours).
const DEPARTMENT_EVIDENCE = ["thread.hand_over_department", "thread.respond", "thread.resolve"];

/**
 * Every thread people confirmed or corrected, oldest id first: what the learned router is
 * trained on. Reads only; the caller decides what to learn from it.
 */
export async function confirmedThreads(db: DatabaseHandle): Promise<ConfirmedThread[]> {
  const evidence = sql.join(
    DEPARTMENT_EVIDENCE.map((kind) => sql`${kind}`),
    sql`, `,
  );
  const rows = await db.query<{ thread_id: string; text: string; department: string }>(sql`
    SELECT t.id AS thread_id, c.text, t.department
    FROM threads t
    JOIN complaints c ON c.id = t.opening_complaint_id
    WHERE t.state <> 'dismissed'
      AND EXISTS (SELECT 1 FROM thread_events e
                  WHERE e.thread_id = t.id AND e.kind IN (${evidence}))
    ORDER BY t.id`);
  return rows.map((r) => ({
    threadId: r.thread_id,
    text: r.text,
    department: r.department,
    departmentConfirmed: true,
  }));
}
