import { eq } from "drizzle-orm";
import { outbox, threads } from "../../src/db/schema.ts";
import { HAND_OVER_INPUTS } from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { type E2E, type E2EOptions, eventually, startE2E } from "./e2e-harness.ts";
import { FakeClock, MINUTE } from "./fake-clock.ts";
import { CHANNELS, PEOPLE } from "./workspace-fixture.ts";

/**
 * For tests of what happens to a thread's card and its messages when something is gone in
 * Slack (a deleted card, an archived channel, a deactivated person): the bot on a fake clock
 * with timers swept by hand, and the few looks at it they share.
 */
export const T0 = "2026-11-24T10:00:00Z"; // a Tuesday

/** The bot at T0, its timers swept only by `sweepAt`. */
export async function startAtT0(options: E2EOptions = {}): Promise<{ e2e: E2E; clock: FakeClock }> {
  const clock = new FakeClock(T0);
  const e2e = await startE2E({ clock, timers: false, ...options });
  return { e2e, clock };
}

/** The thread's row as it is now. */
export async function threadRow(e2e: E2E, id: string) {
  return (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];
}

/** Waits until every delivery due by the fake clock's now is done with (sent or dropped). */
export async function dueDelivered(e2e: E2E, clock: FakeClock): Promise<void> {
  await eventually(async () => {
    const pending = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
    return pending.every((o) => o.nextAttemptAt > clock.now());
  }, "due deliveries recorded");
}

/** Sweeps the timers at `minutes` after T0, once nothing due is left in flight. */
export async function sweepAt(e2e: E2E, clock: FakeClock, minutes: number): Promise<void> {
  // Nothing due may be in flight when the fake clock jumps: its 60 s lease would expire
  // under it, and a worker would rightly send it again.
  await dueDelivered(e2e, clock);
  clock.set(new Date(Date.parse(T0) + minutes * MINUTE));
  await e2e.bot.sweepTimers();
}

/** What `/switchboard status` shows an admin. */
export async function statusShown(e2e: E2E): Promise<string> {
  const status = await e2e.driver.slashCommand({
    command: "/switchboard",
    text: "status",
    userId: PEOPLE.admin,
    channelId: CHANNELS.exec,
  });
  return JSON.stringify(status.json);
}

/** An admin retries a failed delivery (`/switchboard retry <id>`). */
export async function retryAsAdmin(e2e: E2E, id: number): Promise<void> {
  await e2e.driver.slashCommand({
    command: "/switchboard",
    text: `retry ${id}`,
    userId: PEOPLE.admin,
    channelId: CHANNELS.exec,
  });
}

/**
 * `userId` clicks the button `actionId` (`thread.claim`, `thread.resolve`…) on a card, or on
 * any message carrying the card's buttons (a nudge, a hand-over DM).
 */
export function clickOnCard(
  e2e: E2E,
  userId: string,
  card: { channel: string; ts: string },
  actionId: string,
) {
  return e2e.driver.clickButton({ userId, channelId: card.channel, messageTs: card.ts, actionId });
}

/** `userId` clicks Hand over on the card and submits the form with `values`. */
export async function submitHandOver(
  e2e: E2E,
  userId: string,
  card: { channel: string; ts: string },
  values: Record<string, Record<string, unknown>>,
): Promise<void> {
  await clickOnCard(e2e, userId, card, "thread.handover");
  // The latest: a form the same person opened earlier may still be open beside it.
  const modal = await eventually(
    () => [...e2e.double.views].reverse().find((v) => v.userId === userId && v.isOpen),
    "the hand-over form",
  );
  await e2e.driver.submitView({ viewId: modal.id, userId, values });
}

/**
 * Alice hands the thread, unclaimed in Customer Service, to Baggage from its card: its new
 * card in #sb-baggage, once the thread has recorded it.
 */
export async function handedToBaggage(
  e2e: E2E,
  threadId: string,
  card: { channel: string; ts: string },
): Promise<StoredMessage> {
  const department = HAND_OVER_INPUTS.department;
  await submitHandOver(e2e, PEOPLE.alice, card, {
    [department.blockId]: { [department.actionId]: "baggage" },
  });
  const moved = await eventually(
    () => e2e.double.messages(CHANNELS.baggage).find((m) => !m.threadTs),
    "the card in Baggage",
  );
  await eventually(async () => (await threadRow(e2e, threadId))?.slackTs === moved.ts, "its ts");
  return moved;
}

/** What the card left in Customer Service says once it links to Baggage's card `to`. */
export function linkToBaggage(e2e: E2E, to: { ts: string }): string {
  const permalink = `https://${e2e.double.config.teamDomain}.slack.com/archives/${CHANNELS.baggage}/p${to.ts.replace(".", "")}`;
  return `:arrow_right: Handed over from Customer Service to <${permalink}|Baggage>. Follow it there.`;
}
