import { and, eq, max, or, sql } from "drizzle-orm";
import type { Executor } from "./client.ts";
import { campaignEvents } from "./schema.ts";

/**
 * The campaign's latest request to acknowledge: the id of its announcement's event, or of the
 * latest edit that asked every department again (new launch time, talking points or
 * departments). An Acknowledge button carries the round it was drawn in, so a click on a
 * heads-up read before the campaign changed is not taken for reading the change.
 */
export async function acknowledgementRound(
  executor: Executor,
  campaignId: string,
): Promise<number | undefined> {
  const [row] = await executor
    .select({ round: max(campaignEvents.id) })
    .from(campaignEvents)
    .where(
      and(
        eq(campaignEvents.campaignId, campaignId),
        or(
          eq(campaignEvents.kind, "campaign.announced"),
          and(
            eq(campaignEvents.kind, "campaign.edited"),
            sql`(${campaignEvents.details}->>'freshAcknowledgement')::boolean`,
          ),
        ),
      ),
    );
  return row?.round ?? undefined;
}
