import { and, desc, eq, isNotNull, lt, lte } from "drizzle-orm";
import type { Executor } from "./client.ts";
import { type DigestRow, digests } from "./schema.ts";

export async function loadDigest(executor: Executor, id: number): Promise<DigestRow | null> {
  const [row] = await executor.select().from(digests).where(eq(digests.id, id));
  return row ?? null;
}

/**
 * The executive's digest delivered before this one whose period ended by the time this one's
 * began, for "what changed". An on-demand digest in between covers part of this very period
 * (from the last scheduled digest to when it was asked for): against it, the change would be
 * what came in since, not a change from one period to the next.
 */
export async function previousDeliveredDigest(
  executor: Executor,
  digest: DigestRow,
): Promise<DigestRow | null> {
  const [row] = await executor
    .select()
    .from(digests)
    .where(
      and(
        eq(digests.executive, digest.executive),
        isNotNull(digests.deliveredAt),
        lt(digests.id, digest.id),
        lte(digests.periodTo, digest.periodFrom),
      ),
    )
    .orderBy(desc(digests.periodTo), desc(digests.id))
    .limit(1);
  return row ?? null;
}

/** The executive's latest digest with a chart in Slack, for their Home. */
export async function latestChart(
  executor: Executor,
  executive: string,
): Promise<Pick<DigestRow, "chartFileId" | "periodFrom" | "periodTo"> | null> {
  const [row] = await executor
    .select({
      chartFileId: digests.chartFileId,
      periodFrom: digests.periodFrom,
      periodTo: digests.periodTo,
    })
    .from(digests)
    .where(and(eq(digests.executive, executive), isNotNull(digests.chartFileId)))
    .orderBy(desc(digests.id))
    .limit(1);
  return row ?? null;
}

/** Remembers the uploaded chart at once, so a retried delivery does not upload it again. */
export async function recordDigestChart(executor: Executor, id: number, fileId: string) {
  await executor.update(digests).set({ chartFileId: fileId }).where(eq(digests.id, id));
}

/** Remembers the file id of a chart about to be shared, before asking Slack to share it. */
export async function recordDigestChartUpload(executor: Executor, id: number, fileId: string) {
  await executor.update(digests).set({ chartUploadFileId: fileId }).where(eq(digests.id, id));
}

export async function markDigestDelivered(executor: Executor, id: number, at: Date) {
  await executor.update(digests).set({ deliveredAt: at }).where(eq(digests.id, id));
}
