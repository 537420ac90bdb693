import { WebClient } from "@slack/web-api";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { channelHolds } from "../../src/db/schema.ts";
import { systemClock } from "../../src/services/context.ts";
import { HeldMethodsClient, MethodHeldError } from "../../src/slack/held-methods-client.ts";
import { type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";
import { quietLogger } from "../helpers/quiet-logger.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";

/*
 * Four replicas' outbox clients on one PostgreSQL, calling a tiered method of the Slack double
 * at once: after Slack's first 429 for the method, neither calls it again before Retry-After.
 */

const TOKEN = "xoxb-held-methods";
const CHANNEL = "C0SUPPORT";
let db: TestDatabase;
let double: SlackDouble;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());
beforeEach(async () => {
  await db.db.delete(channelHolds);
  double = await startSlackDouble({
    botToken: TOKEN,
    channels: [{ id: CHANNEL, name: "support" }],
    rateLimits: { perMethodPerMinute: { "chat.update": 1 } },
  });
});
afterEach(() => double.stop());

const options = () => ({
  slackApiUrl: double.apiUrl,
  retryConfig: { retries: 0 },
  rejectRateLimitedCalls: true,
  logger: quietLogger,
});
const replica = () => new HeldMethodsClient(TOKEN, options(), { db, clock: systemClock });

async function aMessage(): Promise<string> {
  const posted = await new WebClient(TOKEN, options()).chat.postMessage({
    channel: CHANNEL,
    text: "a card",
  });
  return posted.ts ?? "";
}

describe("the outbox's client for Slack's tiered methods", () => {
  it("lets no replica call a method again once Slack refused it, until Retry-After", async () => {
    const ts = await aMessage();
    const replicas = [replica(), replica(), replica(), replica()];
    const outcomes = await Promise.allSettled(
      [0, 1].flatMap((i) =>
        replicas.map((client) => client.chat.update({ channel: CHANNEL, ts, text: `edit ${i}` })),
      ),
    );
    const calls = double.callsTo("chat.update");
    // One call within the limit, one refused, and no third: the others saw the hold.
    expect(calls.map((c) => c.status)).toEqual([200, 429]);
    const refused = calls[1]?.retryAfterS ?? 0;
    expect(refused).toBeGreaterThan(0);
    const reasons = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
    expect(reasons).toHaveLength(7);
    expect(reasons.filter((r) => r instanceof MethodHeldError)).toHaveLength(6);
    for (const held of reasons.filter((r) => r instanceof MethodHeldError)) {
      expect(held).toMatchObject({ name: "MethodHeldError", slackMethod: "chat.update" });
      expect(held.message).toBe(`chat.update is held after a 429 for ${held.retryAfter} s`);
      expect(held.retryAfter).toBeGreaterThan(0);
      expect(held.retryAfter).toBeLessThanOrEqual(refused);
    }
    const [hold] = await db.db
      .select()
      .from(channelHolds)
      .where(eq(channelHolds.channel, "method:chat.update"));
    // As long as Slack said, not a second.
    expect(hold?.until.getTime()).toBeGreaterThan(Date.now() + (refused - 2) * 1000);
  });

  it("holds nothing after an error that is not a 429", async () => {
    const client = replica();
    await expect(
      client.chat.update({ channel: CHANNEL, ts: "1.000001", text: "no such message" }),
    ).rejects.toMatchObject({ data: { error: "message_not_found" } });
    expect(await db.db.select().from(channelHolds)).toEqual([]);
  });

  it("leaves chat.postMessage to the channel holds", async () => {
    const client = replica();
    await db.db
      .insert(channelHolds)
      .values({ channel: "method:chat.postMessage", until: new Date(Date.now() + 60_000) });
    await client.chat.postMessage({ channel: CHANNEL, text: "still posted" });
    expect(double.messages(CHANNEL).map((m) => m.text)).toEqual(["still posted"]);
  });
});
