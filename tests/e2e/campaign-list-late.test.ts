import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignMadeLate, listCampaigns, startCampaignE2E } from "../helpers/campaign-fixture.ts";
import type { E2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { CHANNELS, PEOPLE } from "../helpers/workspace-fixture.ts";

const T0 = "2026-11-24T10:00:00Z";
let e2e: E2E;
let clock: FakeClock;

beforeAll(async () => {
  clock = new FakeClock(T0);
  e2e = await startCampaignE2E(clock);
});
afterAll(() => e2e.stop());

describe("/switchboard campaigns and a late campaign", () => {
  it("says how much notice was given, not 'announced late', when a department was added late", async () => {
    await campaignMadeLate(e2e, clock, { departments: ["service"], added: ["pr"] });

    const list = await listCampaigns(e2e, PEOPLE.bob, CHANNELS.service);

    expect(list.effect).toBe("ephemeral");
    const shown = JSON.stringify(list.body);
    expect(shown).toContain("Late notice:* only 20 h before launch (minimum notice 2 days)");
    expect(shown).not.toContain("announced late");
  });
});
