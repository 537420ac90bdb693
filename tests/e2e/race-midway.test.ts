import { afterEach, expect, it } from "vitest";
import {
  encodeKindChoice,
  HAND_OVER_INPUTS,
  KIND_SELECT_ACTION_ID,
  RESPONDED_INPUTS,
} from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
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
import { PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * One action lands while another is halfway: after its plain read and its Slack lookup of who
 * the clicker is, before it takes the thread's lock. The bot's first replica has the
 * department's members cached; the second has not, so its lookup is the moment the test
 * holds while the first replica commits the other action.
 */
let race: RaceBench;
let e2e: E2E;
/** Run once, while Slack's answer to the next member lookup is held from the bot. */
let duringLookup: (() => Promise<unknown>) | null = null;
afterEach(async () => {
  duringLookup = null;
  await e2e?.stop();
});

async function start(options: Parameters<typeof startRace>[0] = {}) {
  race = await startRace({
    ...options,
    onSlackAnswer: async (method) => {
      if (method !== "conversations.members" || !duringLookup) return;
      const run = duringLookup;
      duringLookup = null;
      await run();
    },
  });
  e2e = race.e2e;
  // The first replica looks the department's members up once, and keeps them.
  const warm = await cardFor(e2e, "my seat was double booked");
  await claimedBy(e2e, PEOPLE.bob, warm.threadId, warm.card);
}

const pickKind = (userId: string, card: StoredMessage, threadId: string, kind: string) =>
  e2e.driver.selectOption({
    userId,
    channelId: card.channel,
    messageTs: card.ts,
    actionId: KIND_SELECT_ACTION_ID,
    value: encodeKindChoice(kind, threadId),
  });

it("refuses a Claim that reaches the thread just after it was taken off the desk as praise", async () => {
  await start({ workspace: kindsWorkspace(), double: KINDS_DOUBLE });
  const { threadId, card } = await cardFor(e2e, "refund lost in the post");
  duringLookup = async () => {
    await pickKind(PEOPLE.bob, card, threadId, "praise");
    await eventually(async () => (await threadRow(e2e, threadId))?.kind === "praise", "praise");
  };
  await click(race.other, PEOPLE.alice, card, "thread.claim");
  await eventually(() => privateNotes(e2e).length > 0, "Alice told why");
  await settled(race);
  expect(privateNotes(e2e)).toEqual([
    [PEOPLE.alice, expect.stringContaining("This post is marked praise and kept off the desk")],
  ]);
  const row = await threadRow(e2e, threadId);
  expect(row).toMatchObject({ kind: "praise", owner: null, state: "open" });
  expect(await eventsOf(e2e, threadId)).not.toContain("thread.claim");
  expect(await liveTimers(e2e, threadId)).toEqual([]);
  const shown = JSON.stringify(shownNow(e2e, card)?.blocks);
  expect(shown).toContain("Kept off the desk as praise");
  expect(shown).not.toContain(`<@${PEOPLE.alice}>`);
  expectNothingPostedTwice(e2e);
});

it("tells a Responded form that lost the thread to a Claim that it is someone else's", async () => {
  await start();
  const { threadId, card } = await cardFor(e2e, "refund lost in the post");
  const form = await openForm(e2e, PEOPLE.bob, card, "thread.responded");
  duringLookup = async () => {
    await click(e2e.driver, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(e2e, threadId))?.owner === PEOPLE.alice, "claim");
  };
  const responded = await race.other.submitView({
    viewId: form.id,
    userId: PEOPLE.bob,
    values: {
      [RESPONDED_INPUTS.link.blockId]: {
        [RESPONDED_INPUTS.link.actionId]: "https://x.com/skyline/status/9",
      },
    },
  });
  expect(responded.outcome).toMatchObject({ action: "errors", problems: [] });
  expect(Object.values(responded.outcome.errors ?? {})).toEqual([
    expect.stringMatching(/^Someone else owns this thread \(see the card\)/),
  ]);
  await settled(race);
  expect(await threadRow(e2e, threadId)).toMatchObject({ state: "claimed", owner: PEOPLE.alice });
  const events = await eventsOf(e2e, threadId);
  expect(events.filter((e) => e === "thread.claim")).toHaveLength(1);
  expect(events).not.toContain("thread.respond");
  expect(privateNotes(e2e)).toEqual([]);
  expect(JSON.stringify(shownNow(e2e, card)?.blocks)).toContain(`<@${PEOPLE.alice}>`);
  expectNothingPostedTwice(e2e);
});

// Both at once, each through its own replica: whichever wins, the claim and the answer go together.
it("Responded against Resolve on an unclaimed thread: one wins, no claim left behind", async () => {
  await start();
  const { threadId, card } = await cardFor(e2e, "refund lost in the post");
  const form = await openForm(e2e, PEOPLE.bob, card, "thread.responded");
  const [, responded] = await Promise.all([
    click(e2e.driver, PEOPLE.alice, card, "thread.resolve"),
    race.other.submitView({
      viewId: form.id,
      userId: PEOPLE.bob,
      values: {
        [RESPONDED_INPUTS.link.blockId]: {
          [RESPONDED_INPUTS.link.actionId]: "https://x.com/skyline/status/9",
        },
      },
    }),
  ]);
  const row = await eventually(async () => {
    const r = await threadRow(e2e, threadId);
    return r && r.state !== "open" ? r : undefined;
  }, "one outcome");
  await settled(race);
  const events = await eventsOf(e2e, threadId);
  if (row.state === "resolved" && responded.outcome.action === "errors") {
    expect(Object.values(responded.outcome.errors ?? {}).join()).toMatch(/resolved/);
    expect(events).not.toContain("thread.respond");
    expect(events).not.toContain("thread.claim");
    expect(await liveTimers(e2e, threadId)).toEqual([]);
    expect(privateNotes(e2e)).toEqual([]);
  } else {
    expect(responded.outcome.action).toBe("closed");
    expect(row).toMatchObject({ state: "responded", owner: PEOPLE.bob });
    expect(events.filter((e) => e === "thread.respond")).toHaveLength(1);
    expect(events).not.toContain("thread.resolve");
    await eventually(() => privateNotes(e2e).length === 1, "the losing click's note");
    expect(privateNotes(e2e)).toEqual([
      [PEOPLE.alice, expect.stringContaining(`<@${PEOPLE.bob}> owns this thread`)],
    ]);
  }
  expectNothingPostedTwice(e2e);
});

it("tells a Claim that reaches the thread just after it was handed to another desk where it went", async () => {
  await start();
  const { threadId, card } = await cardFor(e2e, "refund lost in the post");
  const form = await openForm(e2e, PEOPLE.lead, card, "thread.handover");
  duringLookup = async () => {
    await e2e.driver.submitView({
      viewId: form.id,
      userId: PEOPLE.lead,
      values: {
        [HAND_OVER_INPUTS.department.blockId]: {
          [HAND_OVER_INPUTS.department.actionId]: "baggage",
        },
      },
    });
    await eventually(
      async () => (await threadRow(e2e, threadId))?.department === "baggage",
      "the hand-over",
    );
  };
  await click(race.other, PEOPLE.bob, card, "thread.claim");
  await eventually(() => privateNotes(e2e).length > 0, "Bob told why");
  await settled(race);
  // Bob is a member of Baggage too: "only members of Baggage" would be untrue.
  expect(privateNotes(e2e)).toEqual([
    [
      PEOPLE.bob,
      "While your click was on its way, the thread was handed over to Baggage: nothing was changed. See its card there.",
    ],
  ]);
  expect(await threadRow(e2e, threadId)).toMatchObject({ department: "baggage", owner: null });
  expect(await eventsOf(e2e, threadId)).not.toContain("thread.claim");
  expectNothingPostedTwice(e2e);
});
