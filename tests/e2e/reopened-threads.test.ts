import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { outbox, threads } from "../../src/db/schema.ts";
import { DISMISS_INPUTS, RESPONDED_INPUTS } from "../../src/slack/views/ids.ts";
import { REPLIED_PRIVATELY } from "../../src/slack/views/responded-modal.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { clickOnCard } from "../helpers/card-fixture.ts";
import { type E2E, type E2EOptions, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * Reopened threads: a customer writing to a resolved or dismissed conversation, or Reopen.
 * The workspace fixture's lead and admin sit in #sb-exec only, not in #sb-service.
 */
let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const T0 = "2026-11-24T10:00:00Z"; // a Tuesday

/** The bot with a clock the test moves and no timer job: the test sweeps by hand. */
async function start(options: E2EOptions = {}) {
  const clock = new FakeClock(T0);
  e2e = await startE2E({ clock, timers: false, ...options });
  return clock;
}

const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];
const currentCard = (card: StoredMessage) =>
  e2e.double.messages(card.channel).find((m) => m.ts === card.ts);
const cardShows = (card: StoredMessage, words: string) =>
  eventually(() => {
    const blocks = JSON.stringify(currentCard(card)?.blocks);
    return blocks.includes(words) ? blocks : null;
  }, `the card to show ${words}`);
/** What `userId` was shown privately, as text and blocks. */
const privateTo = (userId: string) =>
  e2e.double
    .ephemerals()
    .filter((m) => m.ephemeralTo === userId)
    .map((m) => `${m.text} ${JSON.stringify(m.blocks)}`);

/** Files a post in a conversation and waits for its card in #sb-service. */
async function cardFor(conversationId: string, text: string) {
  const { json } = await e2e.request("/api/v1/complaints", {
    body: complaintBody({ conversationId, text }),
  });
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs && m.text.includes(text)),
    "the card",
  );
  const threadId = json.threadId as string;
  await eventually(async () => (await threadRow(threadId))?.slackTs === card.ts, "the card's ts");
  return { threadId, card };
}

/** The customer writes again in the conversation; returns the follow-up under the card. */
async function writeAgain(card: StoredMessage, conversationId: string, text: string) {
  await e2e.request("/api/v1/complaints", {
    body: complaintBody({ conversationId, externalId: `${conversationId}-${text}`, text }),
  });
  return eventually(
    () =>
      e2e.double
        .messages(CHANNELS.service)
        .find((m) => m.threadTs === card.ts && m.text.includes(text)),
    "the follow-up under the card",
  );
}

/** `userId`'s Timeline of the thread, as they were shown it. */
async function timelineFor(userId: string, card: StoredMessage) {
  const before = privateTo(userId).length;
  await clickOnCard(e2e, userId, card, "thread.timeline");
  return eventually(
    () =>
      privateTo(userId)
        .slice(before)
        .find((t) => t.startsWith("Timeline")),
    "the timeline",
  );
}

describe("a reopened thread's last owner", () => {
  it.each([
    { who: "lead", user: PEOPLE.lead, why: "a lead of Customer Service" },
    { who: "admin", user: PEOPLE.admin, why: "an admin" },
  ])("gets it back as $who, without being in the department's channel", async ({ user, why }) => {
    await start();
    const { threadId, card } = await cardFor("conv-lead", "my refund never came");
    await clickOnCard(e2e, user, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === user, "the claim");
    await clickOnCard(e2e, user, card, "thread.resolve");
    await cardShows(card, "thread.reopen");
    const reply = await writeAgain(card, "conv-lead", "it still has not arrived");
    expect(reply.text).toBe(
      `<@${user}> Follow-up from @someone on twitter: it still has not arrived`,
    );
    const shown = await cardShows(card, `*Owner*\\n<@${user}>`);
    expect(shown).not.toContain('"thread.claim"');
    expect(await timelineFor(user, card)).toContain(
      `back to <@${user}>, its owner before it was reopened (${why})`,
    );
  });
});

describe("a customer writing to a closed thread", () => {
  it("leaves it to the department with the claim clock running again when its owner left", async () => {
    const clock = await start();
    const { threadId, card } = await cardFor("conv-left", "my refund never came");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.resolve");
    await cardShows(card, "thread.reopen");
    e2e.double.removeMember(CHANNELS.service, PEOPLE.alice);
    clock.advance(20 * MINUTE);
    await writeAgain(card, "conv-left", "it still has not arrived");
    // P3 claims within 1 h, counted from the reopening at 10:20.
    const shown = await cardShows(card, ":stopwatch: Claim due");
    expect(shown).toContain("(in 1 h)");
    expect(shown).toContain('"thread.claim"');
    await eventually(
      async () => (await timelineFor(PEOPLE.bob, card)).includes("left open"),
      "the answer about Alice",
    );
    expect(await timelineFor(PEOPLE.bob, card)).toContain(
      `left open: <@${PEOPLE.alice}>, its owner before, is no longer in Customer Service; claim due 11:20`,
    );
    // Halfway through the claim window, the department is asked to pick it up.
    clock.advance(31 * MINUTE);
    await e2e.bot.sweepTimers();
    const warning = await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find((m) => m.threadTs === card.ts && m.text.startsWith("Claim for this")),
      "the claim warning under the card",
    );
    expect(warning.text).toContain("due 11:20 UTC (in 29 min)");
  });

  it("gives a question back to its owner with a fresh first response due, as it runs no next response", async () => {
    await start({ workspace: kindsWorkspace(), double: KINDS_DOUBLE });
    const { threadId, card } = await cardFor("conv-question", "can I change my seat?");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.resolve");
    await cardShows(card, "thread.reopen");
    const reply = await writeAgain(card, "conv-question", "and my meal?");
    expect(reply.text).toContain(`<@${PEOPLE.alice}>`);
    // Alice has it again, and the card says what she owes the customer and by when.
    const shown = await cardShows(card, `*Owner*\\n<@${PEOPLE.alice}>`);
    expect(shown).toContain(":stopwatch: First response due");
    expect(shown).toContain("(in 4 h)");
    expect(shown).not.toContain("Claim due");
  });
});

describe("a customer writing to a question waiting on them", () => {
  it("gives its owner a fresh first response due, as a question runs no next response", async () => {
    const clock = await start({ workspace: kindsWorkspace(), double: KINDS_DOUBLE });
    const { threadId, card } = await cardFor("conv-question-wait", "can I change my seat?");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.responded");
    const form = await eventually(
      () => [...e2e.double.views].reverse().find((v) => v.userId === PEOPLE.alice && v.isOpen),
      "the Responded form",
    );
    await e2e.driver.submitView({
      viewId: form.id,
      userId: PEOPLE.alice,
      values: {
        [RESPONDED_INPUTS.private.blockId]: {
          [RESPONDED_INPUTS.private.actionId]: [REPLIED_PRIVATELY],
        },
      },
    });
    await cardShows(card, "thread.wait");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.wait");
    await eventually(
      async () => (await threadRow(threadId))?.state === "waiting_on_customer",
      "waiting",
    );
    clock.advance(30 * MINUTE);
    await writeAgain(card, "conv-question-wait", "which seats are free?");
    // Alice owes the customer an answer again, within the question's 4 h, counted from now.
    const shown = await cardShows(card, ":stopwatch: First response due");
    expect(shown).toContain(`*Owner*\\n<@${PEOPLE.alice}>`);
    expect(shown).toContain("(in 4 h)");
  });
});

describe("Reopen", () => {
  it("tells the last owner by DM when someone else reopens their thread and it is theirs again", async () => {
    await start();
    const { threadId, card } = await cardFor("conv-reopen-by-hand", "my refund never came");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.resolve");
    await cardShows(card, "thread.reopen");
    await clickOnCard(e2e, PEOPLE.bob, card, "thread.reopen");
    await cardShows(card, `*Owner*\\n<@${PEOPLE.alice}>`);
    // No follow-up under the card mentions her: the DM is how she learns it is hers.
    const alicesDm = e2e.double.directMessage(PEOPLE.alice).id;
    const dm = await eventually(
      () => e2e.double.messages(alicesDm).find((m) => m.text.includes("reopened")),
      "the DM to Alice",
    );
    expect(dm.text).toBe(
      `<@${PEOPLE.bob}> reopened your P3 Customer Service complaint: my refund never came`,
    );
    expect(JSON.stringify(dm.blocks)).toContain(
      `<@${PEOPLE.bob}> reopened this *P3 Customer Service* complaint: it is yours again, as its last owner`,
    );
    expect(JSON.stringify(dm.blocks)).toContain("Resolution due");
  });

  it("sends no DM when the owner reopens their own thread", async () => {
    await start();
    const { threadId, card } = await cardFor("conv-reopen-own", "my refund never came");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.resolve");
    await cardShows(card, "thread.reopen");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.reopen");
    await cardShows(card, `*Owner*\\n<@${PEOPLE.alice}>`);
    await eventually(
      async () => (await e2e.db.db.select().from(outbox)).every((o) => o.status === "delivered"),
      "every delivery to be done",
    );
    expect(e2e.double.messages(e2e.double.directMessage(PEOPLE.alice).id)).toEqual([]);
  });
});

describe("a customer writing to a dismissed thread", () => {
  /** Alice claims the conversation's thread and dismisses it for `reason`. */
  async function dismissed(conversationId: string, reason: string) {
    const { threadId, card } = await cardFor(conversationId, "WIN A FREE CRUISE click here");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.dismiss");
    const modal = await eventually(
      () => [...e2e.double.views].reverse().find((v) => v.userId === PEOPLE.alice && v.isOpen),
      "the Dismiss form",
    );
    await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: reason } },
    });
    await cardShows(card, "thread.reopen");
    return { threadId, card };
  }

  it("keeps it dismissed as spam: the post is shown under the card, nobody is mentioned", async () => {
    await start();
    const { threadId, card } = await dismissed("conv-spam", "spam");
    const reply = await writeAgain(card, "conv-spam", "LAST CHANCE free cruise");
    expect(reply.text).toBe("Follow-up from @someone on twitter: LAST CHANCE free cruise");
    expect(JSON.stringify(reply.blocks)).toContain("_dismissed as spam: not reopened_");
    expect(await threadRow(threadId)).toMatchObject({ state: "dismissed", owner: PEOPLE.alice });
    const shown = await cardShows(card, "*Follow-ups*\\n1");
    expect(shown).toContain('"thread.reopen"');
    expect(shown).not.toContain("due");
    expect(await timelineFor(PEOPLE.alice, card)).toContain(
      "not reopened: it was dismissed as spam",
    );
  });

  it("reopens one dismissed for another reason, back to its owner", async () => {
    await start();
    const { threadId, card } = await dismissed("conv-not-spam", "no_response_needed");
    const reply = await writeAgain(card, "conv-not-spam", "actually I do need help");
    expect(reply.text).toBe(
      `<@${PEOPLE.alice}> Follow-up from @someone on twitter: actually I do need help`,
    );
    expect(await threadRow(threadId)).toMatchObject({ state: "claimed", owner: PEOPLE.alice });
  });
});
