import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { threads } from "../../src/db/schema.ts";
import { encodeKindChoice, KIND_SELECT_ACTION_ID } from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { startAtT0 } from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { type FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { KIND_CHANNELS, KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

async function start(): Promise<FakeClock> {
  const started = await startAtT0({ workspace: kindsWorkspace(), double: KINDS_DOUBLE });
  e2e = started.e2e;
  return started.clock;
}
const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];
const choose = (userId: string, m: StoredMessage, kind: string, threadId: string) =>
  e2e.driver.selectOption({
    userId,
    channelId: m.channel,
    messageTs: m.ts,
    actionId: KIND_SELECT_ACTION_ID,
    value: encodeKindChoice(kind, threadId),
  });
const settle = async () => {
  await eventually(async () => {
    const rows = await e2e.db.db.execute(
      "select count(*)::int as n from outbox where status = 'pending'" as never,
    );
    return (rows as unknown as Array<{ n: number }>)[0]?.n === 0;
  }, "outbox drained");
};

describe("a post whose kind changes several times", () => {
  it("keeps one card and one note, and its nudges name its kind as the card does", async () => {
    const clock = await start();
    const { json } = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text: "thank you so much for the crew on SA12" }),
    });
    const threadId = json.threadId as string;
    const note = await eventually(
      () => e2e.double.messages(KIND_CHANNELS.kudos).find((m) => !m.threadTs),
      "note",
    );
    await eventually(async () => (await threadRow(threadId))?.slackTs === note.ts, "ts");
    await choose(PEOPLE.outsider, note, "complaint", threadId);
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs),
      "card",
    );
    await eventually(async () => (await threadRow(threadId))?.slackTs === card.ts, "card ts");
    await settle();
    await choose(PEOPLE.alice, card, "praise", threadId);
    await eventually(async () => (await threadRow(threadId))?.kind === "praise", "praise");
    await settle();
    await choose(PEOPLE.outsider, card, "complaint", threadId);
    await eventually(async () => (await threadRow(threadId))?.kind === "complaint", "complaint");
    await settle();
    await choose(PEOPLE.alice, card, "question", threadId);
    await eventually(async () => (await threadRow(threadId))?.kind === "question", "question");
    await settle();
    // One card and one note however often the kind changed.
    expect(e2e.double.messages(CHANNELS.service).filter((m) => !m.threadTs)).toHaveLength(1);
    expect(e2e.double.messages(KIND_CHANNELS.kudos)).toHaveLength(1);
    const cardNow = () => e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts);
    const cardText = JSON.stringify(cardNow()?.blocks);
    expect(cardText).toContain("new question on *twitter*");
    expect(cardText).toContain("120 followers · 1 share · 2 likes · 0 replies");

    // Half the claim window later the nudge names what the card names: a question.
    clock.advance(35 * MINUTE);
    await e2e.bot.sweepTimers();
    const nudge = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.threadTs === card.ts),
      "the warning under the card",
    );
    expect(nudge.text).toContain("Claim for this P3 Customer Service question is due");
    expect(JSON.stringify(nudge.blocks)).toContain("*P3 Customer Service* question is due");
  }, 60_000);
});
