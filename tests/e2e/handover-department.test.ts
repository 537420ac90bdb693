import { afterEach, expect, it } from "vitest";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import {
  dueDelivered,
  handedToBaggage,
  linkToBaggage,
  startAtT0,
  sweepAt,
  threadRow,
} from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * A thread handed to another department (not a person): that department gets a card of its
 * own, showing what is due, and a fresh claim clock whose warnings are its own, in its hours.
 */
let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

/** The replies under a card (warnings, follow-ups), oldest first. */
const repliesUnder = (card: StoredMessage) =>
  e2e.double.messages(card.channel).filter((m) => m.threadTs === card.ts);

/** The text of the card's block `blockId`, as its readers see it. */
const blockText = (card: StoredMessage, blockId: string) =>
  (card.blocks as Array<{ block_id?: string; text?: { text?: string } }>).find(
    (b) => b.block_id === blockId,
  )?.text?.text;

it("hands an unclaimed thread to another department: a new card with what is due, a fresh claim clock and its own warnings", async () => {
  const started = await startAtT0(); // Tuesday 10:00
  e2e = started.e2e;
  const { clock } = started;
  const { json } = await e2e.request("/api/v1/complaints", {
    body: complaintBody({ text: "my refund and my broken strap" }), // service, P3: claim in 1 h
  });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs),
    "the card in Customer Service",
  );
  await eventually(async () => (await threadRow(e2e, threadId))?.slackTs === card.ts, "its ts");
  // 10:30: nobody has claimed it, and Customer Service is warned under its card.
  await sweepAt(e2e, clock, 30);
  await eventually(() => repliesUnder(card)[0], "the claim warning in Customer Service");
  // 10:40: it is a baggage repair, and Alice hands it to Baggage (office hours, London).
  await sweepAt(e2e, clock, 40);
  const moved = await handedToBaggage(e2e, threadId, card);
  // The new card says where it came from, is open to claim, and runs a fresh hour to claim it.
  expect(blockText(moved, "card.status")).toBe(":inbox_tray: *Open* · unclaimed");
  expect(blockText(moved, "card.handover")).toContain(
    `:arrow_right_hook: Handed over from *Customer Service* by <@${PEOPLE.alice}>`,
  );
  expect(blockText(moved, "card.dues")).toMatch(
    /^:stopwatch: Claim due <!date\^\d+\^\{date_short_pretty\} \{time\}\|11:40 GMT> \(in 1 h\)\n:stopwatch: First response due <[^>]+\|14:00 GMT> \(in 3 h 20 min\)\n/,
  );
  // The old card points to it.
  const old = await eventually(
    () =>
      e2e.double
        .messages(CHANNELS.service)
        .find((m) => m.ts === card.ts && m.text.startsWith(":arrow_right:")),
    "the old card redrawn",
  );
  expect(old.text).toBe(linkToBaggage(e2e, moved));
  // Baggage's own 50% warning falls half an hour into its claim clock, at 11:10, not before.
  await sweepAt(e2e, clock, 69);
  await dueDelivered(e2e, clock);
  expect(repliesUnder(moved)).toEqual([]);
  await sweepAt(e2e, clock, 70);
  const warning = await eventually(() => repliesUnder(moved)[0], "Baggage's claim warning");
  expect(warning.text).toBe("Claim for this P3 Baggage complaint is due 11:40 GMT (in 30 min)");
  // 11:28, 80%: the channel is called on, under the new card.
  await sweepAt(e2e, clock, 88);
  const call = await eventually(() => repliesUnder(moved)[1], "Baggage's second warning");
  expect(call.text).toBe(
    "<!here> Claim for this P3 Baggage complaint is due 11:40 GMT (in 12 min)",
  );
  // Nothing more lands under the old card: its one warning is from before the hand-over.
  await dueDelivered(e2e, clock);
  expect(repliesUnder(card).map((m) => m.text)).toEqual([
    "Claim for this P3 Customer Service complaint is due 11:00 UTC (in 30 min)",
  ]);
});
