import { and, eq, isNull } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { outbox, threads } from "../../src/db/schema.ts";
import { HAND_OVER_INPUTS } from "../../src/slack/views/ids.ts";
import {
  GENEROUS_RATE_LIMITS,
  type RateLimitSpec,
  type StoredMessage,
} from "../../src/slack-double/index.ts";
import { clickOnCard } from "../helpers/card-fixture.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * Slack answers 429 with Retry-After on every method (its tiers, SLACK.md §6). These tests
 * run the bot and the double on one fake clock, so a minute-long Retry-After passes at once.
 */
let e2e: E2E;
let clock: FakeClock;
afterEach(async () => {
  await e2e?.stop();
});

const T0 = "2026-11-24T10:00:00Z"; // a Tuesday, office hours in London

async function start(rateLimits?: RateLimitSpec) {
  clock = new FakeClock(T0);
  e2e = await startE2E({
    clock,
    timers: false,
    double: {
      now: () => clock.now().getTime(),
      rateLimits: { ...GENEROUS_RATE_LIMITS, ...rateLimits },
    },
  });
}

/** Refused items are back in the queue, due when the hold ends: the bot has taken in the 429. */
const heldBack = async (items = 1) =>
  (
    await e2e.db.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.lastError, "ratelimited"), isNull(outbox.lockedUntil)))
  ).length >= items;

const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];

const cardFor = (text: string) => cardIn(CHANNELS.service, text);

/** Files a complaint whose text routes it to `channel`, and waits for its card's ts. */
async function cardIn(channel: string, text: string) {
  const { json } = await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(channel).find((m) => m.text.includes(text)),
    "the card",
  );
  await eventually(async () => (await threadRow(threadId))?.slackTs === card.ts, "the card's ts");
  return { threadId, card };
}

const cardNow = (card: StoredMessage) =>
  JSON.stringify(e2e.double.messages(card.channel).find((m) => m.ts === card.ts));
/** What the person was shown privately (ephemeral messages from response_url posts). */
const shownTo = (userId: string) => e2e.double.ephemerals(undefined, userId).map((m) => m.text);
const limited = (method: string) => e2e.double.callsTo(method).filter((c) => c.status === 429);

describe("the outbox under Slack's 429s", () => {
  it("holds a card update to chat.update's per-minute limit and sends it after Retry-After", async () => {
    await start({ perMethodPerMinute: { "chat.update": 1 } });
    const { threadId, card } = await cardFor("update me later");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(() => cardNow(card).includes(`<@${PEOPLE.alice}>`), "the claimed card");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.resolve");
    await eventually(async () => (await threadRow(threadId))?.state === "resolved", "resolved");
    const refused = await eventually(() => limited("chat.update")[0], "a 429 on chat.update");
    expect(refused.retryAfterS).toBeGreaterThanOrEqual(1);
    await eventually(() => heldBack(), "the update held back");
    // Not due again until Retry-After has passed on the bot's clock.
    await e2e.bot.worker.runOnce();
    expect(e2e.double.callsTo("chat.update")).toHaveLength(2);
    expect(cardNow(card)).not.toContain("Resolved");
    clock.advance((refused.retryAfterS ?? 60) * 1000);
    await eventually(() => cardNow(card).includes("Resolved"), "the resolved card");
    const calls = e2e.double.callsTo("chat.update");
    expect(calls.at(-1)?.at).toBeGreaterThanOrEqual(refused.at + (refused.retryAfterS ?? 0) * 1000);
  });

  it("after a 429 on chat.update holds every card's update until Retry-After", async () => {
    await start({ perMethodPerMinute: { "chat.update": 1 } });
    const first = await cardFor("first card for the service desk");
    const bag = await cardIn(CHANNELS.baggage, "my suitcase never arrived");
    await clickOnCard(e2e, PEOPLE.alice, first.card, "thread.claim");
    await eventually(() => cardNow(first.card).includes(`<@${PEOPLE.alice}>`), "the first update");
    await clickOnCard(e2e, PEOPLE.alice, bag.card, "thread.claim");
    const refused = await eventually(() => limited("chat.update")[0], "a 429 on chat.update");
    const retryAfterMs = (refused.retryAfterS ?? 60) * 1000;
    await eventually(() => heldBack(), "the update held back");
    // Another card's update, in another channel, waits for the same Retry-After: the limit is
    // the method's, for the whole workspace.
    await clickOnCard(e2e, PEOPLE.alice, first.card, "thread.resolve");
    await eventually(
      async () => (await threadRow(first.threadId))?.state === "resolved",
      "the first resolved",
    );
    await eventually(() => heldBack(2), "both updates held back");
    expect(e2e.double.callsTo("chat.update")).toHaveLength(2);
    expect(cardNow(first.card)).not.toContain("Resolved");
    e2e.double.setRateLimit("chat.update", 100); // both held updates fit after the hold
    clock.advance(retryAfterMs);
    await eventually(() => cardNow(first.card).includes("Resolved"), "the resolved card");
    await eventually(() => cardNow(bag.card).includes(`<@${PEOPLE.alice}>`), "the claimed bag");
    const updates = e2e.double.callsTo("chat.update").filter((c) => c.at > refused.at);
    for (const call of updates) expect(call.at).toBeGreaterThanOrEqual(refused.at + retryAfterMs);
  });

  it("after a 429 for a channel, spaces that channel's posts instead of being refused again", async () => {
    await start({ postMessagePerChannel: { burst: 1, perSecond: 1 } });
    await e2e.bot.worker.stop(); // one delivery round at a time, below
    const texts = ["first in line", "second in line", "third in line"];
    for (const text of texts)
      await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
    const posted = (text: string) =>
      e2e.double.messages(CHANNELS.service).some((m) => m.text.includes(text));
    await e2e.bot.worker.runOnce();
    expect(posted("first in line")).toBe(true);
    await e2e.bot.worker.runOnce();
    const [refused] = limited("chat.postMessage");
    expect(refused?.retryAfterS).toBe(1);
    clock.advance(1000);
    await e2e.bot.worker.runOnce();
    expect(posted("second in line")).toBe(true);
    // Paced: the third waits for its second on the bot's clock rather than hearing a 429.
    expect(await e2e.bot.worker.runOnce()).toBe(0);
    expect(posted("third in line")).toBe(false);
    clock.advance(1000);
    await e2e.bot.worker.runOnce();
    expect(posted("third in line")).toBe(true);
    expect(limited("chat.postMessage")).toHaveLength(1);
  });

  it("retries a hand-over's permalink after a 429 and leaves the link", async () => {
    await start();
    const { card } = await cardFor("my bag strap broke");
    e2e.double.failNext("chat.getPermalink", { retryAfter: 2 });
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
    const modal = await eventually(() => e2e.double.views.find((v) => v.isOpen), "the modal");
    await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      values: {
        [HAND_OVER_INPUTS.department.blockId]: {
          [HAND_OVER_INPUTS.department.actionId]: "baggage",
        },
      },
    });
    await eventually(() => limited("chat.getPermalink").length === 1, "a 429 on the permalink");
    await eventually(() => heldBack(), "the link held back");
    await e2e.bot.worker.runOnce();
    expect(cardNow(card)).not.toContain("Handed over");
    clock.advance(2000);
    await eventually(() => cardNow(card).includes("Handed over from"), "the link");
  });

  it("retries a DM to the leads after conversations.open answers 429", async () => {
    await start();
    await cardFor("nobody claims this");
    e2e.double.failNext("conversations.open", { retryAfter: 3 });
    clock.set(new Date(Date.parse(T0) + 61 * MINUTE)); // past the 1 h claim window: breach
    await e2e.bot.sweepTimers();
    await eventually(() => limited("conversations.open").length === 1, "a 429 opening the DM");
    await eventually(() => heldBack(), "the DM held back");
    await e2e.bot.worker.runOnce();
    expect(e2e.double.callsTo("conversations.open")).toHaveLength(1);
    clock.advance(3000);
    const dm = await eventually(
      () => e2e.double.messages().find((m) => m.channel.startsWith("D")),
      "the DM",
    );
    expect(dm.text).toContain("breached");
  });
});

describe("clicks while Slack is busy", () => {
  it("tells the person privately, changes nothing, and asks Slack no more until Retry-After", async () => {
    await start();
    const { threadId, card } = await cardFor("claim me when Slack is calm");
    e2e.double.setRateLimit("conversations.members", 0);
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(
      () => shownTo(PEOPLE.alice).some((t) => t.includes("Slack is busy right now")),
      "the busy notice",
    );
    await clickOnCard(e2e, PEOPLE.bob, card, "thread.claim");
    await eventually(
      () => shownTo(PEOPLE.bob).some((t) => t.includes("Try again in 60 seconds")),
      "the busy notice for bob",
    );
    expect(e2e.double.callsTo("conversations.members")).toHaveLength(1);
    expect(await threadRow(threadId)).toMatchObject({ state: "open", owner: null });
    // Not a refusal: nobody was told they are outside the department.
    expect(shownTo(PEOPLE.alice).join()).not.toContain("Only members");
    e2e.double.setRateLimit("conversations.members", undefined);
    clock.advance(60_000);
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "claim");
  });

  it("says so when views.open is rate limited, instead of opening nothing", async () => {
    await start();
    const { card } = await cardFor("hand me over");
    e2e.double.setRateLimit("views.open", 0);
    const res = await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
    expect(res.status).toBe(200);
    await eventually(
      () => shownTo(PEOPLE.alice).some((t) => t.includes("Slack is busy right now")),
      "the busy notice",
    );
    expect(e2e.double.views).toHaveLength(0);
  });

  it("keeps the modal open with the reason when a submission's lookup is rate limited", async () => {
    await start();
    const { threadId, card } = await cardFor("hand me over later");
    // Busy from the click on: the check made once the form is open cannot run either, so the
    // form stays a form (the submission decides), and the submission's own lookup is refused.
    e2e.double.setRateLimit("conversations.members", 0);
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
    const modal = await eventually(() => e2e.double.views.find((v) => v.isOpen), "the modal");
    await eventually(
      () => e2e.double.calls.some((c) => c.method === "conversations.members" && c.status === 429),
      "the form's check to ask Slack",
    );
    expect(e2e.double.view(modal.id)?.callback_id).toBe("thread.handover.modal");
    const submitted = await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      values: {
        [HAND_OVER_INPUTS.department.blockId]: {
          [HAND_OVER_INPUTS.department.actionId]: "baggage",
        },
      },
    });
    expect(submitted.late).toBe(false);
    expect(submitted.outcome.action).toBe("errors");
    expect(Object.values(submitted.outcome.errors ?? {}).join()).toContain("Slack is busy");
    expect(e2e.double.view(modal.id)?.isOpen).toBe(true);
    expect((await threadRow(threadId))?.department).toBe("service");
  });
});
