import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { campaignPageQuery } from "../../src/db/campaign-store.ts";
import { rowsOf } from "../../src/db/client.ts";
import { claimDueOutbox, enqueueOutbox, markOutboxDelivered } from "../../src/db/outbox-store.ts";
import { campaignEvents, complaintCampaigns, outbox } from "../../src/db/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import { acknowledgeCampaign } from "../../src/services/acknowledge-campaign.ts";
import { announceCampaign } from "../../src/services/announce-campaign.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { CAMPAIGN_OUTBOX_KINDS } from "../../src/services/outbox-kinds.ts";
import { sweepTimers } from "../../src/services/sweep-timers.ts";
import {
  CAMPAIGN_WORKSPACE_YAML,
  campaignBody,
  campaignWorkspace,
} from "../helpers/campaign-fixture.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { KINDS_YAML } from "../helpers/kinds-fixture.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, TEST_WORKSPACE_YAML } from "../helpers/workspace-fixture.ts";

let db: TestDatabase;
const clock = new FakeClock("2026-11-24T10:00:00Z");
const config = campaignWorkspace();
const ctx = (): ServiceContext => ({
  db,
  clock,
  logger: silentLogger,
  actor: { type: "intake", token: "t" },
});
const launch = () => new Date(clock.now().getTime() + 72 * HOUR);

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());

describe("campaigns on PostgreSQL, under concurrency", () => {
  it("record one acknowledgement of twenty simultaneous clicks, telling the others who did", async () => {
    const { campaignId } = await announceCampaign(ctx(), config, { raw: campaignBody(launch()) });
    const clickers = Array.from({ length: 20 }, (_, i) => `U0CLICK${i}`);
    const decisions = await Promise.all(
      clickers.map((userId) =>
        acknowledgeCampaign(ctx(), config, {
          campaignId,
          department: "service",
          actor: { userId, isAdmin: false, leads: [], memberOf: ["service"] },
        }),
      ),
    );
    const ok = decisions.filter((d) => d.ok);
    expect(ok).toHaveLength(1);
    const winner = clickers[decisions.findIndex((d) => d.ok)];
    for (const d of decisions.filter((x) => !x.ok))
      expect(d).toMatchObject({ reason: "already", by: winner });
    const events = await db.db
      .select()
      .from(campaignEvents)
      .where(
        and(
          eq(campaignEvents.campaignId, campaignId),
          eq(campaignEvents.kind, "campaign.acknowledged"),
        ),
      );
    expect(events).toHaveLength(1);
  });

  it("link twelve simultaneous complaints, alert once for the spike, and queue one card update for them all", async () => {
    const { campaignId } = await announceCampaign(ctx(), config, {
      raw: campaignBody(launch(), { keywords: ["SUMMER10"], expectedVolume: 10 }),
    });
    await db.db.delete(outbox).where(eq(outbox.kind, CAMPAIGN_OUTBOX_KINDS.updateCard));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ingestComplaint(ctx(), config, {
          source: "twitter",
          externalId: `summer-${i}`,
          text: `summer10 code #${i} does not work`,
        }),
      ),
    );
    expect(results.every((r) => r.campaignIds.includes(campaignId))).toBe(true);
    const links = await db.db
      .select()
      .from(complaintCampaigns)
      .where(eq(complaintCampaigns.campaignId, campaignId));
    expect(links).toHaveLength(12);
    const spikes = await db.db
      .select()
      .from(campaignEvents)
      .where(
        and(eq(campaignEvents.campaignId, campaignId), eq(campaignEvents.kind, "campaign.spike")),
      );
    expect(spikes).toHaveLength(1);
    expect(spikes[0]?.details).toMatchObject({ count: 3, threshold: 3 });
    const updates = (
      await db.db.select().from(outbox).where(eq(outbox.kind, CAMPAIGN_OUTBOX_KINDS.updateCard))
    ).filter((row) => row.payload.campaignId === campaignId);
    expect(updates).toHaveLength(1);
  });

  it("fire each reminder once with four sweeps racing", async () => {
    const { campaignId } = await announceCampaign(ctx(), config, {
      raw: campaignBody(launch(), { departments: ["pr", "baggage"] }),
    });
    clock.set(new Date(launch().getTime() - 72 * HOUR + 49 * HOUR)); // past the 24h reminder
    const sweep = { db, clock, logger: silentLogger, actor: { type: "system" } } as const;
    await Promise.all(Array.from({ length: 4 }, () => sweepTimers(sweep, config)));
    const reminders = (
      await db.db.select().from(outbox).where(eq(outbox.kind, CAMPAIGN_OUTBOX_KINDS.headsUpReply))
    ).filter((row) => row.payload.campaignId === campaignId && row.payload.note === "reminder");
    expect(reminders.map((r) => r.payload.department).sort()).toEqual(["baggage", "pr"]);
  });

  it("deliver a heads-up's messages one at a time, in order, however many workers claim", async () => {
    await db.db.delete(outbox);
    for (const kind of ["post", "reply", "update"])
      await enqueueOutbox(
        db.db,
        { kind, orderKey: "campaign:x:headsup:pr", payload: {} },
        clock.now(),
      );
    await enqueueOutbox(
      db.db,
      { kind: "other", orderKey: "campaign:x:headsup:ops", payload: {} },
      clock.now(),
    );
    const claim = (workerId: string) =>
      claimDueOutbox(db, {
        now: clock.now(),
        workerId,
        leaseMs: 60_000,
        limit: 10,
        reclaimExpired: true,
      });
    const [a, b] = await Promise.all([claim("a"), claim("b")]);
    const first = [...(a ?? []), ...(b ?? [])].map((r) => r.kind).sort();
    expect(first).toEqual(["other", "post"]);
    const post = [...(a ?? []), ...(b ?? [])].find((r) => r.kind === "post");
    expect(await claim("c")).toEqual([]);
    await markOutboxDelivered(db.db, post?.id ?? 0, post?.lockedBy ?? "", clock.now());
    expect((await claim("c")).map((r) => r.kind)).toEqual(["reply"]);
  });

  it("keep the campaign event log append-only", async () => {
    const refused = {
      cause: expect.objectContaining({ message: expect.stringMatching(/append-only/) }),
    };
    await expect(db.db.update(campaignEvents).set({ kind: "changed" })).rejects.toMatchObject(
      refused,
    );
    await expect(db.db.delete(campaignEvents)).rejects.toMatchObject(refused);
  });
});

describe("campaigns and post kinds", () => {
  it("link complaints and questions about a campaign, not praise or chatter", async () => {
    const both = parseWorkspaceConfig(
      `${KINDS_YAML}${CAMPAIGN_WORKSPACE_YAML.slice(TEST_WORKSPACE_YAML.length)}`,
      "kinds-and-campaigns.yaml",
    );
    const { campaignId } = await announceCampaign(ctx(), both, {
      raw: campaignBody(launch(), { keywords: ["WINTER5"] }),
    });
    const file = (text: string) => ingestComplaint(ctx(), both, complaintBody({ text }));
    const complaint = await file("WINTER5 refund never came");
    const question = await file("does WINTER5 work on return flights?");
    const praise = await file("thank you, WINTER5 was a lovely surprise");
    const chatter = await file("RT @SkylineAir: WINTER5 is live");
    expect([complaint, question, praise, chatter].map((r) => [r.kind, r.campaignIds])).toEqual([
      ["complaint", [campaignId]],
      ["question", [campaignId]],
      ["praise", []],
      ["other", []],
    ]);
    const links = await db.db
      .select()
      .from(complaintCampaigns)
      .where(eq(complaintCampaigns.campaignId, campaignId));
    expect(links).toHaveLength(2);
  });
});

describe("the campaigns API's list", () => {
  it("reads each page off the announced-at index, in its order, without sorting the campaigns", async () => {
    const { campaignId } = await announceCampaign(ctx(), config, { raw: campaignBody(launch()) });
    const now = clock.now();
    const pages = [
      { limit: 100 },
      { limit: 50, after: campaignId },
      { limit: 50, after: campaignId, status: { is: "upcoming" as const, now } },
    ];
    for (const page of pages) {
      const plan = await db.db.transaction(async (tx) => {
        // A table this small would be read whole and sorted, however many rows a real one has:
        // the question is whether an index can serve the page in its order.
        await tx.execute(sql`set local enable_seqscan = off`);
        await tx.execute(sql`set local enable_sort = off`);
        const rows = rowsOf<Record<string, string>>(
          await tx.execute(sql`explain ${campaignPageQuery(tx, page)}`),
        );
        return rows.map((r) => Object.values(r)[0]).join("\n");
      });
      expect(plan, JSON.stringify(page)).toContain("Index Scan using campaigns_announced_idx");
      expect(plan, JSON.stringify(page)).not.toMatch(/\bSort\b/);
    }
  });
});
