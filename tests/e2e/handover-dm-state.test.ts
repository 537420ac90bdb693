import { eq } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { threads } from "../../src/db/schema.ts";
import { HAND_OVER_INPUTS } from "../../src/slack/views/ids.ts";
import { GENEROUS_RATE_LIMITS, type StoredMessage } from "../../src/slack-double/index.ts";
import { clickOnCard } from "../helpers/card-fixture.ts";
import { type E2E, type E2EOptions, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const T0 = "2026-11-24T10:00:00Z"; // a Tuesday, office hours in London

async function start(options: Pick<E2EOptions, "onSlackAnswer"> = {}) {
  e2e = await startE2E({
    clock: new FakeClock(T0),
    timers: false,
    ...options,
    double: {
      channels: [
        {
          id: CHANNELS.service,
          name: "sb-service",
          members: [PEOPLE.alice, PEOPLE.bob, PEOPLE.admin],
        },
        { id: CHANNELS.exec, name: "sb-exec", members: [PEOPLE.lead, PEOPLE.admin] },
      ],
      users: Object.values(PEOPLE).map((id) => ({ id, name: id.toLowerCase() })),
      rateLimits: GENEROUS_RATE_LIMITS,
    },
  });
}

const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];
/** The message as the double shows it now. */
const shownNow = (message: StoredMessage) =>
  e2e.double.messages(message.channel).find((m) => m.ts === message.ts);

/** Files a complaint, Alice hands it to Bob; returns the thread, its card and Bob's DM. */
async function handedToBob() {
  const body = complaintBody({ text: "refund lost in the post" });
  const { json } = await e2e.request("/api/v1/complaints", { body });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs),
    "the card",
  );
  await eventually(async () => (await threadRow(threadId))?.slackTs === card.ts, "the card's ts");
  await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
  const modal = await eventually(
    () => e2e.double.views.find((v) => v.userId === PEOPLE.alice && v.isOpen),
    "the hand-over form",
  );
  await e2e.driver.submitView({
    viewId: modal.id,
    userId: PEOPLE.alice,
    values: {
      [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
    },
  });
  const bobsDm = e2e.double.directMessage(PEOPLE.bob).id;
  const dm = await eventually(
    () => e2e.double.messages(bobsDm).find((m) => m.text.includes("handed you")),
    "the DM to Bob",
  );
  return { threadId, card, dm };
}

it("replaces a hand-over DM clicked after the thread was resolved from the card with its resolved state, without buttons", async () => {
  await start();
  const { threadId, card, dm } = await handedToBob();
  expect(JSON.stringify(dm.blocks)).toContain('"action_id":"thread.resolve"');
  await clickOnCard(e2e, PEOPLE.bob, card, "thread.resolve");
  await eventually(async () => (await threadRow(threadId))?.state === "resolved", "resolved");

  await clickOnCard(e2e, PEOPLE.bob, dm, "thread.resolve");
  const replaced = await eventually(() => {
    const now = shownNow(dm);
    return now && !now.text.includes("handed you") ? now : undefined;
  }, "Bob's DM to show the resolved thread");
  const shown = JSON.stringify(replaced.blocks);
  expect(replaced.text).toBe("P3 Customer Service, now resolved: refund lost in the post");
  expect(shown).toMatch(
    new RegExp(
      `Now: :white_check_mark: \\*Resolved\\* · owner <@${PEOPLE.bob}> · <!date\\^\\d+\\^[^|]+\\|2026-11-24T10:00:00Z>`,
    ),
  );
  expect(shown).toContain("The customer wrote:\\n> refund lost in the post");
  expect(shown).toContain("Open the card");
  expect(replaced.blocks?.some((b) => (b as { type: string }).type === "actions")).toBe(false);
  // Still told privately why the click did nothing.
  expect(e2e.double.ephemerals().map((m) => [m.ephemeralTo, m.text])).toEqual([
    [PEOPLE.bob, expect.stringMatching(/resolved/i)],
  ]);
});

it("replaces a hand-over DM with the resolved state once its reader resolves from it, and leaves it be while the thread is theirs", async () => {
  await start();
  const { threadId, dm } = await handedToBob();
  // Still his: the form opens and the DM keeps its buttons.
  await clickOnCard(e2e, PEOPLE.bob, dm, "thread.handover");
  await eventually(
    () => e2e.double.views.find((v) => v.userId === PEOPLE.bob && v.isOpen),
    "Bob's hand-over form",
  );
  expect(shownNow(dm)?.blocks).toEqual(dm.blocks);

  await clickOnCard(e2e, PEOPLE.bob, dm, "thread.resolve");
  const replaced = await eventually(() => {
    const now = shownNow(dm);
    return now && !now.text.includes("handed you") ? now : undefined;
  }, "Bob's DM to show the resolved thread");
  expect((await threadRow(threadId))?.state).toBe("resolved");
  expect(JSON.stringify(replaced.blocks)).toContain(`*Resolved* · owner <@${PEOPLE.bob}>`);
  expect(replaced.blocks?.some((b) => (b as { type: string }).type === "actions")).toBe(false);
  expect(e2e.double.ephemerals()).toEqual([]);
});

it("redraws a hand-over DM when the thread is resolved from the card, without its reader clicking", async () => {
  await start();
  const { threadId, card, dm } = await handedToBob();
  await clickOnCard(e2e, PEOPLE.bob, card, "thread.resolve");
  const redrawn = await eventually(() => {
    const now = shownNow(dm);
    return now && !now.text.includes("handed you") ? now : undefined;
  }, "Bob's DM to show the resolved thread");
  expect((await threadRow(threadId))?.state).toBe("resolved");
  expect(redrawn.text).toBe("P3 Customer Service, now resolved: refund lost in the post");
  expect(JSON.stringify(redrawn.blocks)).toContain(
    `Now: :white_check_mark: *Resolved* · owner <@${PEOPLE.bob}>`,
  );
  expect(redrawn.blocks?.some((b) => (b as { type: string }).type === "actions")).toBe(false);
  // Nothing was said to anyone privately: the DM itself says it.
  expect(e2e.double.ephemerals()).toEqual([]);
});

it("redraws a hand-over DM once its reader hands the thread on, and leaves the new owner's DM live", async () => {
  await start();
  const { card, dm } = await handedToBob();
  await clickOnCard(e2e, PEOPLE.bob, card, "thread.handover");
  const modal = await eventually(
    () => e2e.double.views.find((v) => v.userId === PEOPLE.bob && v.isOpen),
    "Bob's hand-over form",
  );
  await e2e.driver.submitView({
    viewId: modal.id,
    userId: PEOPLE.bob,
    values: {
      [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.alice },
    },
  });
  const redrawn = await eventually(() => {
    const now = shownNow(dm);
    return now && !now.text.includes("handed you") ? now : undefined;
  }, "Bob's DM to show the thread handed on");
  expect(JSON.stringify(redrawn.blocks)).toContain(
    `Now: :raising_hand: *Claimed* by <@${PEOPLE.alice}> · handed over by <@${PEOPLE.bob}>`,
  );
  expect(redrawn.blocks?.some((b) => (b as { type: string }).type === "actions")).toBe(false);
  const alicesDm = await eventually(
    () =>
      e2e.double
        .messages(e2e.double.directMessage(PEOPLE.alice).id)
        .find((m) => m.text.includes("handed you")),
    "the DM to Alice",
  );
  expect(JSON.stringify(alicesDm.blocks)).toContain('"action_id":"thread.resolve"');
});

it("redraws a hand-over DM when the thread was resolved while Slack was taking the DM", async () => {
  let whilePosting: (() => Promise<unknown>) | null = null;
  await start({
    onSlackAnswer: async (method, answer) => {
      const channel = (answer.body as { channel?: string }).channel;
      if (method !== "chat.postMessage" || !whilePosting) return;
      if (channel !== e2e.double.directMessage(PEOPLE.bob).id) return;
      const run = whilePosting;
      whilePosting = null;
      await run();
    },
  });
  const body = complaintBody({ text: "resolved mid-flight" });
  const { json } = await e2e.request("/api/v1/complaints", { body });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs),
    "the card",
  );
  await eventually(async () => (await threadRow(threadId))?.slackTs === card.ts, "the card's ts");
  await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
  await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
  // Slack has the DM to Bob, drawn with its buttons; the bot has not heard where it landed
  // when the admin resolves the thread from the card.
  let resolvedMidFlight = false;
  whilePosting = async () => {
    await clickOnCard(e2e, PEOPLE.admin, card, "thread.resolve");
    await eventually(async () => (await threadRow(threadId))?.state === "resolved", "resolved");
    resolvedMidFlight = true;
  };
  await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
  const modal = await eventually(
    () => e2e.double.views.find((v) => v.userId === PEOPLE.alice && v.isOpen),
    "the hand-over form",
  );
  await e2e.driver.submitView({
    viewId: modal.id,
    userId: PEOPLE.alice,
    values: {
      [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
    },
  });
  await eventually(() => resolvedMidFlight, "the resolve while Slack took the DM");
  const dms = () => e2e.double.messages(e2e.double.directMessage(PEOPLE.bob).id);
  const redrawn = await eventually(() => {
    const dm = dms()[0];
    return dm && !dm.text.includes("handed you") ? dm : undefined;
  }, "Bob's DM to show the resolved thread");
  expect(dms()).toHaveLength(1);
  expect(redrawn.text).toBe("P3 Customer Service, now resolved: resolved mid-flight");
  expect(JSON.stringify(redrawn.blocks)).toContain("*Resolved*");
  expect(redrawn.blocks?.some((b) => (b as { type: string }).type === "actions")).toBe(false);
});

it("names who resolved a handed-over thread, when not its owner, in the owner's DM and on the card alike", async () => {
  await start();
  const { threadId, card, dm } = await handedToBob();
  await clickOnCard(e2e, PEOPLE.admin, card, "thread.resolve");
  await eventually(async () => (await threadRow(threadId))?.state === "resolved", "resolved");
  const resolvedBy = `:white_check_mark: *Resolved* by <@${PEOPLE.admin}> · owner <@${PEOPLE.bob}>`;
  const redrawn = await eventually(() => {
    const now = shownNow(dm);
    return now && !now.text.includes("handed you") ? now : undefined;
  }, "Bob's DM to show the resolved thread");
  expect(JSON.stringify(redrawn.blocks)).toContain(`Now: ${resolvedBy}`);
  const cardNow = await eventually(() => {
    const now = shownNow(card);
    return now && JSON.stringify(now.blocks).includes("*Resolved*") ? now : undefined;
  }, "the card to show the resolved thread");
  expect(JSON.stringify(cardNow.blocks)).toContain(`"text":"${resolvedBy}"`);
});
