import { eq } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { startAtT0, T0, threadRow } from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { type FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * Someone's Slack account is deactivated (they left) while they own a thread. Slack will not
 * open a DM with them: what was meant for them reaches their department instead, and no
 * delivery fails for it.
 */
let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

it("posts the owner's warning under the card for the department when the owner's account is deactivated", async () => {
  let clock: FakeClock;
  ({ e2e, clock } = await startAtT0());
  const body = complaintBody({ text: "my refund never arrived" }); // service, P3: respond in 4 h
  const { json } = await e2e.request("/api/v1/complaints", { body });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs),
    "the card",
  );
  await eventually(
    async () => (await threadRow(e2e, threadId))?.slackTs === card.ts,
    "the card's ts",
  );
  await e2e.driver.clickButton({
    userId: PEOPLE.alice,
    channelId: card.channel,
    messageTs: card.ts,
    actionId: "thread.claim",
  });
  await eventually(
    async () => (await threadRow(e2e, threadId))?.owner === PEOPLE.alice,
    "the claim",
  );
  await eventually(async () => {
    const pending = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
    return pending.length === 0;
  }, "the claim's redraw delivered");
  e2e.double.deactivateUser(PEOPLE.alice);
  // 80% of the first response window: meant as a DM to Alice, who is gone.
  clock.set(new Date(Date.parse(T0) + 192 * MINUTE));
  await e2e.bot.sweepTimers();
  const warning = await eventually(
    () =>
      e2e.double
        .messages(CHANNELS.service)
        .find((m) => m.threadTs === card.ts && m.text.startsWith("<!here> ")),
    "the warning under the card, for the department",
  );
  expect(warning.text).toContain("due");
  expect(warning.replyBroadcast).toBe(true);
  await eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox);
    return rows.every((o) => o.status === "delivered");
  }, "every delivery settled");
  const failed = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
  expect(failed).toEqual([]);
  expect(e2e.double.callsTo("conversations.open").at(-1)?.response?.error).toBe("user_disabled");
});
