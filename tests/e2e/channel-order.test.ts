import { afterEach, describe, expect, it } from "vitest";
import type { CallRecord } from "../../src/slack-double/index.ts";
import type { RunningSwitchboard } from "../../src/switchboard.ts";
import { type E2E, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { CHANNELS, complaintBody } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

/**
 * The bots and the double share one fake clock, and the workers run only when the test
 * says, so "a second later" is exact however busy the machine is: the test delivers
 * everything due, then moves time on.
 */
async function startRateLimited(clock: FakeClock) {
  e2e = await startE2E({
    clock,
    timers: false,
    double: {
      now: () => clock.now().getTime(),
      // Slack's chat.postMessage limit: about one a second per channel, with short bursts.
      rateLimits: { postMessagePerChannel: { burst: 3, perSecond: 1 } },
    },
  });
  await e2e.bot.worker.stop();
  return e2e;
}

/** Runs the workers together until nothing is due, then moves the clock on, until `done`. */
async function drain(
  clock: FakeClock,
  bots: RunningSwitchboard[],
  done: () => boolean,
  stepMs = 250,
) {
  for (let round = 0; round < 2_000 && !done(); round += 1) {
    const handled = await Promise.all(bots.map((b) => b.worker.runOnce()));
    if (handled.every((n) => n === 0)) clock.advance(stepMs);
  }
  expect(done()).toBe(true);
}

/** Every call to a channel that came while a 429 for that channel was still in force. */
function callsInsideRetryAfter(calls: CallRecord[]) {
  const heldUntil = new Map<string, number>();
  const early: CallRecord[] = [];
  for (const call of calls) {
    const channel = String(call.args.channel);
    if (call.at < (heldUntil.get(channel) ?? 0)) early.push(call);
    // At one post a second the double's Retry-After is always its minimum, 1 s.
    if (call.status === 429) heldUntil.set(channel, call.at + 1_000);
  }
  return early;
}

const orderOf = (e: E2E) =>
  e.double.messages(CHANNELS.service).map((m) => Number(/#(\d+)#/.exec(m.text)?.[1]));

describe("one channel under Slack's rate limit", () => {
  it("posts 50 cards to one channel in the order they came, waiting out each 429", async () => {
    const clock = new FakeClock("2026-12-01T10:00:00Z");
    await startRateLimited(clock);
    for (let i = 0; i < 50; i += 1) {
      const res = await e2e.request("/api/v1/complaints", {
        body: complaintBody({ text: `in order #${i}#` }),
      });
      expect(res.status).toBe(202);
    }
    await drain(clock, [e2e.bot], () => e2e.double.messages(CHANNELS.service).length >= 50);
    expect(orderOf(e2e)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const posts = e2e.double.callsTo("chat.postMessage");
    expect(posts.some((c) => c.status === 429)).toBe(true);
    expect(callsInsideRetryAfter(posts)).toEqual([]);
  });

  it("keeps the order when complaints keep arriving in bursts while the channel is held", async () => {
    const clock = new FakeClock("2026-12-01T10:00:00Z");
    await startRateLimited(clock);
    let sent = 0;
    const burst = async (n: number) => {
      for (let i = 0; i < n; i += 1, sent += 1)
        await e2e.request("/api/v1/complaints", {
          body: complaintBody({ text: `burst #${sent}#` }),
        });
    };
    await burst(30);
    await e2e.bot.worker.runOnce(); // posts the burst Slack allows, then meets a 429
    await e2e.bot.worker.runOnce(); // the channel is held: nothing goes
    await burst(20); // more arrive while it is held
    clock.advance(1_000);
    await e2e.bot.worker.runOnce();
    await burst(10);
    await drain(clock, [e2e.bot], () => e2e.double.messages(CHANNELS.service).length >= 60);
    expect(orderOf(e2e)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it("holds a rate-limited channel on every replica: no post to it before Retry-After", async () => {
    const clock = new FakeClock("2026-12-01T10:00:00Z");
    await startRateLimited(clock);
    const replica = await e2e.startReplica({ timers: false });
    await replica.worker.stop();
    for (let i = 0; i < 30; i += 1)
      await e2e.request("/api/v1/complaints", { body: complaintBody({ text: `two bots #${i}#` }) });
    await drain(
      clock,
      [e2e.bot, replica],
      () => e2e.double.messages(CHANNELS.service).length >= 30,
    );
    const posts = e2e.double.callsTo("chat.postMessage");
    expect(posts.some((c) => c.status === 429)).toBe(true);
    expect(callsInsideRetryAfter(posts)).toEqual([]);
    expect(posts.filter((c) => c.status === 200)).toHaveLength(30);
    expect(orderOf(e2e)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});
