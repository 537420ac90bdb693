import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, campaignBody, startCampaignE2E } from "../helpers/campaign-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
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
    const launch = new Date(Date.parse(T0) + 72 * HOUR);
    const created = await api(
      e2e.bot.url,
      "POST",
      "/api/v1/campaigns",
      campaignBody(launch, { departments: ["service"] }),
    );
    expect(created.json.late).toBe(false);
    clock.set(new Date(launch.getTime() - 20 * HOUR));
    const edited = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${created.json.campaignId}`, {
      departments: ["service", "pr"],
    });
    expect(edited.json.late).toBe(true);
    await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "campaigns",
      userId: PEOPLE.bob,
      channelId: CHANNELS.service,
    });
    const list = await eventually(
      () => e2e.double.responses.find((r) => JSON.stringify(r.body).includes("upcoming or live")),
      "the campaign list",
    );
    expect(list.effect).toBe("ephemeral");
    const shown = JSON.stringify(list.body);
    expect(shown).toContain("Late notice:* only 20 h before launch (minimum notice 2 days)");
    expect(shown).not.toContain("announced late");
  });
});
