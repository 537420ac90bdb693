import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { threads } from "../../src/db/schema.ts";
import { startAtT0 } from "../helpers/card-fixture.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { KIND_CHANNELS, KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { postDailyRollup } from "../helpers/rollup-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];
const shown = (m: { text: string; blocks: unknown[] } | undefined) =>
  `${m?.text ?? ""} ${JSON.stringify(m?.blocks ?? [])}`;

/** A reply in conversation `root` reaches intake first; its card is posted; returns both. */
async function replyFirst(root: string) {
  const reply = complaintBody({
    externalId: `${root}-reply`,
    conversationId: root,
    text: "still nothing, three days now??",
  });
  const { json } = await e2e.request("/api/v1/complaints", { body: reply });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs),
    "the card of the reply",
  );
  expect(shown(card)).toContain("still nothing, three days now??");
  await eventually(async () => (await threadRow(threadId))?.slackTs === card.ts, "the card's ts");
  return { threadId, card };
}

/**
 * What the channel ends up showing: the card drawn from the first post, and under it, once,
 * the reply the card showed before (never the first post again).
 */
async function expectFirstPostOnCard(card: { ts: string }) {
  await eventually(
    () =>
      shown(e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts)).includes(
        "the strap of my suitcase came off",
      ),
    "the card redrawn with the first post",
  );
  const replies = () => e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs === card.ts);
  await eventually(() => replies().length > 0, "the reply under the card");
  await e2e.bot.worker.runOnce();
  const under = replies();
  expect(under).toHaveLength(1);
  expect(shown(under[0])).toContain("still nothing, three days now??");
  expect(shown(under[0])).not.toContain("the strap of my suitcase");
}

const firstPost = (root: string) =>
  complaintBody({
    externalId: root,
    conversationId: root,
    text: "the strap of my suitcase came off on the belt at LHR",
  });

describe("a conversation's first post arriving after a reply in it", () => {
  it("takes the card's place, and the reply that was there goes under it", async () => {
    e2e = await startE2E();
    const { threadId, card } = await replyFirst("conv-late-1");
    const { status, json } = await e2e.request("/api/v1/complaints", {
      body: firstPost("conv-late-1"),
    });
    expect(status).toBe(202);
    expect(json).toMatchObject({ threadId, duplicate: false });
    // What the channel shows: the card now says what the customer said first...
    await eventually(
      () =>
        shown(e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts)).includes(
          "the strap of my suitcase came off",
        ),
      "the card redrawn with the first post",
    );
    // ...and the reply it showed before is under it, once; the first post is not repeated there.
    const replies = await eventually(() => {
      const under = e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs === card.ts);
      return under.length > 0 ? under : undefined;
    }, "the reply under the card");
    await e2e.bot.worker.runOnce();
    const under = e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs === card.ts);
    expect(under).toHaveLength(1);
    expect(shown(replies[0])).toContain("still nothing, three days now??");
    expect(shown(under[0])).not.toContain("the strap of my suitcase");
    const cardNow = e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts);
    expect(shown(cardNow)).not.toContain("still nothing, three days now??");
    // The department stays the thread's: people may have started on it.
    expect(await threadRow(threadId)).toMatchObject({ department: "service", state: "open" });
  });

  it("knows the first post without a conversation id: its id is the conversation's", async () => {
    // A listening tool may send the post that started a conversation with no conversation id
    // (it is not a reply); the thread the reply opened is keyed by that post's id.
    e2e = await startE2E();
    const { threadId, card } = await replyFirst("conv-late-4");
    const first = complaintBody({
      externalId: "conv-late-4",
      text: "the strap of my suitcase came off on the belt at LHR",
    });
    expect(first).not.toHaveProperty("conversationId");
    const { json } = await e2e.request("/api/v1/complaints", { body: first });
    expect(json).toMatchObject({ threadId, duplicate: false });
    await expectFirstPostOnCard(card);
  });

  it("redraws a card that was on its way when the first post arrived, and puts the reply under it", async () => {
    // The card of the reply is being posted (Slack has it, the bot has not heard yet) when
    // the conversation's first post is filed: the card went out drawn from the reply.
    let during: (() => Promise<unknown>) | null = () =>
      e2e.request("/api/v1/complaints", { body: firstPost("conv-late-5") });
    e2e = await startE2E({
      onSlackAnswer: async (method, answer) => {
        if (method !== "chat.postMessage" || !during) return;
        if ((answer.body as { ok?: boolean }).ok !== true) return;
        const run = during;
        during = null;
        await run();
      },
    });
    const reply = complaintBody({
      externalId: "conv-late-5-reply",
      conversationId: "conv-late-5",
      text: "still nothing, three days now??",
    });
    const { json } = await e2e.request("/api/v1/complaints", { body: reply });
    const threadId = json.threadId as string;
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs),
      "the card",
    );
    await eventually(async () => (await threadRow(threadId))?.slackTs === card.ts, "the card's ts");
    await expectFirstPostOnCard(card);
  });

  it("shows the first post in the App Home lists that showed the reply", async () => {
    e2e = await startE2E();
    await replyFirst("conv-late-6");
    const home = () =>
      JSON.stringify(
        e2e.double.views.find((v) => v.type === "home" && v.userId === PEOPLE.alice)?.blocks ?? [],
      );
    await e2e.driver.appHomeOpened({ userId: PEOPLE.alice });
    await eventually(() => home().includes("still nothing, three days now"), "the Home");
    await e2e.request("/api/v1/complaints", { body: firstPost("conv-late-6") });
    await eventually(
      () => home().includes("the strap of my suitcase came off"),
      "the Home with the first post",
    );
    expect(home()).not.toContain("still nothing, three days now");
  });

  it("redraws a roll-up that listed the reply as its thread's opening post", async () => {
    const config = kindsWorkspace();
    const started = await startAtT0({ workspace: config, double: KINDS_DOUBLE });
    e2e = started.e2e;
    const clock = started.clock;
    const reply = complaintBody({
      externalId: "conv-late-7-reply",
      conversationId: "conv-late-7",
      text: "RT it has been down since this morning",
    });
    const { json } = await e2e.request("/api/v1/complaints", { body: reply });
    expect(json.kind).toBe("other");
    const rollup = await postDailyRollup(e2e, config, clock);
    expect(shown(rollup)).toContain("down since this morning");
    await e2e.request("/api/v1/complaints", {
      body: complaintBody({
        externalId: "conv-late-7",
        conversationId: "conv-late-7",
        text: "RT @SkylineAir: our app is down for maintenance",
      }),
    });
    e2e.bot.worker.kick();
    await eventually(
      () =>
        shown(e2e.double.messages(KIND_CHANNELS.triage).find((m) => m.ts === rollup.ts)).includes(
          "our app is down for maintenance",
        ),
      "the roll-up redrawn with the first post",
    );
  });

  it("posts the first post as the card when both arrive while Slack is down", async () => {
    e2e = await startE2E();
    e2e.double.setOutage(503);
    const reply = complaintBody({
      externalId: "conv-late-3-reply",
      conversationId: "conv-late-3",
      text: "still nothing, three days now??",
    });
    await e2e.request("/api/v1/complaints", { body: reply });
    await e2e.request("/api/v1/complaints", { body: firstPost("conv-late-3") });
    e2e.double.setOutage(null);
    // A retry may read the thread just before the first post is filed and post the reply's
    // card once Slack is back; the delivery then redraws it. Wait for what people end up seeing.
    const messages = await eventually(() => {
      const m = e2e.double.messages(CHANNELS.service);
      const settled = m.length === 2 && shown(m[0]).includes("the strap of my suitcase came off");
      return settled ? m : undefined;
    }, "a card showing the first post, and a reply");
    const [card, under] = messages;
    expect(card?.threadTs).toBeUndefined();
    expect(shown(card)).toContain("the strap of my suitcase came off");
    expect(under?.threadTs).toBe(card?.ts);
    expect(shown(under)).toContain("still nothing, three days now??");
    await e2e.bot.worker.runOnce();
    expect(e2e.double.messages(CHANNELS.service)).toHaveLength(2);
  });

  it("leaves a resolved thread resolved: the customer did not write again", async () => {
    e2e = await startE2E();
    const { threadId, card } = await replyFirst("conv-late-2");
    for (const actionId of ["thread.claim", "thread.resolve"]) {
      await e2e.driver.clickButton({
        userId: PEOPLE.alice,
        channelId: card.channel,
        messageTs: card.ts,
        actionId,
      });
      await eventually(
        async () =>
          (await threadRow(threadId))?.state ===
          (actionId === "thread.claim" ? "claimed" : "resolved"),
        actionId,
      );
    }
    await e2e.request("/api/v1/complaints", { body: firstPost("conv-late-2") });
    await eventually(
      () =>
        shown(e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts)).includes(
          "the strap of my suitcase came off",
        ),
      "the card redrawn with the first post",
    );
    expect(await threadRow(threadId)).toMatchObject({ state: "resolved" });
    await e2e.driver.clickButton({
      userId: PEOPLE.alice,
      channelId: card.channel,
      messageTs: card.ts,
      actionId: "thread.timeline",
    });
    const timeline = await eventually(
      () =>
        e2e.double.responses.map((r) => JSON.stringify(r.body)).find((b) => b.includes("Timeline")),
      "the timeline",
    );
    expect(timeline).toContain("the post the conversation started with arrived");
    expect(timeline).not.toContain("the customer wrote again");
  });
});
