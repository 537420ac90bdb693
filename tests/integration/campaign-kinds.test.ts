import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { complaintCampaigns, type OutboxRow, outbox } from "../../src/db/schema.ts";
import type { PostKind } from "../../src/domain/post-kinds.ts";
import { silentLogger } from "../../src/logger.ts";
import { announceCampaign } from "../../src/services/announce-campaign.ts";
import { changeKind } from "../../src/services/change-kind.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { CAMPAIGN_OUTBOX_KINDS } from "../../src/services/outbox-kinds.ts";
import { CAMPAIGN_WORKSPACE_YAML, campaignBody } from "../helpers/campaign-fixture.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { KINDS_YAML } from "../helpers/kinds-fixture.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, PEOPLE, TEST_WORKSPACE_YAML } from "../helpers/workspace-fixture.ts";

// Kinds and campaigns together: the kinds workspace with the campaign fixture's section.
const config = parseWorkspaceConfig(
  `${KINDS_YAML}${CAMPAIGN_WORKSPACE_YAML.slice(TEST_WORKSPACE_YAML.length)}`,
  "campaign-kinds.yaml",
);
const ADMIN = { userId: PEOPLE.admin, isAdmin: true, leads: [], memberOf: [] };

let db: TestDatabase;
let ctx: ServiceContext;
const clock = new FakeClock("2026-11-24T10:00:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = { db, clock, logger: silentLogger, actor: { type: "intake", token: "t" } };
});
afterAll(() => db.destroy());

/** A campaign announced now, launching in three days. */
const announce = (overrides: Record<string, unknown> = {}) =>
  announceCampaign(ctx, config, {
    raw: campaignBody(new Date(clock.now().getTime() + 72 * HOUR), overrides),
  });
const ingest = (text: string) => ingestComplaint(ctx, config, complaintBody({ text }));
/** An admin changes a thread's kind, which must be allowed. */
async function changeKindAsAdmin(threadId: string, kind: PostKind) {
  const outcome = await changeKind(ctx, config, { threadId, kind, actor: ADMIN });
  expect(outcome.ok).toBe(true);
}
/** The campaigns whose card a queued row redraws. */
const cardsRedrawn = (rows: OutboxRow[]) =>
  rows
    .filter((o) => o.kind === CAMPAIGN_OUTBOX_KINDS.updateCard)
    .map((o) => (o.payload as { campaignId: string }).campaignId);

const linksOf = async (threadId: string) =>
  (await db.db.select().from(complaintCampaigns).where(eq(complaintCampaigns.threadId, threadId)))
    .length;

describe("campaign links follow a post's kind", () => {
  it("drop a complaint's links when it is taken off the desk, and link praise put on it", async () => {
    const { campaignId } = await announce();
    const complaint = await ingest("lost bag, SPRING25");
    expect(await linksOf(complaint.threadId)).toBe(1);
    const praise = await ingest("thanks for SPRING25");
    expect(praise.kind).toBe("praise");
    expect(await linksOf(praise.threadId)).toBe(0);

    clock.advance(HOUR);
    await db.db.delete(outbox);
    await changeKindAsAdmin(complaint.threadId, "praise");
    expect(await linksOf(complaint.threadId)).toBe(0);
    // The campaign's card is refreshed, so its count of linked complaints drops.
    expect(cardsRedrawn(await db.db.select().from(outbox))).toEqual([campaignId]);

    await changeKindAsAdmin(praise.threadId, "complaint");
    const [link] = await db.db
      .select()
      .from(complaintCampaigns)
      .where(eq(complaintCampaigns.threadId, praise.threadId));
    // Linked as it would have been when it arrived.
    expect(link).toMatchObject({ campaignId, keyword: "SPRING25" });
    expect(link?.linkedAt).toEqual(new Date("2026-11-24T10:00:00Z"));
  });

  it("raise no spike alert when a post from hours ago is put on the desk: the links made since are not 'the last hour'", async () => {
    const { campaignId } = await announce({ name: "Autumn sale", keywords: ["AUTUMN9"] });
    const praise = await ingest("thanks for AUTUMN9");
    expect(praise.kind).toBe("praise");
    // Three complaints two hours apart: never three in an hour (spike.minimum 3, window 1h).
    for (const n of [1, 2, 3]) {
      clock.advance(2 * HOUR);
      await ingest(`AUTUMN9 broken ${n}`);
    }
    clock.advance(HOUR);
    await db.db.delete(outbox);
    await changeKindAsAdmin(praise.threadId, "complaint");
    expect(await linksOf(praise.threadId)).toBe(1);
    const queued = await db.db.select().from(outbox);
    const spikes = queued.filter((o) => JSON.stringify(o.payload).includes("spike"));
    expect(spikes.map((o) => o.payload)).toEqual([]);
    // The card is still refreshed, so its count of linked complaints grows.
    expect(cardsRedrawn(queued)).toContain(campaignId);
  });
});
