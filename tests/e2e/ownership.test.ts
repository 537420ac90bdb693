import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { outbox, threadEvents, threads } from "../../src/db/schema.ts";
import {
  CARD_BLOCK_IDS,
  DISMISS_INPUTS,
  HAND_OVER_INPUTS,
  RESPONDED_INPUTS,
} from "../../src/slack/views/ids.ts";
import { REPLIED_PRIVATELY } from "../../src/slack/views/responded-modal.ts";
import { GENEROUS_RATE_LIMITS, type StoredMessage } from "../../src/slack-double/index.ts";
import { clickOnCard, sweepAt as sweepAfterT0 } from "../helpers/card-fixture.ts";
import {
  type E2E,
  type E2EOptions,
  eventually,
  type SlackTransport,
  startE2E,
  TRANSPORTS,
} from "../helpers/e2e-harness.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import {
  CHANNELS,
  complaintBody,
  PEOPLE,
  TEST_WORKSPACE_YAML,
} from "../helpers/workspace-fixture.ts";

let e2e: E2E;
/** The transport the current describe block runs over (set by describe.each). */
let transport: SlackTransport = "http";
afterEach(async () => {
  await e2e?.stop();
});

const CLAIMERS = Array.from({ length: 20 }, (_, i) => `U0CLAIM${String(i).padStart(2, "0")}`);
const T0 = "2026-11-24T10:00:00Z"; // a Tuesday, office hours in London

/** The bot against the double with a clock the test moves, and no timer job (sweeps by hand). */
async function start(options: E2EOptions = {}) {
  const clock = new FakeClock(T0);
  e2e = await startE2E({
    transport,
    clock,
    timers: false,
    double: {
      channels: [
        {
          id: CHANNELS.service,
          name: "sb-service",
          members: [PEOPLE.alice, PEOPLE.bob, ...CLAIMERS],
        },
        { id: CHANNELS.baggage, name: "sb-baggage", members: [PEOPLE.alice, PEOPLE.bob] },
        { id: CHANNELS.pr, name: "sb-pr", members: [PEOPLE.outsider] },
        { id: CHANNELS.exec, name: "sb-exec", members: [PEOPLE.lead, PEOPLE.admin] },
      ],
      users: [...Object.values(PEOPLE), ...CLAIMERS].map((id) => ({ id, name: id.toLowerCase() })),
      rateLimits: GENEROUS_RATE_LIMITS,
    },
    ...options,
  });
  return clock;
}

/** Files a complaint and waits for its card; returns the thread id and the card. */
async function cardFor(body = complaintBody(), channel: string = CHANNELS.service) {
  const { json } = await e2e.request("/api/v1/complaints", { body });
  const card = await eventually(
    () =>
      e2e.double.messages(channel).find((m) => !m.threadTs && m.text.includes(body.text as string)),
    "the card",
  );
  const threadId = json.threadId as string;
  // The card's ts is recorded just after Slack accepted it: wait, so no later read races it.
  await eventually(
    async () => (await threadRow(threadId))?.slackTs === card.ts,
    "the card's ts to be recorded",
  );
  return { threadId, card };
}

const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];
/**
 * What the double shows privately (ephemeral), as "<user>: <text and blocks>". A reply sent to
 * the whole channel instead lands in e2e.double.messages and is not here.
 */
const privateReplies = () =>
  e2e.double.ephemerals().map((m) => `${m.ephemeralTo}: ${m.text} ${JSON.stringify(m.blocks)}`);
/** The modal the button opened (it opens just after the click's ack). */
const openModal = (userId: string) =>
  eventually(
    () => [...e2e.double.views].reverse().find((v) => v.userId === userId && v.isOpen),
    `a modal for ${userId}`,
  );
const currentCard = (card: StoredMessage) =>
  e2e.double.messages(card.channel).find((m) => m.ts === card.ts);

/** Alice answers the customer privately (Responded), then sets the thread waiting on them. */
async function answerPrivatelyThenWait(card: StoredMessage, threadId: string) {
  await clickOnCard(e2e, PEOPLE.alice, card, "thread.responded");
  await e2e.driver.submitView({
    viewId: (await openModal(PEOPLE.alice)).id,
    userId: PEOPLE.alice,
    values: {
      [RESPONDED_INPUTS.private.blockId]: {
        [RESPONDED_INPUTS.private.actionId]: [REPLIED_PRIVATELY],
      },
    },
  });
  await eventually(
    () => JSON.stringify(currentCard(card)?.blocks).includes("thread.wait"),
    "the card to offer Waiting",
  );
  await clickOnCard(e2e, PEOPLE.alice, card, "thread.wait");
  await eventually(
    async () => (await threadRow(threadId))?.state === "waiting_on_customer",
    "waiting",
  );
}

/** The customer writes again in the conversation; resolves to the follow-up under the card. */
async function writeAgain(
  card: StoredMessage,
  followUp: { conversationId: string; externalId: string; text: string },
) {
  const { json } = await e2e.request("/api/v1/complaints", { body: complaintBody(followUp) });
  const reply = await eventually(
    () =>
      e2e.double
        .messages(CHANNELS.service)
        .find((m) => m.threadTs === card.ts && m.text.includes(followUp.text)),
    "the follow-up under the card",
  );
  return { threadId: json.threadId, reply };
}

describe.each(TRANSPORTS)("ownership from Slack over %s", (mode) => {
  beforeEach(() => {
    transport = mode;
  });

  it("gives the thread to one of 20 simultaneous Claim clicks and tells the others who owns it", async () => {
    await start();
    const { threadId, card } = await cardFor();
    const clicks = await Promise.all(
      CLAIMERS.map((u) => clickOnCard(e2e, u, card, "thread.claim")),
    );
    expect(clicks.every((c) => c.status === 200 && !c.late)).toBe(true);
    // The claim is written after the ack: wait for it rather than read at once.
    const owner = await eventually(
      async () => (await threadRow(threadId))?.owner,
      "the claim to be recorded",
    );
    expect(CLAIMERS).toContain(owner);
    const claims = await e2e.db.db
      .select()
      .from(threadEvents)
      .where(eq(threadEvents.threadId, threadId));
    expect(claims.filter((e) => e.kind === "thread.claim")).toHaveLength(1);
    const told = await eventually(() => {
      const r = privateReplies().filter((t) => t.includes(`<@${owner}> already owns this thread`));
      return r.length === 19 ? r : null;
    }, "19 private answers");
    // Each of the other 19 clickers, and only they, saw the note; the channel saw none of it.
    expect(told.map((t) => t.split(":")[0]).sort()).toEqual(
      CLAIMERS.filter((u) => u !== owner).sort(),
    );
    expect(e2e.double.messages(CHANNELS.service)).toEqual([
      expect.objectContaining({ ts: card.ts }),
    ]);
    await eventually(
      () => JSON.stringify(currentCard(card)?.blocks).includes(`<@${owner}>`),
      "the card to show the owner",
    );
  });

  it("refuses someone outside the department privately and changes nothing", async () => {
    await start();
    const { threadId, card } = await cardFor();
    const before = await threadRow(threadId);
    await clickOnCard(e2e, PEOPLE.outsider, card, "thread.claim");
    await eventually(
      () =>
        privateReplies().some(
          (t) =>
            t.startsWith(`${PEOPLE.outsider}:`) && t.includes("Only members of Customer Service"),
        ),
      "the refusal, shown to the outsider alone",
    );
    expect(e2e.double.messages(CHANNELS.service)).toHaveLength(1);
    expect(await threadRow(threadId)).toEqual(before);
  });

  it("keeps resolving someone else's thread to its owner, leads and admins", async () => {
    await start();
    const { threadId, card } = await cardFor();
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(
      async () => (await threadRow(threadId))?.owner === PEOPLE.alice,
      "alice's claim",
    );
    await clickOnCard(e2e, PEOPLE.bob, card, "thread.resolve");
    await eventually(
      () =>
        privateReplies().some(
          (t) =>
            t.startsWith(`${PEOPLE.bob}:`) && t.includes(`<@${PEOPLE.alice}> owns this thread`),
        ),
      "the refusal, shown to bob alone",
    );
    expect(e2e.double.messages(CHANNELS.service)).toHaveLength(1);
    expect((await threadRow(threadId))?.state).toBe("claimed");
    await clickOnCard(e2e, PEOPLE.admin, card, "thread.resolve");
    await eventually(
      async () => (await threadRow(threadId))?.state === "resolved",
      "the admin's resolve",
    );
  });

  it("dismisses with a required reason chosen in a modal", async () => {
    await start();
    const { threadId, card } = await cardFor();
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.dismiss");
    const modal = await openModal(PEOPLE.alice);
    const empty = await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      skipClientChecks: true,
    });
    expect(empty.json).toMatchObject({ response_action: "errors" });
    const done = await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: "spam" } },
    });
    expect(done.status).toBe(200);
    expect(await threadRow(threadId)).toMatchObject({ state: "dismissed", dismissReason: "spam" });
    await eventually(
      () => JSON.stringify(currentCard(card)?.blocks).includes("thread.reopen"),
      "the card to offer Reopen",
    );
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.reopen");
    await eventually(
      async () => (await threadRow(threadId))?.state === "open",
      "Reopen to open the thread again",
    );
    await eventually(
      () => JSON.stringify(currentCard(card)?.blocks).includes("thread.claim"),
      "the card to offer Claim again",
    );
    expect(JSON.stringify(currentCard(card)?.blocks)).not.toContain("thread.reopen");
  });

  it.each<{ button: string; values: Record<string, Record<string, unknown>> }>([
    {
      button: "thread.dismiss",
      values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: "spam" } },
    },
    {
      button: "thread.handover",
      values: {
        [HAND_OVER_INPUTS.department.blockId]: {
          [HAND_OVER_INPUTS.department.actionId]: "baggage",
        },
      },
    },
    {
      button: "thread.responded",
      values: {
        [RESPONDED_INPUTS.link.blockId]: {
          [RESPONDED_INPUTS.link.actionId]: "https://x.com/skyline/status/9",
        },
      },
    },
  ])(
    "explains inside the $button modal when the thread moved on while it was open",
    async ({ button, values }) => {
      await start();
      const { threadId, card } = await cardFor();
      await clickOnCard(e2e, PEOPLE.alice, card, button);
      const modal = await openModal(PEOPLE.alice);
      await clickOnCard(e2e, PEOPLE.admin, card, "thread.resolve");
      await eventually(async () => (await threadRow(threadId))?.state === "resolved", "resolved");
      const late = await e2e.driver.submitView({ viewId: modal.id, userId: PEOPLE.alice, values });
      // The double's verdict: the errors are keyed to an input of this modal and shown there.
      expect(late.outcome).toMatchObject({ action: "errors", problems: [] });
      expect(Object.values(late.outcome.errors ?? {}).join()).toMatch(/resolved/);
      expect(e2e.double.view(modal.id)?.isOpen).toBe(true);
      expect(await threadRow(threadId)).toMatchObject({ state: "resolved" });
    },
  );

  it("reopens a resolved thread when the customer writes again, under the same card", async () => {
    await start();
    const body = complaintBody({ conversationId: "conv-reopen", text: "still no refund" });
    const { threadId, card } = await cardFor(body);
    await clickOnCard(e2e, PEOPLE.admin, card, "thread.resolve");
    await eventually(
      () => JSON.stringify(currentCard(card)?.blocks).includes("thread.reopen"),
      "the resolved card",
    );
    const again = await writeAgain(card, {
      conversationId: "conv-reopen",
      externalId: "reopen-2",
      text: "hello?? anyone",
    });
    expect(again.threadId).toBe(threadId);
    expect((await threadRow(threadId))?.state).toBe("open");
    await eventually(
      () => JSON.stringify(currentCard(card)?.blocks).includes("thread.claim"),
      "the card to show the thread open again",
    );
  });

  /** Alice claims and resolves a conversation, then the customer writes to it again. */
  async function resolveThenWriteAgain(conversationId: string, beforeWriting?: () => void) {
    const body = complaintBody({ conversationId, text: "my refund never came" });
    const { threadId, card } = await cardFor(body);
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.resolve");
    await eventually(
      () => JSON.stringify(currentCard(card)?.blocks).includes("thread.reopen"),
      "the resolved card",
    );
    beforeWriting?.();
    const { reply } = await writeAgain(card, {
      conversationId,
      externalId: `${conversationId}-2`,
      text: "it still has not arrived",
    });
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.timeline");
    const timeline = await eventually(
      () => privateReplies().find((t) => t.startsWith(`${PEOPLE.alice}: Timeline`)),
      "the timeline",
    );
    return { threadId, card, reply, timeline };
  }

  it("reopens to its last owner when the customer writes again, and the follow-up mentions them", async () => {
    await start();
    const { threadId, card, reply, timeline } = await resolveThenWriteAgain("conv-keep-owner");
    // As a help desk keeps a reopened ticket's assignee: Alice is told, and it is hers.
    expect(reply.text).toBe(
      `<@${PEOPLE.alice}> Follow-up from @someone on twitter: it still has not arrived`,
    );
    expect(await threadRow(threadId)).toMatchObject({ state: "claimed", owner: PEOPLE.alice });
    const shown = await eventually(() => {
      const blocks = JSON.stringify(currentCard(card)?.blocks);
      return blocks.includes('"thread.claim"') ? null : blocks;
    }, "the card claimed by Alice again");
    expect(shown).toContain(`*Owner*\\n<@${PEOPLE.alice}>`);
    // Fresh windows for the reply and the resolution; nobody has to claim it.
    expect(shown).toContain("Next response due");
    expect(shown).toContain("Resolution due");
    expect(shown).not.toContain("Claim due");
    expect(timeline).toContain("reopened");
    expect(timeline).toContain(
      `back to <@${PEOPLE.alice}>, its owner before it was reopened (still in Customer Service)`,
    );
  });

  it("reopens unowned when the last owner has left the department, and says so", async () => {
    await start();
    const { threadId, card, reply, timeline } = await resolveThenWriteAgain("conv-owner-left", () =>
      e2e.double.removeMember(CHANNELS.service, PEOPLE.alice),
    );
    expect(reply.text).toBe("Follow-up from @someone on twitter: it still has not arrived");
    expect(await threadRow(threadId)).toMatchObject({ state: "open", owner: null });
    expect(JSON.stringify(currentCard(card)?.blocks)).toContain('"thread.claim"');
    expect(timeline).toContain(
      `left open: <@${PEOPLE.alice}>, its owner before, is no longer in Customer Service`,
    );
  });

  it("tells the owner, in the follow-up under the card, when the customer writes again", async () => {
    await start();
    const body = complaintBody({ conversationId: "conv-waiting", text: "where is my voucher" });
    const { threadId, card } = await cardFor(body);
    await answerPrivatelyThenWait(card, threadId);
    const { reply } = await writeAgain(card, {
      conversationId: "conv-waiting",
      externalId: "waiting-2",
      text: "got it, but it is the wrong amount",
    });
    // A mention in the text is what makes Slack notify Alice; the heading says why she is named.
    expect(reply.text).toBe(
      `<@${PEOPLE.alice}> Follow-up from @someone on twitter: got it, but it is the wrong amount`,
    );
    expect(JSON.stringify(reply.blocks)).toContain(`for <@${PEOPLE.alice}>`);
    expect(await threadRow(threadId)).toMatchObject({ state: "claimed", owner: PEOPLE.alice });
    // Her Timeline says it once, and what it changed.
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.timeline");
    const timeline = await eventually(
      () => privateReplies().find((t) => t.startsWith(`${PEOPLE.alice}: Timeline`)),
      "the timeline, to Alice alone",
    );
    expect(timeline.match(/the customer (wrote again|replied)/g)).toEqual([
      "the customer wrote again",
    ]);
    expect(timeline).toContain("no longer waiting on the customer");
  });

  it("hands over only to someone who could work the thread: a member, a lead or an admin", async () => {
    await start();
    const { threadId, card } = await cardFor();
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
    const modal = await openModal(PEOPLE.alice);
    const to = (user: string) => ({
      [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: user },
    });
    const refused = await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      values: to(PEOPLE.outsider),
    });
    // Shown in the form, beside the person picker; the form stays open and nothing changes.
    expect(refused.outcome).toMatchObject({ action: "errors", problems: [] });
    expect(refused.outcome.errors?.[HAND_OVER_INPUTS.person.blockId]).toBe(
      "The person you picked is not a member of Customer Service (its channel or user group), so could not work this thread: hand it to a member, or hand it to their department instead.",
    );
    expect(e2e.double.view(modal.id)?.isOpen).toBe(true);
    expect(await threadRow(threadId)).toMatchObject({ state: "open", owner: null });
    await e2e.driver.submitView({ viewId: modal.id, userId: PEOPLE.alice, values: to(PEOPLE.bob) });
    expect(await threadRow(threadId)).toMatchObject({ state: "claimed", owner: PEOPLE.bob });
  });

  it("refuses, in the form, a hand-over to someone deactivated in Slack", async () => {
    await start();
    const { threadId, card } = await cardFor();
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
    const modal = await openModal(PEOPLE.alice);
    e2e.double.deactivateUser(PEOPLE.bob);
    const refused = await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      values: {
        [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
      },
    });
    // Told at once, beside the picker, rather than the thread going to someone who never sees
    // it, with a DM Slack refuses (user_disabled) among the admins' failures.
    expect(refused.outcome).toMatchObject({ action: "errors", problems: [] });
    expect(refused.outcome.errors?.[HAND_OVER_INPUTS.person.blockId]).toBe(
      "The person you picked is deactivated in Slack and cannot work this thread: pick someone else.",
    );
    expect(e2e.double.view(modal.id)?.isOpen).toBe(true);
    expect(await threadRow(threadId)).toMatchObject({ state: "open", owner: null });
    expect(await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"))).toEqual([]);
  });

  it("tells the person a thread was handed to, by DM: who, why, the customer's words, what is due", async () => {
    await start();
    const { threadId, card } = await cardFor(complaintBody({ text: "refund lost in the post" }));
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
    const modal = await openModal(PEOPLE.alice);
    await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      values: {
        [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
        [HAND_OVER_INPUTS.note.blockId]: { [HAND_OVER_INPUTS.note.actionId]: "You know refunds" },
      },
    });
    const bobsDm = e2e.double.directMessage(PEOPLE.bob).id;
    const dm = await eventually(
      () => e2e.double.messages(bobsDm).find((m) => m.text.includes("handed you")),
      "the DM to Bob",
    );
    expect(dm.text).toBe(
      `<@${PEOPLE.alice}> handed you a P3 Customer Service complaint: refund lost in the post`,
    );
    const shown = JSON.stringify(dm.blocks);
    expect(shown).toContain(
      `<@${PEOPLE.alice}> handed you this *P3 Customer Service* complaint. Their note:\\n> You know refunds`,
    );
    expect(shown).toContain("The customer wrote:\\n> refund lost in the post");
    // What is now his to meet, in his own time (a Slack date token), and the card's buttons.
    expect(shown).toMatch(
      /First response due <!date\^\d+\^\{date_short_pretty\} \{time\}\|14:00 UTC> \(in 4 h\)/,
    );
    expect(shown).toContain(card.ts.replace(".", ""));
    expect(shown).toContain('"action_id":"thread.responded"');
    // Nobody else is told privately, and the channel sees only the card.
    expect(
      e2e.double.messages().filter((m) => m.channel.startsWith("D") && m.channel !== bobsDm),
    ).toEqual([]);
    expect(e2e.double.messages(CHANNELS.service)).toEqual([
      expect.objectContaining({ ts: card.ts }),
    ]);
  });

  it("refuses a form filled in for one desk once someone handed the thread to another meanwhile", async () => {
    await start();
    const { threadId, card } = await cardFor();
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
    const alices = await openModal(PEOPLE.alice);
    await clickOnCard(e2e, PEOPLE.bob, card, "thread.handover");
    const bobs = await openModal(PEOPLE.bob);
    await e2e.driver.submitView({
      viewId: bobs.id,
      userId: PEOPLE.bob,
      values: {
        [HAND_OVER_INPUTS.department.blockId]: {
          [HAND_OVER_INPUTS.department.actionId]: "baggage",
        },
      },
    });
    expect(await threadRow(threadId)).toMatchObject({ department: "baggage" });
    const stale = await e2e.driver.submitView({
      viewId: alices.id,
      userId: PEOPLE.alice,
      values: {
        [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
      },
    });
    expect(stale.outcome.errors?.[HAND_OVER_INPUTS.person.blockId]).toMatch(
      /^While this form was open, the thread was handed over to Baggage[^:]*: nothing was changed\. Close the form and see the card\.$/,
    );
    expect(await threadRow(threadId)).toMatchObject({ department: "baggage", owner: null });
  });

  it("turns a form into why not when its opener may not use it, and leaves others' forms be", async () => {
    await start();
    const { threadId, card } = await cardFor(complaintBody({ text: "refund still missing" }));
    const refusalOf = async (userId: string) => {
      const modal = await openModal(userId);
      return eventually(() => {
        const shown = e2e.double.view(modal.id);
        return shown?.callback_id === "thread.refused.modal" ? shown : undefined;
      }, `the refusal in ${userId}'s form`);
    };
    // Someone outside Customer Service: the form becomes the refusal, with only Close.
    await clickOnCard(e2e, PEOPLE.outsider, card, "thread.dismiss");
    const outsiders = await refusalOf(PEOPLE.outsider);
    expect(outsiders).toMatchObject({ isOpen: true, title: { text: "Dismiss thread" } });
    expect(outsiders.submit).toBeUndefined();
    expect(JSON.stringify(outsiders.blocks)).toContain(
      "Only members of Customer Service (its channel or user group), its leads and admins can act on this thread.",
    );
    // A member, once Alice owns the thread: only she, a lead or an admin may hand it over.
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await clickOnCard(e2e, PEOPLE.bob, card, "thread.handover");
    const bobs = await refusalOf(PEOPLE.bob);
    expect(JSON.stringify(bobs.blocks)).toContain(
      `<@${PEOPLE.alice}> owns this thread: only they, a lead of Customer Service or an admin can do that.`,
    );
    // The owner's own form stays a form, and works.
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.dismiss");
    const alices = await openModal(PEOPLE.alice);
    await e2e.driver.submitView({
      viewId: alices.id,
      userId: PEOPLE.alice,
      values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: "spam" } },
    });
    expect(await threadRow(threadId)).toMatchObject({ state: "dismissed", owner: PEOPLE.alice });
  });

  it("checks a form against the thread as it is once open: claimed by another meanwhile", async () => {
    let whileOpening: (() => Promise<unknown>) | null = null;
    await start({
      onSlackAnswer: async (method) => {
        if (method !== "views.open" || !whileOpening) return;
        const run = whileOpening;
        whileOpening = null;
        await run();
      },
    });
    const { threadId, card } = await cardFor(complaintBody({ text: "lounge access refused" }));
    // Bob's form is opening (Slack has it, the bot has not heard) when Alice claims the thread.
    whileOpening = async () => {
      await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
      await eventually(
        async () => (await threadRow(threadId))?.owner === PEOPLE.alice,
        "the claim",
      );
    };
    await clickOnCard(e2e, PEOPLE.bob, card, "thread.dismiss");
    const bobs = await openModal(PEOPLE.bob);
    const refused = await eventually(() => {
      const shown = e2e.double.view(bobs.id);
      return shown?.callback_id === "thread.refused.modal" ? shown : undefined;
    }, "the refusal in Bob's form");
    expect(JSON.stringify(refused.blocks)).toContain(`<@${PEOPLE.alice}> owns this thread`);
  });

  it("refuses a form once the thread was handed to another desk and back while it was open", async () => {
    await start();
    const { threadId, card } = await cardFor(complaintBody({ text: "rude agent at the desk" }));
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.dismiss");
    const alices = await openModal(PEOPLE.alice);
    const handOver = async (on: StoredMessage, to: string) => {
      await clickOnCard(e2e, PEOPLE.bob, on, "thread.handover");
      const form = await openModal(PEOPLE.bob);
      const values = {
        [HAND_OVER_INPUTS.department.blockId]: { [HAND_OVER_INPUTS.department.actionId]: to },
      };
      await e2e.driver.submitView({ viewId: form.id, userId: PEOPLE.bob, values });
    };
    await handOver(card, "baggage");
    const inBaggage = await eventually(
      () => e2e.double.messages(CHANNELS.baggage).find((m) => m.text.includes("rude agent")),
      "the card in #sb-baggage",
    );
    await eventually(
      async () => (await threadRow(threadId))?.slackTs === inBaggage.ts,
      "the new card's ts to be recorded",
    );
    await handOver(inBaggage, "service");
    await eventually(
      async () => (await threadRow(threadId))?.department === "service",
      "the thread back in service",
    );
    const stale = await e2e.driver.submitView({
      viewId: alices.id,
      userId: PEOPLE.alice,
      values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: "spam" } },
    });
    // Alice read the thread before two people moved it: her dismissal must not land unseen.
    expect(stale.outcome.errors?.[DISMISS_INPUTS.reason.blockId]).toBe(
      "While this form was open, the thread was handed over and back to Customer Service: nothing was changed. Close the form and see the card.",
    );
    expect(e2e.double.view(alices.id)?.isOpen).toBe(true);
    expect(await threadRow(threadId)).toMatchObject({ department: "service", state: "open" });
  });

  it("records a public reply link from the Responded modal, claiming the thread for the responder", async () => {
    await start();
    const { threadId, card } = await cardFor();
    await clickOnCard(e2e, PEOPLE.bob, card, "thread.responded");
    const modal = await openModal(PEOPLE.bob);
    const bad = await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.bob,
      values: {
        [RESPONDED_INPUTS.link.blockId]: { [RESPONDED_INPUTS.link.actionId]: "not a link" },
      },
    });
    expect(bad.json).toMatchObject({ response_action: "errors" });
    await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.bob,
      values: {
        [RESPONDED_INPUTS.link.blockId]: {
          [RESPONDED_INPUTS.link.actionId]: "https://x.com/skyline/status/5",
        },
      },
    });
    expect(await threadRow(threadId)).toMatchObject({
      state: "responded",
      owner: PEOPLE.bob,
      responseUrl: "https://x.com/skyline/status/5",
    });
  });

  it("hands over to another department: a new card there that says so, a link in the old channel", async () => {
    await start();
    const { threadId, card } = await cardFor(complaintBody({ text: "my bag strap broke" }));
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
    const modal = await openModal(PEOPLE.alice);
    await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      values: {
        [HAND_OVER_INPUTS.department.blockId]: {
          [HAND_OVER_INPUTS.department.actionId]: "baggage",
        },
        [HAND_OVER_INPUTS.note.blockId]: {
          [HAND_OVER_INPUTS.note.actionId]: "A broken strap is a baggage repair",
        },
      },
    });
    const moved = await eventually(
      () =>
        e2e.double.messages(CHANNELS.baggage).find((m) => m.text.includes("my bag strap broke")),
      "the card in #sb-baggage",
    );
    // slackTs is recorded after Slack accepted the post: wait for it.
    await eventually(
      async () => (await threadRow(threadId))?.slackTs === moved.ts,
      "the new card's ts to be recorded",
    );
    expect(await threadRow(threadId)).toMatchObject({
      department: "baggage",
      state: "open",
      slackTs: moved.ts,
    });
    // What #sb-baggage shows: where the card came from, who sent it and why, and where
    // routing had sent it (its reason is about that choice, not this one).
    const shown = e2e.double.messages(CHANNELS.baggage).find((m) => m.ts === moved.ts);
    const texts = (shown?.blocks ?? []).flatMap((b) => {
      const block = b as { block_id?: string; text?: { text: string }; elements?: unknown[] };
      if (block.block_id === CARD_BLOCK_IDS.handOver) return [block.text?.text ?? ""];
      if (block.block_id === CARD_BLOCK_IDS.context)
        return (block.elements as Array<{ text: string }>).map((e) => e.text);
      return [];
    });
    const [handOver = "", routed = ""] = texts;
    expect(handOver).toContain(
      `:arrow_right_hook: Handed over from *Customer Service* by <@${PEOPLE.alice}> · <!date^`,
    );
    expect(handOver).toMatch(/\n> A broken strap is a baggage repair$/);
    expect(routed).toMatch(/^\*Routed to Customer Service:\* /);
    await eventually(
      () => currentCard(card)?.text.includes("Handed over from Customer Service to"),
      "the link in the old channel",
    );
    expect(currentCard(card)?.text).toContain(moved.ts.replace(".", ""));
  });
});

describe("nudges and escalation through Slack", () => {
  beforeEach(() => {
    transport = "http";
  });

  const nudgesIn = (channel: string) =>
    e2e.double.messages(channel).filter((m) => m.text.includes("complaint"));
  const sweepAt = (clock: FakeClock, minutes: number) => sweepAfterT0(e2e, clock, minutes);
  const offersClaim = (m: StoredMessage) => JSON.stringify(m.blocks).includes('"thread.claim"');
  const contextOf = (m: StoredMessage) =>
    JSON.stringify(
      m.blocks?.find((b) => (b as { block_id?: string }).block_id === "nudge.context"),
    );

  it("warns in the thread at 50%, the channel at 80%, the leads at breach, the executives after", async () => {
    const clock = await start();
    const { card } = await cardFor(); // service, P3: claim within 1 h
    const sweepTo = (at: number) => sweepAt(clock, at);
    const replies = () =>
      e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs === card.ts);
    await sweepTo(29);
    await e2e.bot.worker.runOnce();
    expect(replies()).toHaveLength(0);
    await sweepTo(30);
    await eventually(() => replies().length === 1, "the 50% warning");
    expect(replies()[0]?.text).toMatch(/Claim .*due/);
    await sweepTo(48);
    await eventually(() => replies().length === 2, "the 80% warning");
    expect(replies()[1]?.text).toContain("<!here>");
    expect(replies()[1]?.replyBroadcast).toBe(true);
    await sweepTo(60);
    await eventually(() => replies().length === 3, "the breach notice");
    expect(replies()[2]?.text).toContain(`<@${PEOPLE.lead}>`);
    const dm = await eventually(
      () =>
        e2e.double.messages().find((m) => m.channel.startsWith("D") && m.text.includes("breached")),
      "the DM to the lead",
    );
    expect(dm).toBeDefined();
    expect(nudgesIn(CHANNELS.exec)).toHaveLength(0);
    await sweepTo(90);
    await eventually(() => nudgesIn(CHANNELS.exec).length === 1, "the escalation");
    expect(nudgesIn(CHANNELS.exec)[0]?.text).toContain("Escalation");
    // Slack has it before the outbox records it: moving the fake clock past the item's lease
    // in between would let the worker send it again, which is the test's doing, not the bot's.
    await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.channel, CHANNELS.exec));
      return rows.length > 0 && rows.every((r) => r.status === "delivered");
    }, "the escalation recorded as delivered");
    await sweepTo(95);
    await e2e.bot.worker.runOnce();
    expect(replies()).toHaveLength(3);
    expect(nudgesIn(CHANNELS.exec)).toHaveLength(1);
  });

  it("with no escalation section, escalates an hour after the breach in the department's channel, for its leads", async () => {
    // The test workspace as written, less its escalation section: the default ladder applies.
    const yaml = TEST_WORKSPACE_YAML.replace(/^escalation:\n(?: {2}.*\n)+/m, "");
    expect(yaml).not.toContain("executivesChannel");
    const clock = await start({ workspace: parseWorkspaceConfig(yaml, "no-escalation.yaml") });
    const { card } = await cardFor(); // service, P3: claim within 1 h
    const replies = () =>
      e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs === card.ts);
    for (const minutes of [30, 48, 60]) await sweepAt(clock, minutes);
    await eventually(() => replies().length === 3, "the warnings and the breach notice");
    await sweepAt(clock, 119);
    await e2e.bot.worker.runOnce();
    expect(replies()).toHaveLength(3);
    await sweepAt(clock, 120);
    const escalation = await eventually(
      () => replies().find((m) => m.text.includes("Escalation")),
      "the escalation",
    );
    // Under the card and in the channel itself, calling the service's lead by name.
    expect(escalation.replyBroadcast).toBe(true);
    expect(escalation.text).toMatch(
      new RegExp(
        `^<@${PEOPLE.lead}> Escalation: claim for this P3 Customer Service complaint is overdue by 1 h`,
      ),
    );
    expect(nudgesIn(CHANNELS.exec)).toHaveLength(0);
  });

  it("takes Claim off every posted warning once someone claims: in the thread, the lead's DM, the executives' channel", async () => {
    const clock = await start();
    const { card } = await cardFor(complaintBody({ text: "nobody has picked this up" }));
    const replies = () =>
      e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs === card.ts);
    const leadsDm = e2e.double.directMessage(PEOPLE.lead).id;
    const posted = () => [
      ...replies(),
      ...e2e.double.messages(leadsDm),
      ...nudgesIn(CHANNELS.exec),
    ];
    // 50% and 80% in the thread, the breach in the thread and to the lead, then the executives.
    for (const [minutes, count] of [
      [30, 1],
      [48, 2],
      [60, 4],
      [90, 5],
    ] as const) {
      await sweepAt(clock, minutes);
      await eventually(() => posted().length === count, `${count} nudges`);
    }
    const before = posted();
    expect(before.every(offersClaim)).toBe(true);
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    const after = await eventually(() => {
      const now = posted();
      return now.length === 5 && !now.some(offersClaim) ? now : null;
    }, "every nudge redrawn without Claim");
    for (const message of after) {
      // Each still says what it said, and now who owns the thread, with the way to its card.
      expect(message.text).toBe(before.find((m) => m.ts === message.ts)?.text);
      expect(contextOf(message)).toContain(`Owned by <@${PEOPLE.alice}>`);
      expect(contextOf(message)).toContain("Open the card");
      expect(JSON.stringify(message.blocks)).not.toContain('"type":"actions"');
    }
    // Redrawn, not posted again; the card shows the owner too.
    expect(replies()).toHaveLength(3);
    expect(JSON.stringify(currentCard(card)?.blocks)).toContain(`<@${PEOPLE.alice}>`);
  });

  it("says a thread was resolved, or handed to another desk, on warnings that offered Claim", async () => {
    const clock = await start();
    const first = await cardFor(complaintBody({ text: "first unclaimed one" }));
    const second = await cardFor(complaintBody({ text: "second unclaimed one" }));
    await sweepAt(clock, 30);
    const warningUnder = (card: StoredMessage) =>
      e2e.double.messages(CHANNELS.service).find((m) => m.threadTs === card.ts);
    await eventually(() => warningUnder(first.card) && warningUnder(second.card), "two warnings");
    await clickOnCard(e2e, PEOPLE.admin, first.card, "thread.resolve");
    await clickOnCard(e2e, PEOPLE.alice, second.card, "thread.handover");
    await e2e.driver.submitView({
      viewId: (await openModal(PEOPLE.alice)).id,
      userId: PEOPLE.alice,
      values: {
        [HAND_OVER_INPUTS.department.blockId]: {
          [HAND_OVER_INPUTS.department.actionId]: "baggage",
        },
      },
    });
    const resolved = await eventually(() => {
      const m = warningUnder(first.card);
      return m && !offersClaim(m) ? m : null;
    }, "the first warning redrawn");
    expect(contextOf(resolved)).toContain(":white_check_mark: Resolved");
    const moved = await eventually(() => {
      const m = warningUnder(second.card);
      return m && !offersClaim(m) ? m : null;
    }, "the second warning redrawn");
    expect(contextOf(moved)).toContain("Handed over to *Baggage*");
    // It still says which desk it warned, and links to the card the thread has now.
    expect(moved.text).toContain("P3 Customer Service complaint");
    const inBaggage = await eventually(
      () => e2e.double.messages(CHANNELS.baggage).find((m) => m.text.includes("second unclaimed")),
      "the card in #sb-baggage",
    );
    expect(contextOf(moved)).toContain(inBaggage.ts.replace(".", ""));
  });

  it("takes Claim off a warning that Slack accepted just as someone claimed the thread", async () => {
    let whilePosting: (() => Promise<unknown>) | null = null;
    let claimedMidFlight = false;
    const clock = await start({
      onSlackAnswer: async (method, answer) => {
        const reply = (answer.body as { message?: { thread_ts?: string } }).message?.thread_ts;
        if (method !== "chat.postMessage" || !reply || !whilePosting) return;
        const run = whilePosting;
        whilePosting = null;
        await run();
        claimedMidFlight = true;
      },
    });
    const { threadId, card } = await cardFor(complaintBody({ text: "claimed mid-flight" }));
    // Slack has the 50% warning, drawn unowned with Claim; the bot has not heard yet when
    // Alice's claim commits.
    whilePosting = async () => {
      await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
      await eventually(
        async () => (await threadRow(threadId))?.owner === PEOPLE.alice,
        "the claim",
      );
    };
    await sweepAt(clock, 30);
    const warning = () => e2e.double.messages(CHANNELS.service).find((m) => m.threadTs === card.ts);
    await eventually(() => claimedMidFlight, "the claim while Slack took the warning");
    expect(warning()).toBeDefined();
    const redrawn = await eventually(() => {
      const m = warning();
      return m && !offersClaim(m) ? m : null;
    }, "the warning redrawn without Claim");
    expect(contextOf(redrawn)).toContain(`Owned by <@${PEOPLE.alice}>`);
  });

  it("drops a claim warning still queued when the thread is claimed: nothing offers Claim", async () => {
    const clock = await start();
    const { threadId, card } = await cardFor(complaintBody({ text: "claimed while queued" }));
    await e2e.bot.worker.stop();
    clock.set(new Date(Date.parse(T0) + 30 * MINUTE));
    await e2e.bot.sweepTimers();
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    e2e.bot.worker.start();
    await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox);
      return (
        rows.some((r) => r.kind === "thread.nudge") && rows.every((r) => r.status === "delivered")
      );
    }, "the queue delivered");
    // The claim stopped the clock it warned about: it is not posted at all.
    expect(e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs === card.ts)).toEqual([]);
    expect(JSON.stringify(currentCard(card)?.blocks)).toContain(`<@${PEOPLE.alice}>`);
  });

  it("tells an office-hours desk on Friday evening how much of its hours is left, not only the weekend", async () => {
    const clock = await start();
    clock.set("2026-11-27T16:20:00Z"); // a Friday, 40 min before Baggage closes (London, GMT)
    const { card } = await cardFor(
      complaintBody({ text: "my suitcase never arrived" }),
      CHANNELS.baggage,
    );
    // P3: claim within 1 h of office hours: 40 min today, 20 min on Monday morning.
    expect(JSON.stringify(currentCard(card)?.blocks)).toContain(
      "09:20 Monday GMT> (in 2 days 17 h; 1 h of office hours left)",
    );
    clock.set("2026-11-27T16:50:00Z");
    await e2e.bot.sweepTimers();
    const warning = await eventually(
      () => e2e.double.messages(CHANNELS.baggage).find((m) => m.threadTs === card.ts),
      "the 50% warning",
    );
    expect(warning.text).toBe(
      "Claim for this P3 Baggage complaint is due 09:20 Monday GMT (in 2 days 16 h; 30 min of office hours left)",
    );
  });

  it("pauses every clock while waiting on the customer", async () => {
    const clock = await start();
    const { threadId, card } = await cardFor();
    await answerPrivatelyThenWait(card, threadId);
    clock.set("2026-11-30T10:00:00Z");
    await e2e.bot.sweepTimers();
    await e2e.bot.worker.runOnce();
    expect(
      e2e.double.messages().filter((m) => m.threadTs === card.ts || m.channel.startsWith("D")),
    ).toHaveLength(0);
  });

  it("sends each nudge once with two bots sweeping one database", async () => {
    const clock = await start();
    const replica = await e2e.startReplica({ timers: false });
    for (let i = 0; i < 5; i++) await cardFor(complaintBody({ text: `two bots ${i}` }));
    const sweepBothAt = async (minutes: number) => {
      // Nothing due may be in flight when the fake clock jumps past its lease.
      await eventually(async () => {
        const pending = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
        return pending.every((o) => o.nextAttemptAt > clock.now());
      }, "due deliveries recorded");
      clock.set(new Date(Date.parse(T0) + minutes * MINUTE));
      await Promise.all([
        e2e.bot.sweepTimers(),
        replica.sweepTimers(),
        e2e.bot.sweepTimers(),
        replica.sweepTimers(),
      ]);
    };
    // Per thread: the 50% and 80% warnings in the thread, then the breach and a DM to the lead.
    await sweepBothAt(49);
    await eventually(
      () => e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs).length === 10,
      "10 warnings",
    );
    await sweepBothAt(61);
    await eventually(
      () => e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs).length === 15,
      "15 thread replies",
    );
    await Promise.all([e2e.bot.worker.runOnce(), replica.worker.runOnce()]);
    expect(e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs)).toHaveLength(15);
    await eventually(
      () => e2e.double.messages().filter((m) => m.channel.startsWith("D")).length === 5,
      "5 DMs",
    );
  });

  it("fires timers that fell due while no bot ran, once, as soon as one starts, without stale warnings", async () => {
    const clock = await start();
    const { card } = await cardFor();
    clock.set(new Date(Date.parse(T0) + 61 * MINUTE)); // nothing swept: as if the bot were down
    const restarted = await e2e.startReplica({ timers: true });
    const replies = () =>
      e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs === card.ts);
    // The breach notice, once; not the warnings it overtook, which would say the same.
    await eventually(() => replies().length === 1, "the breach notice");
    expect(replies()[0]?.text).toContain(`<@${PEOPLE.lead}>`);
    await restarted.sweepTimers();
    await restarted.worker.runOnce();
    expect(replies()).toHaveLength(1);
  });
});

describe.each(TRANSPORTS)("/switchboard mine over %s", (mode) => {
  beforeEach(() => {
    transport = mode;
  });

  it("lists my open threads with what is due", async () => {
    await start();
    const { card } = await cardFor(complaintBody({ text: "mine please" }));
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    const res = await eventually(async () => {
      const r = await e2e.driver.slashCommand({
        command: "/switchboard",
        text: "mine",
        userId: PEOPLE.alice,
        channelId: CHANNELS.service,
      });
      return JSON.stringify(r.json).includes("mine please") ? r : null;
    }, "the list");
    expect(JSON.stringify(res.json)).toMatch(/due/i);
    const bob = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "mine",
      userId: PEOPLE.bob,
      channelId: CHANNELS.service,
    });
    expect(JSON.stringify(bob.json)).toContain("You own no open threads");
  });
});

describe("a late Claim", () => {
  beforeEach(() => {
    transport = "http";
  });

  it("tells the late clicker who owns the thread and since when, as a time Slack shows in their zone", async () => {
    const clock = await start();
    const { threadId, card } = await cardFor();
    // Slack holds the card's redraw back, so Bob's card still offers Claim.
    e2e.double.failNext("chat.update", { status: 429, retryAfter: 3600 });
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    // Bob comes back to the card 25 minutes later and clicks Claim.
    clock.set(new Date(Date.parse(T0) + 25 * MINUTE));
    await clickOnCard(e2e, PEOPLE.bob, card, "thread.claim");
    const told = await eventually(
      () => e2e.double.ephemerals().find((m) => m.ephemeralTo === PEOPLE.bob),
      "the private answer to Bob",
    );
    const claimedAt = Date.parse(T0) / 1000;
    expect(told.text).toBe(
      `<@${PEOPLE.alice}> already owns this thread (since <!date^${claimedAt}^{date_short_pretty} {time}|10:00 UTC>).`,
    );
  });
});
