import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns, outbox } from "../../src/db/schema.ts";
import { CAMPAIGN_ACTION_IDS } from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { api, createCampaign, MARKETING, startCampaignE2E } from "../helpers/campaign-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { CHANNELS, PEOPLE } from "../helpers/workspace-fixture.ts";

const T0 = "2026-11-24T10:00:00Z";
const LAUNCH = new Date(Date.parse(T0) + 72 * HOUR);
let e2e: E2E;

beforeAll(async () => {
  e2e = await startCampaignE2E(new FakeClock(T0));
});
afterAll(() => e2e.stop());

const text = (m: StoredMessage | undefined) => JSON.stringify(m?.blocks ?? []) + (m?.text ?? "");
/** The message as the double shows it now (after any chat.update). */
const current = (m: StoredMessage) =>
  e2e.double.messages(m.channel).find((n) => n.ts === m.ts && !n.threadTs);
const repliesUnder = (m: StoredMessage) =>
  e2e.double.messages(m.channel).filter((r) => r.threadTs === m.ts && r.ts !== m.ts);
const drained = () =>
  eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
    return rows.length === 0;
  }, "the outbox to drain");
const patch = (id: string, launchAt: Date) =>
  api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, { launchAt: launchAt.toISOString() });

/** Announces to service and marketing, and has alice acknowledge service's heads-up. */
async function acknowledgedCampaign(name: string) {
  const { id } = await createCampaign(e2e, LAUNCH, { name, departments: ["service"] });
  const headsUp = await eventually(
    () =>
      e2e.double
        .messages(CHANNELS.service)
        .find((m) => !m.threadTs && text(m).includes("Heads-up") && text(m).includes(name)),
    "the heads-up",
  );
  const card = await eventually(
    () => e2e.double.messages(MARKETING.channel).find((m) => !m.threadTs && text(m).includes(name)),
    "the campaign card",
  );
  await e2e.driver.clickButton({
    userId: PEOPLE.alice,
    channelId: headsUp.channel,
    messageTs: headsUp.ts,
    actionId: CAMPAIGN_ACTION_IDS.acknowledge,
  });
  await eventually(
    () => text(current(headsUp)).includes(`acknowledged by <@${PEOPLE.alice}>`),
    "the heads-up to show alice's acknowledgement",
  );
  await drained();
  return { id, headsUp, card };
}

describe("a launch moved over the API", () => {
  it("by seconds within the minute shown: stored, but nobody is told or asked to acknowledge again", async () => {
    const { id, headsUp, card } = await acknowledgedCampaign("Seconds sale");
    const updatesBefore = e2e.double.callsTo("chat.update").length;
    const nudged = new Date(LAUNCH.getTime() + 20_000);

    const res = await patch(id, nudged);

    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ changed: ["launchAt"], freshAcknowledgement: false });
    await drained();
    expect(e2e.double.callsTo("chat.update").length).toBeGreaterThan(updatesBefore);
    const shown = text(current(headsUp));
    expect(shown).toContain(`acknowledged by <@${PEOPLE.alice}>`);
    expect(shown).not.toContain(CAMPAIGN_ACTION_IDS.acknowledge);
    // Slack renders the date token to the minute: the same time as before for every reader.
    const token = Number(/<!date\^(\d+)\^/.exec(shown)?.[1]);
    expect(Math.floor(token / 60)).toBe(LAUNCH.getTime() / 60_000);
    expect(repliesUnder(headsUp)).toEqual([]);
    expect(repliesUnder(card)).toEqual([]);
    const [row] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
    expect(row?.launchAt.toISOString()).toBe(nudged.toISOString());
  });

  it("by a minute: every department is told and asked to acknowledge again", async () => {
    const { id, headsUp, card } = await acknowledgedCampaign("Minute sale");
    const moved = new Date(LAUNCH.getTime() + 60_000);

    const res = await patch(id, moved);

    expect(res.json).toMatchObject({ changed: ["launchAt"], freshAcknowledgement: true });
    await drained();
    const shown = text(current(headsUp));
    expect(shown).toContain(CAMPAIGN_ACTION_IDS.acknowledge);
    expect(shown).not.toContain(`acknowledged by <@${PEOPLE.alice}>`);
    expect(shown).toContain(`<!date^${moved.getTime() / 1000}^`);
    const notes = repliesUnder(headsUp).map(text);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("*Launch:*");
    expect(notes[0]).toContain("please read the heads-up again and acknowledge it");
    expect(repliesUnder(card).map(text).join()).toContain("*Launch:*");
  });
});
