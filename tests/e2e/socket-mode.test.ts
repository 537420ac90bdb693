import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { threads } from "../../src/db/schema.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * The bot in Socket Mode (SLACK_APP_TOKEN set): what Slack does to connections. The ownership
 * flow itself runs over both transports in ownership.test.ts.
 */
let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

async function card(text: string) {
  const { json } = await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
  const posted = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => m.text.includes(text)),
    "the card",
  );
  return { threadId: json.threadId as string, card: posted };
}

const ownerOf = async (threadId: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, threadId)))[0]?.owner;

describe("Socket Mode", () => {
  it("connects with the app token and reconnects when Slack asks, losing no click", async () => {
    e2e = await startE2E({ transport: "socket" });
    expect(e2e.double.socketMode.connections).toBe(1);
    expect(e2e.double.callsTo("apps.connections.open")[0]?.token).toBe(e2e.double.config.appToken);
    const { threadId, card: posted } = await card("reconnect and claim");
    e2e.double.socketMode.disconnect("warning");
    // The bot's client closes at once and opens a new connection a few seconds later.
    await eventually(
      () => e2e.double.socketMode.opened === 2 && e2e.double.socketMode.connections === 1,
      "the bot to reconnect",
    );
    const click = await e2e.driver.clickButton({
      userId: PEOPLE.alice,
      channelId: posted.channel,
      messageTs: posted.ts,
      actionId: "thread.claim",
    });
    expect(click).toMatchObject({ status: 200, late: false });
    await eventually(async () => (await ownerOf(threadId)) === PEOPLE.alice, "the claim");
  });

  it("acks every click with two replicas connected (Slack sends each envelope to one of them)", async () => {
    e2e = await startE2E({ transport: "socket" });
    await e2e.startReplica();
    expect(e2e.double.socketMode.connections).toBe(2);
    const cards = await Promise.all(["one", "two", "three", "four"].map((t) => card(`both ${t}`)));
    const clicks = await Promise.all(
      cards.map(({ card: c }) =>
        e2e.driver.clickButton({
          userId: PEOPLE.bob,
          channelId: c.channel,
          messageTs: c.ts,
          actionId: "thread.claim",
        }),
      ),
    );
    expect(clicks.map((c) => [c.status, c.late])).toEqual(Array(4).fill([200, false]));
    for (const { threadId } of cards) {
      await eventually(async () => (await ownerOf(threadId)) === PEOPLE.bob, "each claim");
    }
  });
});
