import { eq } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { outbox, threads } from "../../src/db/schema.ts";
import { HAND_OVER_INPUTS, RESPONDED_INPUTS } from "../../src/slack/views/ids.ts";
import { REPLIED_PRIVATELY } from "../../src/slack/views/responded-modal.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { clickOnCard, dueDelivered, submitHandOver } from "../helpers/card-fixture.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { CHANNELS, complaintBody, PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

// A Tuesday at 16:00 in London: Alice (office hours 09:00-17:00) goes home within the hour.
const T0 = "2026-11-24T16:00:00Z";

const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];
const openModal = (userId: string) =>
  eventually(
    () => [...e2e.double.views].reverse().find((v) => v.userId === userId && v.isOpen),
    `a modal for ${userId}`,
  );
const dmsTo = (userId: string) => e2e.double.messages(e2e.double.directMessage(userId).id);

/**
 * Slack refused the warning with a 429 and the bot has taken in the hold: the warning is back
 * in the queue, due when Retry-After ends. Not `attempts > 0`: a 429 gives the attempt back,
 * so that is true only while the refused call is in flight, and a poll can miss it.
 */
const nudgeHeldBack = async () => {
  const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "thread.nudge"));
  return rows.some(
    (r) => r.status === "pending" && r.lastError === "ratelimited" && r.lockedUntil === null,
  );
};

/** A complaint posted and its card shown in Slack, with the card's ts recorded. */
async function postedCard(body: Record<string, unknown>) {
  const { json } = await e2e.request("/api/v1/complaints", { body });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs && m.ts),
    "the card",
  );
  await eventually(async () => (await threadRow(threadId))?.slackTs === card.ts, "the card's ts");
  return { threadId, card };
}

/** A refund complaint (service, P3: first response due in 4 h) with its card, claimed by Alice. */
async function refundClaimedByAlice() {
  const { threadId, card } = await postedCard(complaintBody({ text: "my refund never arrived" }));
  await claimAs(PEOPLE.alice, card, threadId);
  return { threadId, card };
}

/** A voucher complaint (service, P3: resolve in 3 days) claimed by Alice and answered privately. */
async function voucherAnswered(conversationId: string) {
  const body = complaintBody({ conversationId, text: "where is my voucher" });
  const { threadId, card } = await postedCard(body);
  await claimAs(PEOPLE.alice, card, threadId);
  await respondPrivately(PEOPLE.alice, card);
  await eventually(async () => (await threadRow(threadId))?.state === "responded", "responded");
  return { threadId, card };
}

/** Waits until the card, redrawn after the answer, offers Waiting on customer. */
async function cardOffersWaiting(card: { ts: string }) {
  await eventually(
    () =>
      JSON.stringify(
        e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts)?.blocks,
      ).includes("thread.wait"),
    "the card to offer Waiting",
  );
}

async function claimAs(userId: string, card: StoredMessage, threadId: string) {
  await clickOnCard(e2e, userId, card, "thread.claim");
  await eventually(async () => (await threadRow(threadId))?.owner === userId, "the claim");
}

/** Marks the thread responded, the answer given privately (the resolution clock runs on). */
async function respondPrivately(userId: string, card: StoredMessage) {
  await clickOnCard(e2e, userId, card, "thread.responded");
  await e2e.driver.submitView({
    viewId: (await openModal(userId)).id,
    userId,
    values: {
      [RESPONDED_INPUTS.private.blockId]: {
        [RESPONDED_INPUTS.private.actionId]: [REPLIED_PRIVATELY],
      },
    },
  });
}

/** The delivery to `channel` waiting in the outbox (a DM held for its reader's working hours). */
const heldFor = (channel: string, what: string) =>
  eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.channel, channel));
    return rows.find((r) => r.status === "pending");
  }, what);

/** Waits until the delivery `id` is done with, sent or dropped. */
const settled = (id: number) =>
  eventually(async () => {
    const [row] = await e2e.db.db.select().from(outbox).where(eq(outbox.id, id));
    return row?.status === "delivered";
  }, "the held warning settled");

/**
 * Alice claims a complaint and answers it privately. 80% of its resolution window falls at
 * 01:36 on Friday (due 16:00), so her warning DM is held until 09:00; meanwhile the customer is
 * asked for their booking reference (every clock stops), and at 09:00 nothing reaches her.
 */
async function warningHeldWhileWaiting(clock: FakeClock, conversationId: string) {
  const { threadId, card } = await voucherAnswered(conversationId);
  await moveTo(clock, new Date(Date.parse(T0) + ((72 * 60 * 8) / 10) * MINUTE));
  await e2e.bot.sweepTimers();
  const held = await heldFor(PEOPLE.alice, "the warning held for Alice's morning");
  await cardOffersWaiting(card);
  await clickOnCard(e2e, PEOPLE.alice, card, "thread.wait");
  await eventually(
    async () => (await threadRow(threadId))?.state === "waiting_on_customer",
    "waiting",
  );
  await moveTo(clock, new Date("2026-11-27T09:00:00Z"));
  e2e.bot.worker.kick();
  await settled(held.id);
  expect(dmsTo(PEOPLE.alice).map((m) => m.text)).toEqual([]);
  return { threadId, card };
}

/**
 * Alice owns a complaint; halfway to its first response (4 h) a warning naming her is due
 * under the card, and Slack holds the channel back for ten minutes (429).
 */
async function warningHeldBySlack(clock: FakeClock) {
  const { threadId, card } = await refundClaimedByAlice();
  await moveTo(clock, new Date(Date.parse(T0) + 120 * MINUTE));
  e2e.double.failNext("chat.postMessage", { status: 429, retryAfter: 600 });
  await e2e.bot.sweepTimers();
  await eventually(nudgeHeldBack, "the warning tried and held back");
  return { threadId, card };
}

/** Alice hands the thread over from its card, with the form's `values`. */
const handOver = (card: StoredMessage, values: Record<string, Record<string, unknown>>) =>
  submitHandOver(e2e, PEOPLE.alice, card, values);

/** The lines of the thread's timeline, as shown to `userId` who asked for it from the card. */
async function timelineShown(userId: string, card: StoredMessage): Promise<string[]> {
  await clickOnCard(e2e, userId, card, "thread.timeline");
  const timeline = await eventually(
    () =>
      e2e.double
        .ephemerals()
        .find((m) => m.ephemeralTo === userId && m.text.startsWith("Timeline of this thread")),
    "the timeline",
  );
  return (timeline.blocks ?? []).map((b) => String((b as { text?: { text?: string } }).text?.text));
}

/** The customer of `conversationId` writes again at `at`, and the thread's clocks run again. */
async function customerWritesAgain(
  clock: FakeClock,
  threadId: string,
  conversationId: string,
  at: string,
) {
  await moveTo(clock, new Date(at));
  const again = complaintBody({ conversationId, text: "it is VOUCHER-123", postedAt: at });
  await e2e.request("/api/v1/complaints", { body: again });
  await eventually(async () => (await threadRow(threadId))?.state === "claimed", "resumed");
  e2e.bot.worker.kick();
}

/** Moves the clock once nothing due is in flight (a lease must not expire under a delivery). */
async function moveTo(clock: FakeClock, at: Date) {
  await dueDelivered(e2e, clock);
  clock.set(at);
}

it("drops the owner's evening warning, held for her morning, once she has handed the thread on", async () => {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false });
  const { threadId, card } = await refundClaimedByAlice();
  // 80% of the first response window: a DM to the owner, held until 09:00 tomorrow, her hours.
  await moveTo(clock, new Date(Date.parse(T0) + 192 * MINUTE));
  await e2e.bot.sweepTimers();
  const held = await heldFor(PEOPLE.alice, "the warning held for Alice's morning");
  // That evening a colleague on shift takes the thread over.
  await handOver(card, {
    [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
  });
  await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.bob, "Bob owns it");
  await eventually(
    () => dmsTo(PEOPLE.bob).some((m) => m.text.includes("handed you")),
    "the hand-over DM to Bob",
  );
  // Her morning: the held warning is done with, and Alice, who no longer owns it, hears nothing.
  await moveTo(clock, new Date("2026-11-25T09:00:00Z"));
  e2e.bot.worker.kick();
  await settled(held.id);
  expect(dmsTo(PEOPLE.alice).map((m) => m.text)).toEqual([]);
});

it("drops the owner's warning held for her morning once the thread waits on the customer", async () => {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false });
  await warningHeldWhileWaiting(clock, "voucher-waiting");
});

it("drops the lead's breach DM, held for his morning, once the thread went to a department he does not lead", async () => {
  const clock = new FakeClock(T0);
  const workspace = testWorkspace((config) => {
    // The lead of Customer Service works London office hours; Press & PR has another lead.
    config.people[PEOPLE.lead] = { calendar: "london-office" };
    const pr = config.departments.find((d) => d.key === "pr");
    if (pr) pr.leads = [PEOPLE.admin];
  });
  e2e = await startE2E({ clock, timers: false, workspace });
  const { threadId, card } = await refundClaimedByAlice();
  // 20:00: the first response is overdue. The lead hears of it by DM, held until 09:00.
  await moveTo(clock, new Date(Date.parse(T0) + 240 * MINUTE));
  await e2e.bot.sweepTimers();
  const held = await heldFor(PEOPLE.lead, "the breach DM held for the lead's morning");
  // That evening the thread turns out to be the press office's: it goes to Press & PR.
  await handOver(card, {
    [HAND_OVER_INPUTS.department.blockId]: { [HAND_OVER_INPUTS.department.actionId]: "pr" },
  });
  await eventually(async () => (await threadRow(threadId))?.department === "pr", "moved to PR");
  // His morning: the thread is no longer his department's, and he is not chased about it.
  await moveTo(clock, new Date("2026-11-25T09:00:00Z"));
  e2e.bot.worker.kick();
  await settled(held.id);
  expect(dmsTo(PEOPLE.lead).map((m) => m.text)).toEqual([]);
});

it("gives the owner's warning, held for her morning, the deadline its clock has after a pause and resume", async () => {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false });
  const conversationId = "voucher-paused";
  const { threadId, card } = await voucherAnswered(conversationId);
  // 80% of the resolution window falls at 01:36 on Friday (due 16:00): held until 09:00.
  await moveTo(clock, new Date(Date.parse(T0) + ((72 * 60 * 8) / 10) * MINUTE));
  await e2e.bot.sweepTimers();
  await heldFor(PEOPLE.alice, "the warning held for Alice's morning");
  // From 02:00 to 08:00 the thread waits on the customer: six hours that do not count.
  await cardOffersWaiting(card);
  await moveTo(clock, new Date("2026-11-27T02:00:00Z"));
  await clickOnCard(e2e, PEOPLE.alice, card, "thread.wait");
  await eventually(
    async () => (await threadRow(threadId))?.state === "waiting_on_customer",
    "waiting",
  );
  await moveTo(clock, new Date("2026-11-27T08:00:00Z"));
  const again = complaintBody({
    conversationId,
    text: "it is VOUCHER-123",
    postedAt: "2026-11-27T08:00:00Z",
  });
  await e2e.request("/api/v1/complaints", { body: again });
  await eventually(async () => (await threadRow(threadId))?.state === "claimed", "resumed");
  // Her morning: the warning says the resolution is due at 22:00, six hours later than queued.
  await moveTo(clock, new Date("2026-11-27T09:00:00Z"));
  e2e.bot.worker.kick();
  const dm = await eventually(() => dmsTo(PEOPLE.alice)[0], "the warning DM");
  expect(dm.text).toBe(
    "Resolution for this P3 Customer Service complaint is due 22:00 UTC (in 13 h)",
  );
});

it("drops a channel warning that Slack could not take before the thread went to another department", async () => {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false });
  const { threadId, card } = await warningHeldBySlack(clock);
  // Before it goes out, the thread turns out to be the press office's.
  await handOver(card, {
    [HAND_OVER_INPUTS.department.blockId]: { [HAND_OVER_INPUTS.department.actionId]: "pr" },
  });
  await eventually(async () => (await threadRow(threadId))?.department === "pr", "moved to PR");
  clock.set(new Date(Date.parse(T0) + 131 * MINUTE));
  e2e.bot.worker.kick();
  const prCard = await eventually(
    () => e2e.double.messages(CHANNELS.pr).find((m) => !m.threadTs && m.ts),
    "the card in Press & PR",
  );
  await eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "thread.nudge"));
    return rows.every((r) => r.status === "delivered");
  }, "the held warning settled");
  // No warning lands under either card, mentioning Alice, who no longer owns the thread, about
  // a complaint that is now Press & PR's.
  const replies = [CHANNELS.service, CHANNELS.pr].flatMap((c) =>
    e2e.double.messages(c).filter((m) => m.threadTs === card.ts || m.threadTs === prCard.ts),
  );
  expect(replies.map((m) => m.text)).toEqual([]);
});

it("names the new owner in a thread warning that Slack could not take before a hand-over", async () => {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false });
  const { threadId, card } = await warningHeldBySlack(clock);
  // Meanwhile Alice hands the thread to Bob.
  await handOver(card, {
    [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
  });
  await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.bob, "Bob owns it");
  clock.set(new Date(Date.parse(T0) + 131 * MINUTE));
  e2e.bot.worker.kick();
  const warning = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => m.threadTs === card.ts),
    "the warning under the card",
  );
  expect(warning.text).toBe(
    `<@${PEOPLE.bob}> First response for this P3 Customer Service complaint is due 20:00 UTC (in 1 h 49 min)`,
  );
});

it("sends the owner's warning dropped while the thread waited on the customer once they write and the clock runs again", async () => {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false });
  const conversationId = "voucher-dropped";
  const { threadId } = await warningHeldWhileWaiting(clock, conversationId);
  // 10:00: the customer writes; 14 h 24 min of the resolution window are left, due 00:24.
  await moveTo(clock, new Date("2026-11-27T10:00:00Z"));
  const again = complaintBody({
    conversationId,
    text: "it is VOUCHER-123",
    postedAt: "2026-11-27T10:00:00Z",
  });
  await e2e.request("/api/v1/complaints", { body: again });
  await eventually(async () => (await threadRow(threadId))?.state === "claimed", "resumed");
  e2e.bot.worker.kick();
  const dm = await eventually(() => dmsTo(PEOPLE.alice)[0], "the warning DM");
  expect(dm.text).toBe(
    "Resolution for this P3 Customer Service complaint is due 00:24 tomorrow UTC (in 14 h 24 min)",
  );
  expect(dmsTo(PEOPLE.alice)).toHaveLength(1);
});

it("mentions the owner, not the whole channel, in an @here warning that Slack could not take before the thread was claimed", async () => {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false });
  const body = complaintBody({ text: "my refund never arrived" }); // service, P3: respond in 4 h
  const { threadId, card } = await postedCard(body);
  // Nobody claims it: the claim breach and the first response's 50% warning go out.
  await moveTo(clock, new Date(Date.parse(T0) + 120 * MINUTE));
  await e2e.bot.sweepTimers();
  // At 80% the warning is for the whole channel, and Slack holds the channel for ten minutes.
  await moveTo(clock, new Date(Date.parse(T0) + 192 * MINUTE));
  e2e.double.failNext("chat.postMessage", { status: 429, retryAfter: 600 });
  await e2e.bot.sweepTimers();
  await eventually(nudgeHeldBack, "the warning tried and held back");
  // Meanwhile Alice claims the thread.
  await claimAs(PEOPLE.alice, card, threadId);
  clock.set(new Date(Date.parse(T0) + 203 * MINUTE));
  e2e.bot.worker.kick();
  const warning = await eventually(
    () =>
      e2e.double
        .messages(CHANNELS.service)
        .filter((m) => m.threadTs === card.ts && m.text.includes("is due 20:00"))[1],
    "the 80% warning under the card, after the 50% one",
  );
  expect(warning.text).toBe(
    `<@${PEOPLE.alice}> First response for this P3 Customer Service complaint is due 20:00 UTC (in 37 min)`,
  );
  // Nobody else is pinged: no reply under the card, nor post in the channel, says @here.
  expect(e2e.double.messages(CHANNELS.service).filter((m) => m.text.includes("<!here>"))).toEqual(
    [],
  );
});

it("tells the warning held while the thread waited on the customer once in its timeline, as held and then as sent", async () => {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false });
  const conversationId = "voucher-timeline";
  const { threadId, card } = await warningHeldWhileWaiting(clock, conversationId);
  await customerWritesAgain(clock, threadId, conversationId, "2026-11-27T10:00:00Z");
  await eventually(() => dmsTo(PEOPLE.alice)[0], "the warning DM");
  const lines = await timelineShown(PEOPLE.alice, card);
  expect(lines.filter((l) => l.includes("warning"))).toEqual([
    // The 50% warning, under the card, went out; the 80% one, to Alice, was held.
    "*Fri 27 Nov 2026* 01:36 warning: resolution due soon",
    "01:36 warning: resolution due soon, held while waiting on the customer",
    "10:00 warning sent: resolution due soon (held while waiting on the customer)",
  ]);
});

/**
 * A complaint taken in on Tuesday at 20:00, claimed by Alice and answered privately: its
 * resolution (3 days) is overdue on Friday at 20:00, after the lead's office hours, so his
 * breach DM waits for Monday 09:00. `breachHeldBySlack`: Slack holds the card's channel back
 * (429) as the breach note goes out under the card.
 */
async function breachAfterHours(conversationId: string, breachHeldBySlack = false) {
  const clock = new FakeClock("2026-11-24T20:00:00Z");
  const workspace = testWorkspace((config) => {
    config.people[PEOPLE.lead] = { calendar: "london-office" };
  });
  e2e = await startE2E({ clock, timers: false, workspace });
  const { threadId, card } = await voucherAnswered(conversationId);
  await cardOffersWaiting(card);
  await moveTo(clock, new Date("2026-11-27T20:00:00Z"));
  if (breachHeldBySlack) e2e.double.failNext("chat.postMessage", { status: 429, retryAfter: 600 });
  await e2e.bot.sweepTimers();
  const heldDm = await heldFor(PEOPLE.lead, "the breach DM held for the lead's Monday");
  const breachNotes = () =>
    e2e.double
      .messages(CHANNELS.service)
      .filter((m) => m.threadTs === card.ts && m.text.includes("breached"));
  return { clock, threadId, card, heldDm, breachNotes };
}

/** Alice asks the customer for their booking reference: every clock stops. */
async function waitOnCustomer(card: StoredMessage, threadId: string) {
  await clickOnCard(e2e, PEOPLE.alice, card, "thread.wait");
  await eventually(
    async () => (await threadRow(threadId))?.state === "waiting_on_customer",
    "waiting",
  );
}

/**
 * Before Slack takes what it held back (429), Alice sets the thread waiting on the customer;
 * at `holdEnds` the hold is over and the held message is done with (the lead's DM, held for his
 * Monday, still waits).
 */
async function waitBeforeSlackTakesIt(
  clock: FakeClock,
  card: StoredMessage,
  threadId: string,
  holdEnds: string,
) {
  await waitOnCustomer(card, threadId);
  clock.set(new Date(holdEnds));
  e2e.bot.worker.kick();
  await eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "thread.nudge"));
    return rows.every((r) => r.status === "delivered" || r.channel === PEOPLE.lead);
  }, "the held message settled");
}

it("sends the lead's breach DM dropped while the thread waited on the customer once they write, and the breach note under the card once", async () => {
  const conversationId = "voucher-breach";
  const { clock, threadId, card, heldDm, breachNotes } = await breachAfterHours(conversationId);
  await eventually(() => breachNotes()[0], "the breach note under the card");
  await waitOnCustomer(card, threadId);
  // Monday 09:00: while the thread waits, the DM is held back.
  await moveTo(clock, new Date("2026-11-30T09:00:00Z"));
  e2e.bot.worker.kick();
  await settled(heldDm.id);
  expect(dmsTo(PEOPLE.lead).map((m) => m.text)).toEqual([]);
  // 10:00: the customer writes, the thread needs work again, and the lead learns of the breach.
  await customerWritesAgain(clock, threadId, conversationId, "2026-11-30T10:00:00Z");
  const dm = await eventually(() => dmsTo(PEOPLE.lead)[0], "the breach DM");
  expect(dm.text).toBe(
    "Resolution for this P3 Customer Service complaint breached 2 days 14 h ago",
  );
  expect(dmsTo(PEOPLE.lead)).toHaveLength(1);
  // The note under the card went out at the breach, and is not posted again.
  expect(breachNotes()).toHaveLength(1);
  const lines = await timelineShown(PEOPLE.alice, card);
  expect(lines.filter((l) => l.includes("breach"))).toEqual([
    "*Fri 27 Nov 2026* 20:00 breach: resolution, its notice held while waiting on the customer",
    "10:00 breach notice sent: resolution (held while waiting on the customer)",
  ]);
});

it("posts the breach note that Slack could not take before the thread waited on the customer once they write", async () => {
  const conversationId = "voucher-breach-429";
  const { clock, threadId, card, breachNotes } = await breachAfterHours(conversationId, true);
  await eventually(nudgeHeldBack, "the breach note tried and held back");
  await waitBeforeSlackTakesIt(clock, card, threadId, "2026-11-27T20:11:00Z");
  expect(breachNotes()).toEqual([]);
  // Monday 10:00: the customer writes, and the lead is told under the card and by DM.
  await customerWritesAgain(clock, threadId, conversationId, "2026-11-30T10:00:00Z");
  const note = await eventually(() => breachNotes()[0], "the breach note under the card");
  expect(note.text).toBe(
    `<@${PEOPLE.lead}> Resolution for this P3 Customer Service complaint breached 2 days 14 h ago`,
  );
  await eventually(() => dmsTo(PEOPLE.lead)[0], "the breach DM");
  expect(breachNotes()).toHaveLength(1);
  expect(dmsTo(PEOPLE.lead)).toHaveLength(1);
});

it("tells the new owner what is due in the hand-over DM, and does not repeat a warning already given before the hand-over", async () => {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false });
  const { card } = await refundClaimedByAlice();
  // Halfway to the first response (due 20:00), the warning under the card names Alice.
  await moveTo(clock, new Date(Date.parse(T0) + 120 * MINUTE));
  await e2e.bot.sweepTimers();
  const warnings = () =>
    e2e.double
      .messages(CHANNELS.service)
      .filter((m) => m.threadTs === card.ts && m.text.includes("is due 20:00"));
  await eventually(() => warnings()[0], "the 50% warning under the card");
  // Then she hands the thread to Bob: his DM says what is due, as the warning did.
  await moveTo(clock, new Date(Date.parse(T0) + 130 * MINUTE));
  await handOver(card, {
    [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
  });
  const handedOver = await eventually(
    () => dmsTo(PEOPLE.bob).find((m) => m.text.includes("handed you")),
    "the hand-over DM to Bob",
  );
  const dues = (handedOver.blocks ?? []).map((b) => (b as { text?: { text?: string } }).text?.text);
  expect(dues).toContain(
    ":stopwatch: First response due <!date^1795550400^{date_short_pretty} {time}|20:00 UTC> (in 1 h 50 min)\n" +
      ":stopwatch: Resolution due <!date^1795795200^{date_short_pretty} {time}|16:00 Friday UTC> (in 2 days 21 h)",
  );
  // A sweep after the hand-over gives Bob no warning of his own: the 50% one is not repeated
  // (its step fired; the 80% one, at 19:12, will be his).
  await moveTo(clock, new Date(Date.parse(T0) + 131 * MINUTE));
  await e2e.bot.sweepTimers();
  // Once what that sweep queued (the card's redraw) is delivered:
  await moveTo(clock, new Date(Date.parse(T0) + 132 * MINUTE));
  expect(warnings().map((m) => m.text)).toEqual([
    `<@${PEOPLE.alice}> First response for this P3 Customer Service complaint is due 20:00 UTC (in 2 h)`,
  ]);
  expect(dmsTo(PEOPLE.bob)).toHaveLength(1);
});

it("posts the executives' escalation that Slack could not take before the thread waited on the customer once they write", async () => {
  const conversationId = "voucher-escalation-429";
  const { clock, threadId, card, breachNotes } = await breachAfterHours(conversationId);
  await eventually(() => breachNotes()[0], "the breach note under the card");
  // 20:30, half an hour after the breach: the escalation is due, and Slack holds #exec back.
  await moveTo(clock, new Date("2026-11-27T20:30:00Z"));
  e2e.double.failNext("chat.postMessage", { status: 429, retryAfter: 600 });
  await e2e.bot.sweepTimers();
  await eventually(nudgeHeldBack, "the escalation tried and held back");
  await waitBeforeSlackTakesIt(clock, card, threadId, "2026-11-27T20:41:00Z");
  expect(e2e.double.messages(CHANNELS.exec)).toEqual([]);
  // Monday 10:00: the customer writes, the thread needs work again, and the executives hear.
  await customerWritesAgain(clock, threadId, conversationId, "2026-11-30T10:00:00Z");
  const escalation = await eventually(
    () => e2e.double.messages(CHANNELS.exec)[0],
    "the escalation in #exec",
  );
  expect(escalation.text).toBe(
    "Escalation: resolution for this P3 Customer Service complaint is overdue by 2 days 14 h",
  );
  await eventually(() => dmsTo(PEOPLE.lead)[0], "the breach DM");
  expect(e2e.double.messages(CHANNELS.exec)).toHaveLength(1);
  const lines = await timelineShown(PEOPLE.alice, card);
  expect(lines.filter((l) => l.includes("escalat"))).toEqual([
    "20:30 escalated: resolution overdue, held while waiting on the customer",
    "10:00 escalation sent: resolution overdue (held while waiting on the customer)",
  ]);
});
