import { eq } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { campaignDepartments, campaignEvents, outbox } from "../../src/db/schema.ts";
import { pendingTimers } from "../../src/db/timer-store.ts";
import { CAMPAIGN_ACTION_IDS } from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import {
  api,
  campaignDouble,
  campaignWorkspace,
  createCampaign,
  MARKETING,
  startCampaignE2E,
} from "../helpers/campaign-fixture.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { CHANNELS, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const T0 = "2026-11-24T10:00:00Z";
const LAUNCH = new Date(Date.parse(T0) + 72 * HOUR);

const text = (m: StoredMessage | undefined) => JSON.stringify(m?.blocks ?? []) + (m?.text ?? "");
const drained = () =>
  eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
    return rows.length === 0;
  }, "the outbox to drain");
const headsUpsIn = (channel: string) =>
  e2e.double.messages(channel).filter((m) => !m.threadTs && text(m).includes("Heads-up"));
const liveNotesUnder = (m: StoredMessage) =>
  e2e.double
    .messages(m.channel)
    .filter((r) => r.threadTs === m.ts && r.ts !== m.ts && text(r).includes("is live now"));

it("launches once, with the edit made while its launch timer fired, from two replicas", async () => {
  const clock = new FakeClock(T0);
  e2e = await startCampaignE2E(clock);
  const replica = await e2e.startReplica({ timers: false });
  const { id } = await createCampaign(e2e, LAUNCH, { departments: ["service", "baggage"] });
  await drained();

  clock.set(LAUNCH);
  const [, edited] = await Promise.all([
    replica.sweepTimers(),
    api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      name: "Spring fare sale, extended",
      departments: ["service", "baggage", "pr"],
      endAt: new Date(LAUNCH.getTime() + 14 * 24 * HOUR).toISOString(),
    }),
  ]);
  expect(edited.status, JSON.stringify(edited.json)).toBe(200);
  // A sweep that found the campaign locked by the edit leaves its launch to the next one.
  await e2e.bot.sweepTimers();
  await drained();

  const events = await e2e.db.db
    .select()
    .from(campaignEvents)
    .where(eq(campaignEvents.campaignId, id));
  expect(events.filter((e) => e.kind === "campaign.launched")).toHaveLength(1);
  expect(events.filter((e) => e.kind === "campaign.edited")).toHaveLength(1);
  const left = await pendingTimers(e2e.db.db, { type: "campaign", id });
  expect(left.map((t) => t.step)).toEqual(["end"]);
  // One heads-up per department, each told once that it is live (pr, added at the launch
  // itself, may have heard of it only as live already).
  for (const channel of [CHANNELS.service, CHANNELS.baggage, CHANNELS.pr]) {
    const headsUps = headsUpsIn(channel);
    expect(headsUps, channel).toHaveLength(1);
    const live = liveNotesUnder(headsUps[0] as StoredMessage);
    if (channel === CHANNELS.pr) expect(live.length).toBeLessThanOrEqual(1);
    else expect(live, channel).toHaveLength(1);
    expect(text(headsUps[0])).toContain("Spring fare sale, extended");
  }
  const ownerDms = e2e.double
    .messages()
    .filter((m) => m.channel.startsWith("D") && text(m).includes("live"));
  expect(ownerDms).toHaveLength(1);
  const cards = e2e.double.messages(MARKETING.channel).filter((m) => !m.threadTs);
  expect(cards).toHaveLength(1);
  expect(text(cards[0])).toContain("Spring fare sale, extended");
  const seen = e2e.double.messages().map((m) => `${m.channel} ${m.threadTs ?? "-"} ${m.text}`);
  expect(seen.sort()).toEqual([...new Set(seen)].sort());
});

it("refuses an Acknowledge clicked on a heads-up whose talking points changed before it landed", async () => {
  const clock = new FakeClock(T0);
  let duringLookup: (() => Promise<unknown>) | null = null;
  e2e = await startE2E({
    clock,
    timers: false,
    workspace: campaignWorkspace(),
    double: campaignDouble(),
    onSlackAnswer: async (method) => {
      if (method !== "conversations.members" || !duringLookup) return;
      const run = duringLookup;
      duringLookup = null;
      await run();
    },
  });
  const { id } = await createCampaign(e2e, LAUNCH, { departments: ["service"] });
  await drained();
  const [headsUp] = headsUpsIn(CHANNELS.service);
  if (!headsUp) throw new Error("no heads-up");
  // Alice read the old talking points; Marketing's edit lands while her click is on its way.
  duringLookup = async () => {
    const edited = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      talkingPoints: "The code SPRING25 now also works on existing bookings.",
    });
    expect(edited.json).toMatchObject({ freshAcknowledgement: true });
  };
  await e2e.driver.clickButton({
    userId: PEOPLE.alice,
    channelId: headsUp.channel,
    messageTs: headsUp.ts,
    actionId: CAMPAIGN_ACTION_IDS.acknowledge,
  });
  const note = await eventually(
    () => e2e.double.ephemerals(CHANNELS.service, PEOPLE.alice)[0],
    "Alice told what became of her click",
  );
  await drained();
  expect(note.text).toContain("changed");
  const [row] = await e2e.db.db
    .select()
    .from(campaignDepartments)
    .where(eq(campaignDepartments.campaignId, id));
  expect(row?.acknowledgedBy).toBeNull();
  const shown = text(headsUpsIn(CHANNELS.service)[0]);
  expect(shown).toContain("existing bookings");
  expect(shown).toContain(CAMPAIGN_ACTION_IDS.acknowledge);
});
