import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "./client.ts";
import { type IntegrationProblemRow, integrationProblems } from "./schema.ts";

/** A Slack setup problem as recorded: what is wrong, with what, what it affects, the key to fix. */
export interface ProblemRecord {
  kind: string;
  subject: string;
  label?: string | undefined;
  affects?: string | undefined;
  configKey?: string | undefined;
}

/**
 * Records a problem met now: a new row, or the row of the same kind and subject updated (seen
 * again: last_seen and count; cleared before: opened again, counted from one).
 */
export async function recordProblem(ex: Executor, p: ProblemRecord, now: Date): Promise<void> {
  const reopened = sql`${integrationProblems.clearedAt} IS NOT NULL`;
  const at = sql`${now.toISOString()}::timestamptz`;
  await ex
    .insert(integrationProblems)
    .values({
      kind: p.kind,
      subject: p.subject,
      label: p.label ?? null,
      affects: p.affects ?? null,
      configKey: p.configKey ?? null,
      firstSeen: now,
      lastSeen: now,
    })
    .onConflictDoUpdate({
      target: [integrationProblems.kind, integrationProblems.subject],
      set: {
        label: sql`excluded.label`,
        affects: sql`excluded.affects`,
        configKey: sql`excluded.config_key`,
        lastSeen: now,
        firstSeen: sql`CASE WHEN ${reopened} THEN ${at} ELSE ${integrationProblems.firstSeen} END`,
        count: sql`CASE WHEN ${reopened} THEN 1 ELSE ${integrationProblems.count} + 1 END`,
        clearedAt: null,
      },
    });
}

/** Marks a problem cleared: the same thing worked since. */
export async function clearProblem(
  ex: Executor,
  kind: string,
  subject: string,
  now: Date,
): Promise<void> {
  await ex
    .update(integrationProblems)
    .set({ clearedAt: now })
    .where(
      and(
        eq(integrationProblems.kind, kind),
        eq(integrationProblems.subject, subject),
        isNull(integrationProblems.clearedAt),
      ),
    );
}

/** The problems open now (kind and subject), to know which a success should clear. */
export async function openProblemKeys(
  ex: Executor,
): Promise<Array<{ kind: string; subject: string }>> {
  return ex
    .select({ kind: integrationProblems.kind, subject: integrationProblems.subject })
    .from(integrationProblems)
    .where(isNull(integrationProblems.clearedAt));
}

/** The open problems, oldest first, at most `limit`, with how many are open in all. */
export async function listOpenProblems(
  ex: Executor,
  limit: number,
): Promise<{ open: number; listed: IntegrationProblemRow[] }> {
  const listed = await ex
    .select()
    .from(integrationProblems)
    .where(isNull(integrationProblems.clearedAt))
    .orderBy(asc(integrationProblems.firstSeen), asc(integrationProblems.id))
    .limit(limit);
  const [total] = await ex
    .select({ n: count() })
    .from(integrationProblems)
    .where(isNull(integrationProblems.clearedAt));
  return { open: total?.n ?? 0, listed };
}
