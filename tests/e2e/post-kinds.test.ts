import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { threads } from "../../src/db/schema.ts";
import { encodeKindChoice, KIND_SELECT_ACTION_ID } from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { startAtT0 } from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import type { FakeClock } from "../helpers/fake-clock.ts";
import { KIND_CHANNELS, KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { postDailyRollup } from "../helpers/rollup-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const config = kindsWorkspace();

async function start(): Promise<FakeClock> {
  const started = await startAtT0({ workspace: config, double: KINDS_DOUBLE });
  e2e = started.e2e;
  return started.clock;
}

const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];
const current = (m: StoredMessage) => e2e.double.messages(m.channel).find((x) => x.ts === m.ts);
const shown = (m: StoredMessage | undefined) => JSON.stringify(m?.blocks ?? []);
const choose = (
  userId: string,
  m: StoredMessage,
  kind: string,
  threadId: string,
  blockId?: string,
) =>
  e2e.driver.selectOption({
    userId,
    channelId: m.channel,
    messageTs: m.ts,
    actionId: KIND_SELECT_ACTION_ID,
    ...(blockId ? { blockId } : {}),
    value: encodeKindChoice(kind, threadId),
  });

/** Files a post and waits for the message it gets in `channel`, and for its ts on the thread. */
async function post(text: string, channel: string) {
  const { status, json } = await e2e.request("/api/v1/complaints", {
    body: complaintBody({ text }),
  });
  expect(status).toBe(202);
  const message = await eventually(
    () =>
      e2e.double.messages(channel).find((m) => !m.threadTs && m.text.includes(text.slice(0, 30))),
    `the message in ${channel}`,
  );
  await eventually(async () => (await threadRow(json.threadId))?.slackTs === message.ts, "its ts");
  return { json, message, threadId: json.threadId as string };
}

describe("kinds in Slack", () => {
  it("posts praise as a note in #kudos, and puts it on the desk when someone picks Complaint", async () => {
    await start();
    const { json, message, threadId } = await post(
      "thank you Priya at Gatwick, lovely crew",
      KIND_CHANNELS.kudos,
    );
    expect(json.kind).toBe("praise");
    expect(shown(message)).toContain(":tada: Praise on *twitter*");
    expect(shown(message)).toContain("No SLA clocks, not on the desk");
    expect(e2e.double.messages(CHANNELS.service)).toEqual([]);

    await choose(PEOPLE.outsider, message, "complaint", threadId);
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.text.includes("thank you Priya")),
      "the card on the service desk",
    );
    expect(shown(card)).toContain("new complaint on *twitter*");
    expect(shown(card)).toMatch(/Claim due/);
    expect(shown(card)).toMatch(/Resolution due/);
    await eventually(
      () => shown(current(message)).includes("moved to"),
      "the note turned into a link",
    );
    expect(shown(current(message))).toContain("Marked a complaint and moved to");
    expect((await threadRow(threadId))?.kindReason).toBe(`changed by <@${PEOPLE.outsider}>`);
  });

  it("puts praise on the desk when the customer writes again with a problem, the follow-up under the new card", async () => {
    await start();
    const conversationId = "praise-then-problem";
    const { status, json } = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text: "thank you for the lovely flight", conversationId }),
    });
    expect([status, json.kind]).toEqual([202, "praise"]);
    const note = await eventually(
      () => e2e.double.messages(KIND_CHANNELS.kudos).find((m) => !m.threadTs),
      "the note in #kudos",
    );
    await eventually(async () => (await threadRow(json.threadId))?.slackTs === note.ts, "its ts");
    await e2e.request("/api/v1/complaints", {
      body: complaintBody({
        externalId: "follow-up-1",
        text: "but my bag was lost on the way back",
        conversationId,
      }),
    });
    const card = await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find((m) => !m.threadTs && m.text.includes("thank you")),
      "the new card on the desk",
    );
    const reply = await eventually(
      () => e2e.double.messages().find((m) => m.text.includes("my bag was lost on the way back")),
      "the follow-up posted",
    );
    expect([reply.channel, reply.threadTs]).toEqual([CHANNELS.service, card.ts]);
    expect(e2e.double.messages(KIND_CHANNELS.kudos).filter((m) => m.threadTs === note.ts)).toEqual(
      [],
    );
  });

  it("turns a complaint into a question from its card: no resolution clock, and the timeline says who", async () => {
    await start();
    const { message, threadId } = await post("can I change my seat online?", CHANNELS.service);
    expect(shown(message)).toContain("new question on *twitter*");
    expect(shown(message)).not.toMatch(/Resolution due/);
    await choose(PEOPLE.alice, message, "complaint", threadId);
    await eventually(
      () => shown(current(message)).match(/Resolution due/),
      "the resolution clock shown",
    );
    await choose(PEOPLE.alice, message, "question", threadId);
    await eventually(
      () => !shown(current(message)).match(/Resolution due/),
      "the resolution clock gone",
    );
    expect(shown(current(message))).toContain(":question: Question");

    await e2e.driver.clickButton({
      userId: PEOPLE.alice,
      channelId: message.channel,
      messageTs: message.ts,
      actionId: "thread.timeline",
    });
    const timeline = await eventually(
      () =>
        e2e.double.responses.map((r) => JSON.stringify(r.body)).find((b) => b.includes("Timeline")),
      "the timeline",
    );
    expect(timeline).toContain(`marked complaint (was question) by <@${PEOPLE.alice}>`);
    expect(timeline).toContain(`marked question (was complaint) by <@${PEOPLE.alice}>`);
  });

  it("leaves a card changed to praise with nothing to claim, only its timeline and the Kind picker", async () => {
    await start();
    const { message, threadId } = await post("lost bag at LHR, nobody helps", CHANNELS.baggage);
    expect(shown(message)).toContain("thread.claim");
    await choose(PEOPLE.alice, message, "praise", threadId);
    await eventually(
      () => shown(current(message)).includes("Kept off the desk as praise"),
      "the card updated",
    );
    type Actions = { type: string; elements: Array<{ action_id?: string }> };
    const blocks = (current(message)?.blocks ?? []) as Actions[];
    const actions = blocks.find((b) => b.type === "actions");
    expect(actions?.elements.map((e) => e.action_id)).toEqual([
      "thread.timeline",
      KIND_SELECT_ACTION_ID,
    ]);
    expect((await threadRow(threadId))?.clocks).toEqual([]);
  });

  it("refuses, privately, someone outside the department who takes a complaint off the desk", async () => {
    await start();
    const { message, threadId } = await post("lost bag at LHR, nobody helps", CHANNELS.baggage);
    const before = await threadRow(threadId);
    await choose(PEOPLE.outsider, message, "praise", threadId);
    const refusal = await eventually(
      () =>
        e2e.double.responses.find((r) =>
          JSON.stringify(r.body).includes("Only members of Baggage (its channel"),
        ),
      "the refusal",
    );
    expect((refusal.body as { response_type?: string }).response_type).toBe("ephemeral");
    expect(await threadRow(threadId)).toEqual(before);
  });

  it("lists chatter in the daily roll-up, from where it can be put on the desk", async () => {
    const clock = await start();
    const { json } = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text: "RT @SkylineAir: new route to Madeira" }),
    });
    expect(json.kind).toBe("other");
    const other = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text: "RT @SkylineAir: winter timetable is out" }),
    });
    expect(other.json.kind).toBe("other");
    const rollup = await postDailyRollup(e2e, config, clock);
    expect(rollup.text).toBe("Daily roll-up: 2 other posts");
    expect(shown(rollup)).toContain("new route to Madeira");
    expect(e2e.double.messages(CHANNELS.service)).toEqual([]);

    const item =
      shown(rollup).indexOf("new route to Madeira") < shown(rollup).indexOf("winter timetable")
        ? 0
        : 1;
    await choose(PEOPLE.alice, rollup, "question", json.threadId, `rollup.item.${item}`);
    const card = await eventually(
      () =>
        e2e.double.messages(CHANNELS.service).find((m) => m.text.includes("new route to Madeira")),
      "the card on the desk",
    );
    expect(shown(card)).toContain("new question on *twitter*");
    // Everyone's roll-up is redrawn: the post is on the desk now, not waiting in the list.
    const redrawn = await eventually(() => {
      const now = e2e.double.messages(KIND_CHANNELS.triage).find((m) => m.ts === rollup.ts);
      return now && !shown(now).includes("new route to Madeira") ? now : undefined;
    }, "the roll-up without the post put on the desk");
    expect(redrawn.text).toBe("Daily roll-up: 1 other post");
    expect(shown(redrawn)).toContain("winter timetable is out");
    expect(e2e.double.messages(KIND_CHANNELS.triage)).toHaveLength(1);
  });
});

describe("the App Home with kinds", () => {
  it("lists complaints waiting for an owner, not praise or chatter kept off the desk", async () => {
    await start();
    for (const text of [
      "my refund never arrived",
      "thank you for the lovely crew",
      "RT @SkylineAir: new route to Madeira",
    ]) {
      const res = await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
      expect(res.status).toBe(202);
    }
    const opened = await e2e.driver.appHomeOpened({ userId: PEOPLE.alice });
    expect(opened.status).toBe(200);
    const home = await eventually(
      () => e2e.double.views.find((v) => v.type === "home" && v.userId === PEOPLE.alice),
      "alice's Home",
    );
    const shown = JSON.stringify(home.blocks);
    expect(shown).toContain("my refund never arrived");
    expect(shown).not.toContain("thank you for the lovely crew");
    expect(shown).not.toContain("new route to Madeira");
  });
});
