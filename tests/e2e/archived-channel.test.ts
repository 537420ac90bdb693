import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { HAND_OVER_INPUTS } from "../../src/slack/views/ids.ts";
import {
  linkToBaggage,
  retryAsAdmin,
  startAtT0,
  statusShown,
  submitHandOver,
  sweepAt,
  threadRow,
} from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import type { FakeClock } from "../helpers/fake-clock.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * Someone archives a department's channel in Slack. Its cards cannot be posted: admins see
 * one failure they can act on, not one more per warning, redraw or follow-up, and Retry
 * after unarchiving posts the card.
 */
let e2e: E2E;
let clock: FakeClock;
afterEach(async () => {
  await e2e?.stop();
});

const failedRows = () => e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));

/** The "Slack setup" section of what `/switchboard status` showed. */
function setupShown(shown: string): string | undefined {
  const blocks = (
    JSON.parse(shown) as { blocks: Array<{ block_id: string; text: { text: string } }> }
  ).blocks;
  return blocks.find((b) => b.block_id === "status.slack_setup")?.text.text;
}

/** Waits for the card in `channel` showing `text`, and for the follow-up `reply` under it. */
async function cardWithReply(channel: string, text: string, reply: string) {
  const card = await eventually(
    () => e2e.double.messages(channel).find((m) => !m.threadTs && m.text.includes(text)),
    `the card in ${channel}`,
  );
  await eventually(
    () =>
      e2e.double.messages(channel).find((m) => m.threadTs === card.ts && m.text.includes(reply)),
    "the follow-up under the card",
  );
  return card;
}

describe("a department channel archived in Slack", () => {
  it("fails the card once, saying what to do, and Retry after unarchiving posts it", async () => {
    ({ e2e, clock } = await startAtT0());
    e2e.double.setArchived(CHANNELS.service, true);
    const first = complaintBody({ conversationId: "conv-archived", text: "where is my refund" });
    const { json } = await e2e.request("/api/v1/complaints", { body: first });
    const threadId = json.threadId as string;
    const failedCard = await eventually(
      async () => (await failedRows()).find((o) => o.kind === "thread.post_card"),
      "the card failed for good",
    );
    // The customer writes again; the claim warning, the breach and its escalation come due.
    const again = complaintBody({ conversationId: "conv-archived", text: "hello?? my refund" });
    await e2e.request("/api/v1/complaints", { body: again });
    await sweepAt(e2e, clock, 30);
    await sweepAt(e2e, clock, 60);
    await sweepAt(e2e, clock, 90);
    // The lead's breach DM and the executives' escalation still go out.
    const leadsDm = e2e.double.directMessage(PEOPLE.lead).id;
    await eventually(
      () => e2e.double.messages(leadsDm).find((m) => m.text.includes("breached")),
      "the breach DM to the lead",
    );
    await eventually(() => e2e.double.messages(CHANNELS.exec).length > 0, "the escalation");
    await sweepAt(e2e, clock, 91);
    // One failure, in words an admin can act on; nothing else failed.
    expect((await failedRows()).map((o) => o.id)).toEqual([failedCard.id]);
    const shown = await statusShown(e2e);
    expect(shown).toContain(
      "#sb-service is archived: unarchive it or change the department's channel in the workspace file, then Retry",
    );
    expect(shown).not.toContain("card_not_posted");
    // Under "Slack setup": the archived channel, what it affects and the fix, once.
    expect(setupShown(shown)).toMatch(
      /^\*Slack setup:\* 1 problem\n• \*#sb-service is archived\* \(affects Customer Service\), since <!date\^\d+\^[^>]+>\. Fix: unarchive #sb-service or change `departments\[0\]\.channel`, then Retry its failed deliveries\.$/,
    );
    expect(e2e.double.messages(CHANNELS.service)).toEqual([]);
    // Unarchived and retried: the card, as the thread is now, with the follow-up under it.
    e2e.double.setArchived(CHANNELS.service, false);
    await retryAsAdmin(e2e, failedCard.id);
    const card = await cardWithReply(CHANNELS.service, "where is my refund", "hello?? my refund");
    expect(JSON.stringify(card.blocks)).toContain('"thread.claim"');
    await eventually(
      async () => (await threadRow(e2e, threadId))?.cardDeletedAt === null,
      "unmarked",
    );
    expect(await failedRows()).toEqual([]);
    // The post worked: the problem cleared itself.
    expect(setupShown(await statusShown(e2e))).toBe("*Slack setup:* no problems seen.");
  });

  it("fails a thread handed to its department once, marks it, and Retry after unarchiving posts it there, the old card linking to it", async () => {
    ({ e2e, clock } = await startAtT0());
    const first = complaintBody({ conversationId: "conv-moved", text: "my bag and my refund" });
    const { json } = await e2e.request("/api/v1/complaints", { body: first });
    const threadId = json.threadId as string;
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.text.includes("my bag")),
      "the card in Customer Service",
    );
    await eventually(async () => (await threadRow(e2e, threadId))?.slackTs === card.ts, "its ts");
    // Baggage's channel is archived; Alice hands the thread to Baggage.
    e2e.double.setArchived(CHANNELS.baggage, true);
    const department = HAND_OVER_INPUTS.department;
    await submitHandOver(e2e, PEOPLE.alice, card, {
      [department.blockId]: { [department.actionId]: "baggage" },
    });
    const failedCard = await eventually(
      async () => (await failedRows()).find((o) => o.kind === "thread.post_card"),
      "the new card failed for good",
    );
    // The old card says where the thread went; nothing lands under it from now on.
    await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find(
            (m) =>
              m.ts === card.ts &&
              m.text.includes("to Baggage (card's channel not visible to Switchboard)"),
          ),
      "the old card pointing to Baggage",
    );
    const again = complaintBody({ conversationId: "conv-moved", text: "anyone there? my bag" });
    await e2e.request("/api/v1/complaints", { body: again });
    await sweepAt(e2e, clock, 30);
    await sweepAt(e2e, clock, 60);
    await sweepAt(e2e, clock, 61);
    expect(e2e.double.messages(CHANNELS.service).map((m) => m.ts)).toEqual([card.ts]);
    expect(e2e.double.messages(CHANNELS.baggage)).toEqual([]);
    // One failure, saying what to do; the thread is marked as having no card.
    expect((await failedRows()).map((o) => o.id)).toEqual([failedCard.id]);
    expect(await statusShown(e2e)).toContain(
      "#sb-baggage is archived: unarchive it or change the department's channel in the workspace file, then Retry",
    );
    expect(await threadRow(e2e, threadId)).toMatchObject({ slackTs: null, slackChannel: null });
    expect((await threadRow(e2e, threadId))?.cardDeletedAt).not.toBeNull();
    // Unarchived and retried: the card in Baggage's channel, with the follow-up under it.
    e2e.double.setArchived(CHANNELS.baggage, false);
    await retryAsAdmin(e2e, failedCard.id);
    const newCard = await cardWithReply(
      CHANNELS.baggage,
      "my bag and my refund",
      "anyone there? my bag",
    );
    await eventually(
      async () => (await threadRow(e2e, threadId))?.slackChannel === CHANNELS.baggage,
      "the card recorded, unmarked",
    );
    expect((await threadRow(e2e, threadId))?.cardDeletedAt).toBeNull();
    // The old card now links to the new one, as after a hand-over whose card went out at once.
    const oldCard = await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find((m) => m.ts === card.ts && !m.text.includes("not visible")),
      "the old card redrawn",
    );
    expect(oldCard.text).toBe(linkToBaggage(e2e, newCard));
    expect(await failedRows()).toEqual([]);
  });
});
