import { and, eq, ne } from "drizzle-orm";
import type { Executor } from "./client.ts";
import { type ClaimOfferRow, claimOffers } from "./schema.ts";

/** Remembers a posted message that offers a thread's Claim button. */
export async function insertClaimOffer(
  executor: Executor,
  offer: Omit<ClaimOfferRow, "id">,
): Promise<void> {
  await executor.insert(claimOffers).values(offer);
}

/**
 * Removes and returns a thread's offers that are over: all of them when `all`, else those
 * made while it was in another department than `department` (it was handed over since).
 */
export async function takeClaimOffers(
  executor: Executor,
  threadId: string,
  department: string,
  all: boolean,
): Promise<ClaimOfferRow[]> {
  const over = all ? undefined : ne(claimOffers.department, department);
  return executor
    .delete(claimOffers)
    .where(and(eq(claimOffers.threadId, threadId), over))
    .returning();
}
