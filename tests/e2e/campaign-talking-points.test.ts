import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  complaintWithCard,
  createCampaign,
  MARKETING,
  showTalkingPoints,
  startCampaignE2E,
} from "../helpers/campaign-fixture.ts";
import type { E2E } from "../helpers/e2e-harness.ts";
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
    const created = await createCampaign(e2e, new Date(Date.parse(T0) + 72 * HOUR), {
      departments: ["service"],
      talkingPoints,
      faqUrl,
    });
    const { filed, card } = await complaintWithCard(
      e2e,
      "SPRING25 does not work",
      CHANNELS.service,
    );
    expect(filed.json.campaignIds).toEqual([created.id]);

    const shown = await showTalkingPoints(e2e, card, PEOPLE.alice);

    const blocks = JSON.stringify(shown.blocks);
    expect(blocks).toContain("> A");
    expect(blocks).toContain("&amp;");
    expect(blocks).toContain("truncated; 1,999 characters in full");
    expect(blocks).toContain("Campaign FAQ");
    expect(blocks).toContain(`Owner: <@${MARKETING.marketer}>`);
  });

  it("says the campaign's status in words, as its cards do, not the raw 'upcoming'", async () => {
    const launch = new Date(Date.parse(T0) + 48 * HOUR);
    await createCampaign(e2e, launch, { departments: ["service"], keywords: ["WINTER10"] });
    const { card } = await complaintWithCard(
      e2e,
      "WINTER10 is refused at checkout",
      CHANNELS.service,
    );

    const shown = await showTalkingPoints(e2e, card, PEOPLE.bob);

    const head = JSON.stringify(shown.blocks?.[0]);
    expect(head).toContain("*Upcoming* · launch <!date^");
    expect(head).toContain("(in 2 days)");
    expect(head).not.toMatch(/· upcoming ·/);
  });
});
