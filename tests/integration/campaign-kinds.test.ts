import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { complaintCampaigns, outbox } from "../../src/db/schema.ts";
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

const linksOf = async (threadId: string) =>
  (await db.db.select().from(complaintCampaigns).where(eq(complaintCampaigns.threadId, threadId)))
    .length;

describe("campaign links follow a post's kind", () => {
  it("drop a complaint's links when it is taken off the desk, and link praise put on it", async () => {
    const { campaignId } = await announceCampaign(ctx, config, {
      raw: campaignBody(new Date(clock.now().getTime() + 72 * HOUR)),
    });
    const complaint = await ingestComplaint(
      ctx,
      config,
      complaintBody({ text: "lost bag, SPRING25" }),
    );
    expect(await linksOf(complaint.threadId)).toBe(1);
    const praise = await ingestComplaint(
      ctx,
      config,
      complaintBody({ text: "thanks for SPRING25" }),
    );
    expect(praise.kind).toBe("praise");
    expect(await linksOf(praise.threadId)).toBe(0);

    clock.advance(HOUR);
    await db.db.delete(outbox);
    const off = await changeKind(ctx, config, {
      threadId: complaint.threadId,
      kind: "praise",
      actor: ADMIN,
    });
    expect(off.ok).toBe(true);
    expect(await linksOf(complaint.threadId)).toBe(0);
    // The campaign's card is refreshed, so its count of linked complaints drops.
    const cardUpdates = await db.db
      .select()
      .from(outbox)
      .where(eq(outbox.kind, CAMPAIGN_OUTBOX_KINDS.updateCard));
    expect(cardUpdates.map((o) => (o.payload as { campaignId: string }).campaignId)).toEqual([
      campaignId,
    ]);

    const on = await changeKind(ctx, config, {
      threadId: praise.threadId,
      kind: "complaint",
      actor: ADMIN,
    });
    expect(on.ok).toBe(true);
    const [link] = await db.db
      .select()
      .from(complaintCampaigns)
      .where(eq(complaintCampaigns.threadId, praise.threadId));
    // Linked as it would have been when it arrived.
    expect(link).toMatchObject({ campaignId, keyword: "SPRING25" });
    expect(link?.linkedAt).toEqual(new Date("2026-11-24T10:00:00Z"));
  });

  it("raise no spike alert when a post from hours ago is put on the desk: the links made since are not 'the last hour'", async () => {
    const { campaignId } = await announceCampaign(ctx, config, {
      raw: campaignBody(new Date(clock.now().getTime() + 72 * HOUR), {
        name: "Autumn sale",
        keywords: ["AUTUMN9"],
      }),
    });
    const praise = await ingestComplaint(
      ctx,
      config,
      complaintBody({ text: "thanks for AUTUMN9" }),
    );
    expect(praise.kind).toBe("praise");
    // Three complaints two hours apart: never three in an hour (spike.minimum 3, window 1h).
    for (const n of [1, 2, 3]) {
      clock.advance(2 * HOUR);
      await ingestComplaint(ctx, config, complaintBody({ text: `AUTUMN9 broken ${n}` }));
    }
    clock.advance(HOUR);
    await db.db.delete(outbox);
    const on = await changeKind(ctx, config, {
      threadId: praise.threadId,
      kind: "complaint",
      actor: ADMIN,
    });
    expect(on.ok).toBe(true);
    expect(await linksOf(praise.threadId)).toBe(1);
    const queued = await db.db.select().from(outbox);
    const spikes = queued.filter((o) => JSON.stringify(o.payload).includes("spike"));
    expect(spikes.map((o) => o.payload)).toEqual([]);
    // The card is still refreshed, so its count of linked complaints grows.
    expect(
      queued
        .filter((o) => o.kind === CAMPAIGN_OUTBOX_KINDS.updateCard)
        .map((o) => (o.payload as { campaignId: string }).campaignId),
    ).toContain(campaignId);
  });
});
