import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { threads } from "../../src/db/schema.ts";
import { encodeKindChoice, KIND_SELECT_ACTION_ID } from "../../src/slack/views/ids.ts";
import { startAtT0 } from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { postDailyRollup } from "../helpers/rollup-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});
const config = kindsWorkspace();

describe("a roll-up post put on the desk", () => {
  it("brings the messages the customer wrote meanwhile under its new card, once each", async () => {
    const started = await startAtT0({ workspace: config, double: KINDS_DOUBLE });
    e2e = started.e2e;
    const clock = started.clock;
    const parent = complaintBody({ text: "RT @SkylineAir: our app is down for maintenance" });
    const first = await e2e.request("/api/v1/complaints", { body: parent });
    expect(first.json.kind).toBe("other");
    const threadId = first.json.threadId as string;
    const later = await e2e.request("/api/v1/complaints", {
      body: complaintBody({
        text: "RT it has been down since this morning, I cannot check in",
        conversationId: parent.externalId,
      }),
    });
    expect([later.json.threadId, later.json.kind]).toEqual([threadId, "other"]);
    const rollup = await postDailyRollup(e2e, config, clock);
    await e2e.driver.selectOption({
      userId: PEOPLE.alice,
      channelId: rollup.channel,
      messageTs: rollup.ts,
      actionId: KIND_SELECT_ACTION_ID,
      blockId: "rollup.item.0",
      value: encodeKindChoice("complaint", threadId),
    });
    const card = await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find((m) => !m.threadTs && m.text.includes("app is down")),
      "the card on the desk",
    );
    await eventually(
      async () =>
        (await e2e.db.db.select().from(threads).where(eq(threads.id, threadId)))[0]?.slackTs ===
        card.ts,
      "its ts",
    );
    const replies = () =>
      e2e.double
        .messages(CHANNELS.service)
        .filter((m) => m.threadTs === card.ts && m.text.includes("down since this morning"));
    await eventually(() => replies().length === 1, "the follow-up under the card");
    await e2e.bot.worker.runOnce();
    expect(replies()).toHaveLength(1);
  });
});
