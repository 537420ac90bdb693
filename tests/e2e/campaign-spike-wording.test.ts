import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { api, createCampaign, MARKETING, startCampaignE2E } from "../helpers/campaign-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";

const T0 = "2026-11-24T10:00:00Z";
let e2e: E2E;

beforeAll(async () => {
  e2e = await startCampaignE2E(new FakeClock(T0));
});
afterAll(() => e2e.stop());

describe("a spike alert for a campaign that expected no complaints", () => {
  it("says marketing expected none, not that no expected volume was given", async () => {
    const created = await createCampaign(e2e, new Date(Date.parse(T0) + 72 * HOUR), {
      departments: ["service"],
      expectedVolume: 0,
    });
    for (const n of [1, 2, 3]) {
      const res = await api(e2e.bot.url, "POST", "/api/v1/complaints", {
        source: "twitter",
        externalId: `zero-${n}`,
        text: `SPRING25 fails ${n}`,
      });
      expect(res.json.campaignIds).toEqual([created.id]);
    }
    await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
      return rows.length === 0;
    }, "the outbox to drain");
    const alerts = e2e.double
      .messages(MARKETING.channel)
      .filter((m) => m.threadTs && m.text.includes("Complaint spike"));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toContain("none expected from the campaign's estimate");
    expect(alerts[0]?.text).not.toContain("no expected volume was given");
  });
});
