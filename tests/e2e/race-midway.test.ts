import { afterEach, expect, it } from "vitest";
import { encodeKindChoice, KIND_SELECT_ACTION_ID } from "../../src/slack/views/ids.ts";
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
