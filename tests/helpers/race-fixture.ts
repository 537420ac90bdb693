import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { threadEvents, threads, timers } from "../../src/db/schema.ts";
import {
  GENEROUS_RATE_LIMITS,
  type SlackDriver,
  type StoredMessage,
} from "../../src/slack-double/index.ts";
import { dueDelivered } from "./card-fixture.ts";
import { type E2E, type E2EOptions, eventually, SIGNING_SECRET, startE2E } from "./e2e-harness.ts";
import { FakeClock } from "./fake-clock.ts";
import { CHANNELS, complaintBody, PEOPLE } from "./workspace-fixture.ts";

/**
 * For tests of different actions racing on one thread: the bot and a second replica on one
 * database and one Slack double, a fake clock, and the looks at Slack and the database that
 * tell whether one action won cleanly.
 */
export interface RaceBench {
  e2e: E2E;
  clock: FakeClock;
  /** Slack delivering to the second replica. */
  other: SlackDriver;
}

const T0 = "2026-11-24T10:00:00Z"; // a Tuesday, office hours in London

/** The bot at T0 (timers swept by hand) with a second replica and its driver. */
export async function startRace(options: E2EOptions = {}): Promise<RaceBench> {
  const clock = new FakeClock(T0);
  const e2e = await startE2E({
    clock,
    timers: false,
    double: {
      channels: [
        { id: CHANNELS.service, name: "sb-service", members: [PEOPLE.alice, PEOPLE.bob] },
        { id: CHANNELS.baggage, name: "sb-baggage", members: [PEOPLE.alice, PEOPLE.bob] },
        { id: CHANNELS.exec, name: "sb-exec", members: [PEOPLE.lead, PEOPLE.admin] },
      ],
      users: Object.values(PEOPLE).map((id) => ({ id, name: id.toLowerCase() })),
      rateLimits: GENEROUS_RATE_LIMITS,
    },
    ...options,
  });
  const replica = await e2e.startReplica();
  return { e2e, clock, other: e2e.double.driver(`${replica.url}/slack/events`, SIGNING_SECRET) };
}

export const threadRow = async (e2e: E2E, id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];

/** The kinds of the thread's timeline events, oldest first. */
export const eventsOf = async (e2e: E2E, id: string) =>
  (
    await e2e.db.db
      .select()
      .from(threadEvents)
      .where(eq(threadEvents.threadId, id))
      .orderBy(threadEvents.id)
  ).map((e) => e.kind);

/** The thread's timers still to fire. */
export const liveTimers = (e2e: E2E, id: string) =>
  e2e.db.db
    .select()
    .from(timers)
    .where(
      and(eq(timers.subjectType, "thread"), eq(timers.subjectId, id), eq(timers.status, "pending")),
    );

export const click = (
  driver: SlackDriver,
  userId: string,
  message: StoredMessage,
  actionId: string,
) => driver.clickButton({ userId, channelId: message.channel, messageTs: message.ts, actionId });

/** The message as the double shows it now. */
export const shownNow = (e2e: E2E, message: StoredMessage) =>
  e2e.double.messages(message.channel).find((m) => m.ts === message.ts);

/** What each person was told privately, as [user, text]; `since`: after that many notes. */
export const privateNotes = (e2e: E2E, since = 0) =>
  e2e.double
    .ephemerals()
    .slice(since)
    .map((m) => [m.ephemeralTo, m.text]);

/** `userId` clicks `actionId` (Hand over, Dismiss, Responded) on the card: the form it opened. */
export async function openForm(e2e: E2E, userId: string, card: StoredMessage, actionId: string) {
  // Only a form opened by this click: one the same person left open earlier may be beside it.
  const before = e2e.double.views.length;
  await click(e2e.driver, userId, card, actionId);
  return eventually(
    () => e2e.double.views.slice(before).find((v) => v.userId === userId && v.isOpen),
    `a form for ${userId}`,
  );
}

/** Files a complaint and waits for its card (and its ts recorded). */
export async function cardFor(
  e2e: E2E,
  text: string,
  options: { channel?: string; conversationId?: string } = {},
) {
  const channel = options.channel ?? CHANNELS.service;
  const body = complaintBody({
    text,
    ...(options.conversationId ? { conversationId: options.conversationId } : {}),
  });
  const { json } = await e2e.request("/api/v1/complaints", { body });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(channel).find((m) => !m.threadTs && m.text.includes(text)),
    "the card",
  );
  await eventually(
    async () => (await threadRow(e2e, threadId))?.slackTs === card.ts,
    "the card's ts",
  );
  return { threadId, card };
}

/** `userId` claims the thread from its card; waits for the card to show them. */
export async function claimedBy(e2e: E2E, userId: string, threadId: string, card: StoredMessage) {
  await click(e2e.driver, userId, card, "thread.claim");
  await eventually(async () => (await threadRow(e2e, threadId))?.owner === userId, "the claim");
  await eventually(
    () => JSON.stringify(shownNow(e2e, card)?.blocks).includes(`<@${userId}>`),
    "the card showing its owner",
  );
}

/** Waits until everything queued by the fake clock's now is sent (or dropped). */
export const settled = ({ e2e, clock }: RaceBench) => dueDelivered(e2e, clock);

/** No message was posted twice: each text appears once per channel and thread. */
export function expectNothingPostedTwice(e2e: E2E): void {
  const seen = e2e.double
    .messages()
    .map((m) => `${m.channel} ${m.threadTs ?? "-"} ${m.text}`)
    .sort();
  expect(seen).toEqual([...new Set(seen)]);
}
