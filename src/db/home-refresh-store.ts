import { and, eq, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Executor } from "./client.ts";
import { compiled } from "./compiled-query.ts";
import { homeTabs, outbox } from "./schema.ts";

/** The outbox kind of an App Home publish (see OUTBOX_KINDS_DIGESTS.publishHome). */
export const HOME_PUBLISH_KIND = "home.publish";

/**
 * The outbox "channel" every Home publish is queued under. views.publish has no channel; a
 * 429 for it holds this key, so every replica waits Retry-After before the next publish
 * (Slack's limits are per method), and publishes go one at a time per worker batch.
 */
export const HOME_PUBLISH_QUEUE = "views.publish";

/**
 * Queues a publish of each user's Home, coalesced: a user with a publish still waiting
 * (not yet being rendered) gets no second one; that one renders everything committed before
 * it is claimed. The waiting row is locked until this transaction commits, so a worker
 * cannot render it without this change; a per-user advisory lock serialises concurrent
 * queuers, so a storm of changes makes one publish per user, not one per change.
 * `delayMs` lets a burst of changes gather before the publish goes out.
 */
export async function queueHomePublishes(
  tx: Executor,
  users: readonly string[],
  now: Date,
  delayMs = 0,
): Promise<number> {
  let queued = 0;
  const due = new Date(now.getTime() + delayMs);
  // Sorted, so two transactions taking several users' locks take them in the same order.
  for (const user of [...new Set(users)].sort()) {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`home:${user}`}))`);
    const [waiting] = await tx
      .select({ id: outbox.id, nextAttemptAt: outbox.nextAttemptAt })
      .from(outbox)
      .where(
        and(
          eq(outbox.kind, HOME_PUBLISH_KIND),
          eq(outbox.status, "pending"),
          eq(outbox.channel, HOME_PUBLISH_QUEUE),
          sql`${outbox.payload}->>'user' = ${user}`,
          sql`(${outbox.lockedUntil} IS NULL OR ${outbox.lockedUntil} <= ${now.toISOString()})`,
        ),
      )
      .limit(1)
      .for("update");
    if (waiting) {
      if (waiting.nextAttemptAt > due)
        await tx.update(outbox).set({ nextAttemptAt: due }).where(eq(outbox.id, waiting.id));
      continue;
    }
    await tx.insert(outbox).values({
      kind: HOME_PUBLISH_KIND,
      channel: HOME_PUBLISH_QUEUE,
      payload: { user },
      // The caller's clock, as enqueueOutbox records every other row: the status lists and
      // the 24-hour give-up read it, and the database's own clock may not agree with it.
      createdAt: now,
      nextAttemptAt: due,
    });
    queued += 1;
  }
  return queued;
}

/**
 * Of the given people and departments, who has a Home to refresh: users who opened it and
 * are either named or belong to (or lead) one of the departments.
 */
export async function homeAudience(
  executor: Executor,
  about: { users: readonly string[]; departments: readonly string[] },
): Promise<string[]> {
  const users = about.users.filter((u) => u !== "");
  const departments = [...new Set(about.departments)];
  if (users.length === 0 && departments.length === 0) return [];
  const values = { users: JSON.stringify(users), departments: JSON.stringify(departments) };
  // Named people alone (a retried delivery, a digest) are a primary-key lookup; the
  // departments' condition would read every opened Home's departments.
  const query = departments.length === 0 ? selectNamed : selectAudience;
  const rows = await query(executor, values);
  return rows.map((r) => r.user);
}

// Built once each (compiled-query.ts): a thread's change asks the first on every complaint.
const selectAudience = compiled((db, p) =>
  db
    .select({ user: homeTabs.userId })
    .from(homeTabs)
    .where(audienceCondition(p("departments"), p("users"))),
);
const selectNamed = compiled((db, p) =>
  db
    .select({ user: homeTabs.userId })
    .from(homeTabs)
    .where(sql`${homeTabs.userId} IN (SELECT jsonb_array_elements_text(${p("users")}::jsonb))`),
);

/**
 * The home_tabs rows of the people named and of the departments' members and leads: both
 * lists are JSON arrays (text), which both drivers pass as they are. Shared with the
 * statement that opens a thread (open-thread.ts).
 */
export function audienceCondition(departments: SQLWrapper, users: SQLWrapper): SQL {
  return sql`(EXISTS (SELECT 1 FROM jsonb_array_elements_text(${homeTabs.departments}) d
      WHERE d.value IN (SELECT jsonb_array_elements_text(${departments}::jsonb)))
    OR ${homeTabs.userId} IN (SELECT jsonb_array_elements_text(${users}::jsonb)))`;
}
