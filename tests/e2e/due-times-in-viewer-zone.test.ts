import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { asSeenIn } from "../helpers/slack-dates.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

/** A summer Tuesday: London is on BST, an hour ahead of UTC (Customer Service has no calendar). */
const T0 = "2026-07-14T10:00:00Z";

describe("deadlines on /switchboard mine and the App Home", () => {
  it("are shown in each viewer's own time, as on the card, not as a bare time in UTC", async () => {
    e2e = await startE2E({ clock: new FakeClock(T0), timers: false });
    const body = complaintBody({
      text: "Nobody answers the phone in summer",
      // Posted that morning: intake refuses a post from months ahead of its clock (November's).
      postedAt: "2026-07-14T09:00:00Z",
    });
    const { json } = await e2e.request("/api/v1/complaints", { body });
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.text.includes("in summer")),
      "the card",
    );
    await e2e.driver.clickButton({
      userId: PEOPLE.alice,
      channelId: card.channel,
      messageTs: card.ts,
      actionId: "thread.claim",
    });
    const claimed = await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find((m) => m.ts === card.ts && JSON.stringify(m.blocks).includes("Claimed")),
      "the card claimed",
    );
    // The card's first-response deadline, as a Slack date token (the viewer's own clock).
    const token = /First response due (<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^>]+>)/.exec(
      JSON.stringify(claimed.blocks),
    )?.[1];
    expect(token).toBeDefined();
    expect(json.threadId).toBeDefined();

    const mine = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "mine",
      userId: PEOPLE.alice,
      channelId: CHANNELS.service,
    });
    const listed = JSON.stringify(mine.json);
    expect(listed).toContain(`First response due ${token}`);
    expect(listed).not.toContain("First response due 14:00 (");

    await e2e.driver.appHomeOpened({ userId: PEOPLE.alice });
    const home = await eventually(
      () => e2e.double.views.find((v) => v.type === "home" && v.userId === PEOPLE.alice),
      "Alice's Home",
    );
    expect(JSON.stringify(home.blocks)).toContain(`First response due ${token}`);
  });
});

describe("a deadline later today in the department's zone", () => {
  it("reads as tomorrow to a viewer whose day has already turned, not as a bare time", async () => {
    // 13:00 UTC: 22:00 in Tokyo. Customer Service runs on UTC: first response due 17:00 UTC,
    // which is 02:00 tomorrow for a Tokyo agent.
    const now = new Date("2026-07-14T13:00:00Z");
    e2e = await startE2E({ clock: new FakeClock(now), timers: false });
    const body = complaintBody({
      text: "Night shift cannot find my booking",
      postedAt: "2026-07-14T12:55:00Z",
    });
    await e2e.request("/api/v1/complaints", { body });
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.text.includes("Night shift")),
      "the card",
    );
    const due = JSON.stringify(card.blocks).match(/First response due [^"]+?\)/)?.[0] ?? "";
    expect(asSeenIn(due, "Asia/Tokyo", now)).toBe("First response due tomorrow 02:00 (in 4 h)");
    expect(asSeenIn(due, "Europe/London", now)).toBe("First response due today 18:00 (in 4 h)");
  });
});

describe("a warning's notification text", () => {
  it("names the zone of its time, since a notification cannot show the reader's own", async () => {
    // 10:00 UTC in summer (11:00 in London): Customer Service, on UTC, must claim by 11:00 UTC.
    const clock = new FakeClock(T0);
    e2e = await startE2E({ clock, timers: false });
    const body = complaintBody({ text: "Who reads this one", postedAt: "2026-07-14T09:00:00Z" });
    await e2e.request("/api/v1/complaints", { body });
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.text.includes("Who reads")),
      "the card",
    );
    // Slack shows the card before the bot records it, and the sweep skips a thread that a
    // transaction holds (it waits for the next sweep, which this test does not run).
    await eventually(async () => {
      const pending = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
      return pending.length === 0;
    }, "the card's delivery recorded");
    clock.set(new Date(Date.parse(T0) + 30 * 60_000));
    await e2e.bot.sweepTimers();
    const warning = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.threadTs === card.ts),
      "the 50% warning",
    );
    // Not "due 11:00", which a London agent would read as an hour from now.
    expect(warning.text).toBe(
      "Claim for this P3 Customer Service complaint is due 11:00 UTC (in 30 min)",
    );
  });
});
