import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAMPAIGN_ACTION_IDS } from "../../src/slack/views/ids.ts";
import { api, campaignBody, MARKETING, startCampaignE2E } from "../helpers/campaign-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { CHANNELS, PEOPLE } from "../helpers/workspace-fixture.ts";

const T0 = "2026-11-24T10:00:00Z";
let e2e: E2E;

beforeAll(async () => {
  e2e = await startCampaignE2E(new FakeClock(T0));
});
afterAll(() => e2e.stop());

describe("a complaint card's Talking points button", () => {
  it("shows talking points as long as the API takes (3,000 characters, many lines, a long FAQ link) privately", async () => {
    // 1,000 short lines: each quoted line grows by "> ", and "&" is escaped, past Slack's 3,000.
    const talkingPoints = Array.from({ length: 1000 }, (_, i) => (i % 2 ? "&" : "A")).join("\n");
    const faqUrl = `https://skyline.example/${"f".repeat(1900)}`;
    const created = await api(
      e2e.bot.url,
      "POST",
      "/api/v1/campaigns",
      campaignBody(new Date(Date.parse(T0) + 72 * HOUR), {
        departments: ["service"],
        talkingPoints,
        faqUrl,
      }),
    );
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const complaint = await api(e2e.bot.url, "POST", "/api/v1/complaints", {
      source: "twitter",
      externalId: "long-points",
      text: "SPRING25 does not work",
    });
    expect(complaint.json.campaignIds).toEqual([created.json.campaignId]);
    const card = await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find((m) => !m.threadTs && JSON.stringify(m.blocks).includes("SPRING25 does not")),
      "the complaint's card",
    );
    await e2e.driver.clickButton({
      userId: PEOPLE.alice,
      channelId: card.channel,
      messageTs: card.ts,
      actionId: CAMPAIGN_ACTION_IDS.talkingPoints,
    });
    const shown = await eventually(
      () => e2e.double.responses.find((r) => JSON.stringify(r.body).includes("Talking points")),
      "the talking points' answer",
    );
    expect(shown.error).toBeUndefined();
    expect(shown.effect).toBe("ephemeral");
    const blocks = JSON.stringify(shown.body.blocks);
    expect(blocks).toContain("> A");
    expect(blocks).toContain("&amp;");
    expect(blocks).toContain("truncated; 1,999 characters in full");
    expect(blocks).toContain("Campaign FAQ");
    expect(blocks).toContain(`Owner: <@${MARKETING.marketer}>`);
  });

  it("says the campaign's status in words, as its cards do, not the raw 'upcoming'", async () => {
    const launch = new Date(Date.parse(T0) + 48 * HOUR);
    const created = await api(
      e2e.bot.url,
      "POST",
      "/api/v1/campaigns",
      campaignBody(launch, { departments: ["service"], keywords: ["WINTER10"] }),
    );
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    await api(e2e.bot.url, "POST", "/api/v1/complaints", {
      source: "twitter",
      externalId: "status-words",
      text: "WINTER10 is refused at checkout",
    });
    const card = await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find((m) => !m.threadTs && JSON.stringify(m.blocks).includes("WINTER10 is refused")),
      "the complaint's card",
    );
    await e2e.driver.clickButton({
      userId: PEOPLE.bob,
      channelId: card.channel,
      messageTs: card.ts,
      actionId: CAMPAIGN_ACTION_IDS.talkingPoints,
    });
    const shown = await eventually(
      () =>
        e2e.double
          .ephemerals(CHANNELS.service, PEOPLE.bob)
          .find((m) => JSON.stringify(m.blocks).includes("Talking points")),
      "the talking points shown to bob",
    );
    const head = JSON.stringify(shown.blocks?.[0]);
    expect(head).toContain("*Upcoming* · launch <!date^");
    expect(head).toContain("(in 2 days)");
    expect(head).not.toMatch(/· upcoming ·/);
  });
});
