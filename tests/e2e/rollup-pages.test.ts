import { afterEach, describe, expect, it } from "vitest";
import { ROLLUP_PAGE_SIZE } from "../../src/domain/post-kinds.ts";
import { encodeKindChoice, KIND_SELECT_ACTION_ID } from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { KIND_CHANNELS, KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { postDailyRollup } from "../helpers/rollup-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/*
 * A roll-up's pages are counted when it is claimed; a post taken off the desk later, into its
 * period, makes one more to list. Every post must still be reachable from Slack, and each
 * page must say truly how many pages there are.
 */
let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});
const config = kindsWorkspace();

const triage = () =>
  e2e.double.messages(KIND_CHANNELS.triage).filter((m) => m.text.includes("roll-up"));
const shown = (m: StoredMessage | undefined) => JSON.stringify(m?.blocks ?? []);

async function file(text: string): Promise<string> {
  const { status, json } = await e2e.request("/api/v1/complaints", {
    body: complaintBody({ text }),
  });
  expect(status).toBe(202);
  return json.threadId as string;
}

describe("a roll-up that grows after it was posted", () => {
  it("posts another page for a post taken off the desk, and every page says how many there are", async () => {
    const clock = new FakeClock("2026-11-24T09:00:00Z");
    e2e = await startE2E({ workspace: config, clock, timers: false, double: KINDS_DOUBLE });
    // A full page of chatter, the oldest first, then a complaint that arrives last (newest).
    for (let i = 0; i < ROLLUP_PAGE_SIZE; i++) {
      await file(`RT @SkylineAir: chatter number ${i + 1}`);
      clock.advance(60_000);
    }
    const complaint = await file("lost bag at LHR, nobody helps");
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.baggage).find((m) => m.text.includes("lost bag at LHR")),
      "the complaint's card",
    );
    const first = await postDailyRollup(e2e, config, clock);
    expect(first.text).toBe(`Daily roll-up: ${ROLLUP_PAGE_SIZE} other posts`);
    expect(shown(first)).toContain('chatter number 1"'); // the oldest, last on the page

    // Someone takes the complaint off the desk: it joins the roll-up, as its newest post.
    await e2e.driver.selectOption({
      userId: PEOPLE.alice,
      channelId: card.channel,
      messageTs: card.ts,
      actionId: KIND_SELECT_ACTION_ID,
      value: encodeKindChoice("other", complaint),
    });
    const pages = await eventually(() => {
      const all = triage();
      return all.length === 2 && all.every((m) => m.text.includes(`${ROLLUP_PAGE_SIZE + 1}`))
        ? all
        : undefined;
    }, "the roll-up on two pages");
    const [one, two] = pages as [StoredMessage, StoredMessage];
    expect(one.ts).toBe(first.ts); // the first page redrawn in place
    expect(one.text).toBe(`Daily roll-up (1 of 2): ${ROLLUP_PAGE_SIZE + 1} other posts`);
    expect(two.text).toBe(`Daily roll-up (2 of 2): ${ROLLUP_PAGE_SIZE + 1} other posts`);
    expect(shown(one)).toContain("lost bag at LHR");
    // The post the newcomer pushed off the first page is on the second, with its picker.
    expect(shown(one)).not.toContain('chatter number 1"');
    expect(shown(two)).toContain('chatter number 1"');
    expect(shown(two)).toContain(KIND_SELECT_ACTION_ID);
    expect(shown(one) + shown(two)).not.toContain("not listed here");
  });

  it("says a later page is empty when posts left for the desk, rather than showing a bare header", async () => {
    const clock = new FakeClock("2026-11-24T09:00:00Z");
    e2e = await startE2E({ workspace: config, clock, timers: false, double: KINDS_DOUBLE });
    const ids: string[] = [];
    for (let i = 0; i < ROLLUP_PAGE_SIZE + 1; i++) {
      ids.push(await file(`RT @SkylineAir: chatter number ${i + 1}`));
      clock.advance(60_000);
    }
    const first = await postDailyRollup(e2e, config, clock);
    const second = await eventually(() => triage()[1], "the second page");
    expect(second.text).toBe(`Daily roll-up (2 of 2): ${ROLLUP_PAGE_SIZE + 1} other posts`);

    // The newest goes onto the desk: everything fits on the first page now.
    await e2e.driver.selectOption({
      userId: PEOPLE.alice,
      channelId: first.channel,
      messageTs: first.ts,
      actionId: KIND_SELECT_ACTION_ID,
      blockId: "rollup.item.0",
      value: encodeKindChoice("complaint", ids.at(-1) as string),
    });
    const emptied = await eventually(() => {
      const now = triage()[1];
      return now?.text.includes(`${ROLLUP_PAGE_SIZE} other posts`) ? now : undefined;
    }, "the second page redrawn");
    expect(shown(emptied)).not.toContain("chatter number");
    expect(shown(emptied)).toContain("Every post of this roll-up is on the page before");
    expect(shown(triage()[0])).toContain('chatter number 1"');
  });
});
