import { eq } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { HAND_OVER_INPUTS } from "../../src/slack/views/ids.ts";
import {
  startAtT0,
  statusShown,
  submitHandOver,
  sweepAt,
  T0,
  threadRow,
} from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { type FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * Someone's Slack account is deactivated (they left) while they own a thread, or lead its
 * department. Slack will not open a DM with them: what was meant for them reaches their
 * department instead, and no delivery fails for it.
 */
let e2e: E2E;
let clock: FakeClock;
afterEach(async () => {
  await e2e?.stop();
});

/** Files a complaint for Customer Service and waits for its card and its recorded ts. */
async function postedCard(text: string) {
  const { json } = await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs && m.text.includes(text)),
    "the card",
  );
  await eventually(async () => (await threadRow(e2e, threadId))?.slackTs === card.ts, "its ts");
  return { threadId, card };
}

/** Alice claims the thread from its card, and its redraw is delivered. */
async function aliceClaims(threadId: string, card: { channel: string; ts: string }) {
  await e2e.driver.clickButton({
    userId: PEOPLE.alice,
    channelId: card.channel,
    messageTs: card.ts,
    actionId: "thread.claim",
  });
  await eventually(async () => (await threadRow(e2e, threadId))?.owner === PEOPLE.alice, "claim");
  await settled();
}

/** Waits until every delivery is settled, and returns those that failed. */
async function settled() {
  await eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox);
    return rows.every((o) => o.status !== "pending");
  }, "every delivery settled");
  return e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
}

/** The messages under the card that start with `<!here>`: meant for the whole department. */
const forDepartment = (card: { ts: string }) =>
  e2e.double
    .messages(CHANNELS.service)
    .filter((m) => m.threadTs === card.ts && m.text.startsWith("<!here> "));

it("posts the owner's warning under the card for the department when the owner's account is deactivated", async () => {
  ({ e2e, clock } = await startAtT0());
  const { threadId, card } = await postedCard("my refund never arrived"); // P3: respond in 4 h
  await aliceClaims(threadId, card);
  e2e.double.deactivateUser(PEOPLE.alice);
  // 80% of the first response window: meant as a DM to Alice, who is gone.
  clock.set(new Date(Date.parse(T0) + 192 * MINUTE));
  await e2e.bot.sweepTimers();
  const [warning] = await eventually(
    () => (forDepartment(card).length > 0 ? forDepartment(card) : null),
    "the warning under the card, for the department",
  );
  expect(warning?.text).toContain("due");
  expect(warning?.replyBroadcast).toBe(true);
  expect(await settled()).toEqual([]);
  expect(e2e.double.callsTo("conversations.open").at(-1)?.response?.error).toBe("user_disabled");
  // An owner who left is the department's to handle, not a fault in the Slack setup.
  expect(await statusShown(e2e)).toContain("*Slack setup:* no problems seen.");
});

it("tells the department under the card when the person a thread was handed to is deactivated", async () => {
  ({ e2e, clock } = await startAtT0());
  const { threadId, card } = await postedCard("my refund is two weeks late");
  await aliceClaims(threadId, card);
  // Bob leaves; when Alice hands him the thread, Slack does not answer whether he is active.
  e2e.double.deactivateUser(PEOPLE.bob);
  e2e.double.failNext("users.info", { error: "internal_error" });
  await submitHandOver(e2e, PEOPLE.alice, card, {
    [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
  });
  await eventually(async () => (await threadRow(e2e, threadId))?.owner === PEOPLE.bob, "Bob's");
  const [note] = await eventually(
    () => (forDepartment(card).length > 0 ? forDepartment(card) : null),
    "the note under the card, for the department",
  );
  expect(note?.text).toBe(
    `<!here> This thread was handed to <@${PEOPLE.bob}>, whose Slack account is deactivated: it needs a new owner.`,
  );
  expect(note?.replyBroadcast).toBe(true);
  expect(await settled()).toEqual([]);
  expect(e2e.double.callsTo("conversations.open").at(-1)?.response?.error).toBe("user_disabled");
});

it("drops a deactivated lead's breach DM: the breach notice under the card still names the lead", async () => {
  ({ e2e, clock } = await startAtT0());
  const { card } = await postedCard("nobody has claimed my refund");
  e2e.double.deactivateUser(PEOPLE.lead);
  await sweepAt(e2e, clock, 30);
  await sweepAt(e2e, clock, 60);
  const breach = await eventually(
    () =>
      e2e.double
        .messages(CHANNELS.service)
        .find((m) => m.threadTs === card.ts && m.text.includes("breached")),
    "the breach notice under the card",
  );
  expect(breach.text).toContain(`<@${PEOPLE.lead}>`);
  expect(await settled()).toEqual([]);
  const opens = e2e.double.callsTo("conversations.open");
  expect(opens.map((c) => [c.args.users, c.response?.error])).toEqual([
    [PEOPLE.lead, "user_disabled"],
  ]);
  // Admins see it under "Slack setup", with the workspace-file key naming the leads.
  expect(await statusShown(e2e)).toContain(
    `<@${PEOPLE.lead}>'s Slack account is deactivated* (affects Customer Service (lead)), since `,
  );
  expect(await statusShown(e2e)).toContain(
    "Fix: change `departments[0].leads` in the workspace file.",
  );
});

it("shows admins a lead handed a thread after their account was deactivated, with the key to change", async () => {
  ({ e2e, clock } = await startAtT0());
  const { threadId, card } = await postedCard("my refund went missing");
  await aliceClaims(threadId, card);
  e2e.double.deactivateUser(PEOPLE.lead);
  e2e.double.failNext("users.info", { error: "internal_error" });
  await submitHandOver(e2e, PEOPLE.alice, card, {
    [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.lead },
  });
  await eventually(() => forDepartment(card).length > 0, "the note under the card");
  expect(await settled()).toEqual([]);
  expect(await statusShown(e2e)).toContain(
    `<@${PEOPLE.lead}>'s Slack account is deactivated* (affects Customer Service (lead)), since `,
  );
});
