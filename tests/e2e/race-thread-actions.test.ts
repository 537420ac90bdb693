import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DISMISS_INPUTS, HAND_OVER_INPUTS } from "../../src/slack/views/ids.ts";
import type { SlackDriver } from "../../src/slack-double/index.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import {
  cardFor,
  claimedBy,
  click,
  eventsOf,
  expectNothingPostedTwice,
  liveTimers,
  openForm,
  privateNotes,
  type RaceBench,
  settled,
  shownNow,
  startRace,
  threadRow,
} from "../helpers/race-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * Different actions racing on one thread, each side through its own bot replica on one
 * database: one wins, the other is told privately why it changed nothing, and Slack, the
 * thread row, its timeline and its timers agree afterwards. Which side wins is up to the
 * race; each test checks whichever outcome it got.
 */
let race: RaceBench;
let e2e: E2E;
/** Slack delivering to the second replica. */
let other: SlackDriver;
// One bench for the file: each test works its own thread, and reads the notes since it began.
beforeAll(async () => {
  race = await startRace();
  ({ e2e, other } = race);
});
afterAll(async () => {
  await e2e?.stop();
});

describe("different actions on one thread at once, from two replicas", () => {
  it("Claim against Dismiss: one wins, the other is told why", async () => {
    const TEXT = "refund lost in the post, claim or dismiss";
    const since = e2e.double.ephemerals().length;
    const { threadId, card } = await cardFor(e2e, TEXT);
    const form = await openForm(e2e, PEOPLE.bob, card, "thread.dismiss");
    const [, dismissed] = await Promise.all([
      click(e2e.driver, PEOPLE.alice, card, "thread.claim"),
      other.submitView({
        viewId: form.id,
        userId: PEOPLE.bob,
        values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: "spam" } },
      }),
    ]);
    await eventually(
      async () =>
        (await eventsOf(e2e, threadId)).some((e) => e === "thread.claim") ||
        privateNotes(e2e, since).length > 0,
      "the claim decided",
    );
    await settled(race);
    const row = await threadRow(e2e, threadId);
    const events = await eventsOf(e2e, threadId);
    if (row?.state === "dismissed") {
      expect(dismissed.outcome.action).toBe("closed");
      expect(events.filter((e) => e.startsWith("thread.") && e !== "thread.opened")).toEqual([
        "thread.dismiss",
      ]);
      expect(privateNotes(e2e, since)).toEqual([
        [PEOPLE.alice, expect.stringMatching(/dismissed/i)],
      ]);
      expect(await liveTimers(e2e, threadId)).toEqual([]);
      await eventually(
        () => JSON.stringify(shownNow(e2e, card)?.blocks).includes("thread.reopen"),
        "the card offering Reopen",
      );
    } else {
      expect(row).toMatchObject({ state: "claimed", owner: PEOPLE.alice });
      expect(dismissed.outcome).toMatchObject({ action: "errors" });
      expect(Object.values(dismissed.outcome.errors ?? {}).join()).toMatch(/owns this thread/);
      expect(events.filter((e) => e === "thread.claim")).toHaveLength(1);
      expect(events).not.toContain("thread.dismiss");
      await eventually(
        () => JSON.stringify(shownNow(e2e, card)?.blocks).includes(`<@${PEOPLE.alice}>`),
        "the card showing alice",
      );
    }
    expectNothingPostedTwice(e2e);
  });

  it("Resolve from the card and from the hand-over DM: resolved once, the DM says so", async () => {
    const TEXT = "refund lost in the post, resolved twice";
    const since = e2e.double.ephemerals().length;
    const { threadId, card } = await cardFor(e2e, TEXT);
    const form = await openForm(e2e, PEOPLE.alice, card, "thread.handover");
    await e2e.driver.submitView({
      viewId: form.id,
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
    await settled(race);
    await Promise.all([
      click(e2e.driver, PEOPLE.bob, card, "thread.resolve"),
      click(other, PEOPLE.bob, dm, "thread.resolve"),
    ]);
    await eventually(
      async () => (await threadRow(e2e, threadId))?.state === "resolved",
      "resolved",
    );
    await eventually(() => privateNotes(e2e, since).length === 1, "the losing click's note");
    expect(privateNotes(e2e, since)).toEqual([[PEOPLE.bob, expect.stringMatching(/resolved/i)]]);
    await settled(race);
    expect((await eventsOf(e2e, threadId)).filter((e) => e === "thread.resolve")).toHaveLength(1);
    expect(await liveTimers(e2e, threadId)).toEqual([]);
    await eventually(
      () => JSON.stringify(shownNow(e2e, card)?.blocks).includes("thread.reopen"),
      "the card offering Reopen",
    );
    const dmNow = await eventually(() => {
      const now = shownNow(e2e, dm);
      return now && !now.text.includes("handed you") ? now : undefined;
    }, "the DM showing the resolved thread");
    expect(dmNow.blocks?.some((b) => (b as { type: string }).type === "actions")).toBe(false);
    expect(e2e.double.messages(bobsDm).filter((m) => m.text.includes(TEXT))).toHaveLength(1);
    expectNothingPostedTwice(e2e);
  });

  it("Resolve against Hand over to a department: one wins, nothing is half done", async () => {
    const TEXT = "refund lost in the post, resolve or move desk";
    const since = e2e.double.ephemerals().length;
    const { threadId, card } = await cardFor(e2e, TEXT);
    await claimedBy(e2e, PEOPLE.bob, threadId, card);
    const form = await openForm(e2e, PEOPLE.bob, card, "thread.handover");
    const [, handed] = await Promise.all([
      click(e2e.driver, PEOPLE.bob, card, "thread.resolve"),
      other.submitView({
        viewId: form.id,
        userId: PEOPLE.bob,
        values: {
          [HAND_OVER_INPUTS.department.blockId]: {
            [HAND_OVER_INPUTS.department.actionId]: "baggage",
          },
        },
      }),
    ]);
    const row = await eventually(async () => {
      const r = await threadRow(e2e, threadId);
      return r && (r.state === "resolved" || r.department === "baggage") ? r : undefined;
    }, "one outcome");
    await settled(race);
    const events = await eventsOf(e2e, threadId);
    if (row.state === "resolved") {
      expect(handed.outcome).toMatchObject({ action: "errors" });
      expect(Object.values(handed.outcome.errors ?? {}).join()).toMatch(/resolved/);
      expect(events).not.toContain("thread.hand_over_department");
      expect(events.filter((e) => e === "thread.resolve")).toHaveLength(1);
      expect(await liveTimers(e2e, threadId)).toEqual([]);
      expect(e2e.double.messages(CHANNELS.baggage).filter((m) => m.text.includes(TEXT))).toEqual(
        [],
      );
      expect(privateNotes(e2e, since)).toEqual([]);
    } else {
      expect(handed.outcome.action).toBe("closed");
      expect(events).not.toContain("thread.resolve");
      expect(row.state).toBe("open");
      await eventually(() => privateNotes(e2e, since).length === 1, "the losing click's note");
      expect(privateNotes(e2e, since)).toEqual([
        [PEOPLE.bob, expect.stringMatching(/handed over|Baggage/)],
      ]);
      await eventually(
        () =>
          e2e.double.messages(CHANNELS.baggage).filter((m) => !m.threadTs && m.text.includes(TEXT))
            .length === 1,
        "the card in Baggage",
      );
      expect((await liveTimers(e2e, threadId)).length).toBeGreaterThan(0);
    }
    expectNothingPostedTwice(e2e);
  });

  it("Resolve against Hand over to a person: one wins, one DM at most", async () => {
    const TEXT = "refund lost in the post, resolve or hand on";
    const since = e2e.double.ephemerals().length;
    const { threadId, card } = await cardFor(e2e, TEXT);
    await claimedBy(e2e, PEOPLE.bob, threadId, card);
    const form = await openForm(e2e, PEOPLE.bob, card, "thread.handover");
    const [, handed] = await Promise.all([
      click(e2e.driver, PEOPLE.bob, card, "thread.resolve"),
      other.submitView({
        viewId: form.id,
        userId: PEOPLE.bob,
        values: {
          [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.alice },
        },
      }),
    ]);
    const row = await eventually(async () => {
      const r = await threadRow(e2e, threadId);
      return r && (r.state === "resolved" || r.owner === PEOPLE.alice) ? r : undefined;
    }, "one outcome");
    await settled(race);
    const alicesDm = () =>
      e2e.double
        .messages()
        .filter(
          (m) => m.channel.startsWith("D") && m.text.includes("handed") && m.text.includes(TEXT),
        );
    if (row.state === "resolved") {
      expect(handed.outcome).toMatchObject({ action: "errors" });
      expect(Object.values(handed.outcome.errors ?? {}).join()).toMatch(/resolved/);
      expect(alicesDm()).toEqual([]);
      expect(await liveTimers(e2e, threadId)).toEqual([]);
      expect(privateNotes(e2e, since)).toEqual([]);
    } else {
      expect(handed.outcome.action).toBe("closed");
      await eventually(() => privateNotes(e2e, since).length === 1, "the losing click's note");
      expect(privateNotes(e2e, since)).toEqual([
        [PEOPLE.bob, expect.stringContaining(`<@${PEOPLE.alice}> owns this thread`)],
      ]);
      await eventually(() => alicesDm().length === 1, "the DM to Alice");
    }
    const events = await eventsOf(e2e, threadId);
    expect(
      events.filter((e) => e === "thread.resolve" || e === "thread.hand_over_person"),
    ).toHaveLength(1);
    expectNothingPostedTwice(e2e);
  });

  it("Reopen against the customer writing again: reopened once, one question to its owner", async () => {
    const since = e2e.double.ephemerals().length;
    const conversationId = "conv-race-reopen";
    const { threadId, card } = await cardFor(e2e, "my refund never came", { conversationId });
    await claimedBy(e2e, PEOPLE.bob, threadId, card);
    await click(e2e.driver, PEOPLE.bob, card, "thread.resolve");
    await eventually(
      () => JSON.stringify(shownNow(e2e, card)?.blocks).includes("thread.reopen"),
      "the resolved card",
    );
    await settled(race);
    const [, written] = await Promise.all([
      click(other, PEOPLE.alice, card, "thread.reopen"),
      e2e.request("/api/v1/complaints", {
        body: complaintBody({ conversationId, externalId: "race-2", text: "hello?? anyone" }),
      }),
    ]);
    expect(written.status).toBe(202);
    await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .some((m) => m.threadTs === card.ts && m.text.includes("hello?? anyone")),
      "the follow-up under the card",
    );
    await settled(race);
    const events = await eventsOf(e2e, threadId);
    const reopenings = events.filter(
      (e) => e === "thread.reopen" || e === "thread.customer_replied",
    );
    expect(reopenings.length).toBeGreaterThanOrEqual(1);
    const row = await threadRow(e2e, threadId);
    expect(row).toMatchObject({ state: "claimed", owner: PEOPLE.bob });
    expect(await liveTimers(e2e, threadId)).not.toEqual([]);
    // Whoever reopened it, Bob gets it back once: one DM at most, one follow-up reply.
    const bobsDms = e2e.double
      .messages()
      .filter((m) => m.channel.startsWith("D") && m.text.includes("my refund never came"));
    expect(bobsDms.length).toBeLessThanOrEqual(1);
    expect(
      e2e.double.messages(CHANNELS.service).filter((m) => m.text.includes("hello?? anyone")),
    ).toHaveLength(1);
    // Reopen lost to the customer's message: Alice hears why, the thread is not reopened twice.
    if (!events.includes("thread.reopen")) {
      await eventually(() => privateNotes(e2e, since).length === 1, "the losing click's note");
      expect(privateNotes(e2e, since)).toEqual([[PEOPLE.alice, expect.any(String)]]);
    }
    expectNothingPostedTwice(e2e);
  });
});
