import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns, outbox } from "../../src/db/schema.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { createCampaign, startCampaignE2E } from "../helpers/campaign-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR, MINUTE } from "../helpers/fake-clock.ts";
import { CHANNELS } from "../helpers/workspace-fixture.ts";

const T0 = "2026-11-24T10:00:00Z";
const DAY = 24 * HOUR;
let e2e: E2E;
let clock: FakeClock;

beforeAll(async () => {
  clock = new FakeClock(T0);
  e2e = await startCampaignE2E(clock);
});
afterAll(() => e2e.stop());

const text = (m: StoredMessage) => JSON.stringify(m.blocks ?? []) + m.text;
const drained = () =>
  eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
    return rows.length === 0;
  }, "the outbox to drain");

/** Announces to PR at the clock's now, launching in three days; resolves to its heads-up. */
async function announce(name: string) {
  const launch = new Date(clock.now().getTime() + 3 * DAY);
  const { id } = await createCampaign(e2e, launch, {
    name,
    departments: ["pr"],
    keywords: [name.replaceAll(" ", "")],
  });
  await eventually(async () => {
    const [c] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
    return c?.slackTs;
  }, "the campaign card posted");
  const headsUp = await eventually(
    () =>
      e2e.double
        .messages(CHANNELS.pr)
        .find((m) => !m.threadTs && text(m).includes(`Heads-up: ${name}`)),
    "the heads-up",
  );
  return { launch, headsUp };
}

const thread = (m: StoredMessage) =>
  e2e.double.messages(CHANNELS.pr).filter((r) => r.threadTs === m.ts && r.ts !== m.ts);

describe("campaign reminders that fell due while the bot was down", () => {
  it("sends one reminder, the latest, saying the time really left (not '1 day to go' an hour before launch)", async () => {
    const { launch, headsUp } = await announce("Winter sale");
    clock.set(new Date(launch.getTime() - HOUR)); // both the 24 h and the 2 h reminder are due
    await e2e.bot.sweepTimers();
    await drained();
    const reminders = thread(headsUp).filter((m) => text(m).includes("Reminder"));
    expect(reminders.map((m) => m.text)).toHaveLength(1);
    expect(text(reminders[0] as StoredMessage)).toContain("(1 h to go)");
  });

  it("sends no reminder once the launch is due too: the department reads that it is live", async () => {
    const { launch, headsUp } = await announce("Summer sale");
    clock.set(new Date(launch.getTime() + 10 * MINUTE));
    await e2e.bot.sweepTimers();
    await drained();
    const notes = thread(headsUp).map(text);
    expect(notes.filter((t) => t.includes("is live now"))).toHaveLength(1);
    expect(notes.filter((t) => t.includes("Reminder"))).toEqual([]);
  });
});
