import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { threads } from "../../src/db/schema.ts";
import { HAND_OVER_INPUTS } from "../../src/slack/views/ids.ts";
import { BAGGAGE_GROUP, campaignDouble, campaignWorkspace } from "../helpers/campaign-fixture.ts";
import { clickOnCard, statusShown, submitHandOver } from "../helpers/card-fixture.ts";
import { capturedLogs, type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { KIND_CHANNELS, KINDS_YAML } from "../helpers/kinds-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * Departments whose channels the workspace file names as "#name", as a new workspace does:
 * the bot learns each channel's id from where Slack put the department's cards, and asks
 * Slack who is in it to decide who may work the department's threads.
 */
const NAMED_YAML = KINDS_YAML.replace(`channel: ${CHANNELS.service}`, 'channel: "#sb-service"')
  .replace(`channel: ${CHANNELS.baggage}`, 'channel: "#sb-baggage"')
  .replace(`channel: ${KIND_CHANNELS.kudos}`, 'channel: "#sb-kudos"');

// Bob works Customer Service, Alice Baggage; everyone reads #sb-kudos.
const DOUBLE = {
  channels: [
    { id: CHANNELS.service, name: "sb-service", members: [PEOPLE.bob] },
    { id: CHANNELS.baggage, name: "sb-baggage", members: [PEOPLE.alice] },
    { id: CHANNELS.pr, name: "sb-pr", members: [PEOPLE.outsider] },
    { id: CHANNELS.exec, name: "sb-exec", members: [PEOPLE.lead, PEOPLE.admin] },
    {
      id: KIND_CHANNELS.kudos,
      name: "sb-kudos",
      members: [PEOPLE.alice, PEOPLE.bob, PEOPLE.outsider],
    },
    { id: KIND_CHANNELS.triage, name: "sb-triage", members: [PEOPLE.alice] },
  ],
  users: Object.values(PEOPLE).map((id) => ({ id, name: id.toLowerCase() })),
};

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];
const refusedPrivately = (userId: string, words: string) =>
  eventually(
    () =>
      e2e.double
        .ephemerals()
        .some((m) => m.ephemeralTo === userId && JSON.stringify(m).includes(words)),
    `the private refusal to ${userId}`,
  );

/** Files a post and waits for its message in `channel` and for its ts on the thread. */
async function post(text: string, channel: string) {
  const { status, json } = await e2e.request("/api/v1/complaints", {
    body: complaintBody({ text }),
  });
  expect(status).toBe(202);
  const message = await eventually(
    () => e2e.double.messages(channel).find((m) => !m.threadTs && m.text.includes(text)),
    `the message in ${channel}`,
  );
  const threadId = json.threadId as string;
  await eventually(async () => (await threadRow(threadId))?.slackTs === message.ts, "its ts");
  return { message, threadId };
}

describe("who may work a department whose channel is named #name", () => {
  it("is the channel's members, not #kudos's, after the department's praise went there", async () => {
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(NAMED_YAML, "department-membership.test.ts"),
      double: DOUBLE,
      timers: false,
    });
    const { message: card, threadId } = await post("the app logs me out all day", CHANNELS.service);
    // Praise for Customer Service: a note in #sb-kudos, the department's latest thread.
    await post("thank you for the lovely crew", KIND_CHANNELS.kudos);

    await clickOnCard(e2e, PEOPLE.outsider, card, "thread.claim");
    await refusedPrivately(PEOPLE.outsider, "Only members of Customer Service");
    expect(await threadRow(threadId)).toMatchObject({ state: "open", owner: null });
    // A member of the channel still may.
    await clickOnCard(e2e, PEOPLE.bob, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.bob, "bob's claim");
  });

  it("is the channel's members while a thread handed over waits for its new card", async () => {
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(NAMED_YAML, "department-membership.test.ts"),
      double: DOUBLE,
      timers: false,
    });
    const { message: serviceCard, threadId: serviceThread } = await post(
      "the app logs me out all day",
      CHANNELS.service,
    );
    const { message: bagCard, threadId: bagThread } = await post(
      "my suitcase never arrived",
      CHANNELS.baggage,
    );
    // Alice hands the bag thread to Customer Service; Slack holds its new card back a while.
    e2e.double.failNext("chat.postMessage", { status: 429, retryAfter: 60 });
    await submitHandOver(e2e, PEOPLE.alice, bagCard, {
      [HAND_OVER_INPUTS.department.blockId]: { [HAND_OVER_INPUTS.department.actionId]: "service" },
    });
    expect(await threadRow(bagThread)).toMatchObject({
      department: "service",
      slackChannel: CHANNELS.baggage,
    });

    // Alice is in #sb-baggage, where that thread's old card still is, not in #sb-service.
    await clickOnCard(e2e, PEOPLE.alice, serviceCard, "thread.claim");
    await refusedPrivately(PEOPLE.alice, "Only members of Customer Service");
    expect(await threadRow(serviceThread)).toMatchObject({ state: "open", owner: null });
  });
});

describe("who may work a department whose user group was deleted in Slack", () => {
  it("is the department's channel members, rather than nobody", async () => {
    const { logger, lines } = capturedLogs();
    e2e = await startE2E({ workspace: campaignWorkspace(), double: campaignDouble(), logger });
    // Baggage's members are its user group; an admin deletes (disables) the group in Slack.
    e2e.double.disableUsergroup(BAGGAGE_GROUP);
    const { message: card, threadId } = await post("my lost bag never came back", CHANNELS.baggage);
    await clickOnCard(e2e, PEOPLE.outsider, card, "thread.claim");
    await refusedPrivately(PEOPLE.outsider, "Baggage");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "the claim");
    await eventually(
      () =>
        JSON.stringify(
          e2e.double.messages(CHANNELS.baggage).find((m) => m.ts === card.ts)?.blocks,
        ).includes(`<@${PEOPLE.alice}>`),
      "the card redrawn as Alice's",
    );
    // The operator is told once, with what to fix in the workspace file.
    const gone = lines.filter((l) => l.event === "slack.usergroup_gone");
    expect(gone).toEqual([
      expect.objectContaining({ level: "warn", department: "baggage", usergroup: BAGGAGE_GROUP }),
    ]);
    expect(gone[0]?.fix).toMatch(/departments\[\d+\]\.usergroup in the workspace file/);
  });
});

/** The "Slack setup" section of what `/switchboard status` showed. */
async function setupShown(): Promise<string | undefined> {
  const { blocks } = JSON.parse(await statusShown(e2e)) as {
    blocks: Array<{ block_id: string; text: { text: string } }>;
  };
  return blocks.find((b) => b.block_id === "status.slack_setup")?.text.text;
}

describe("a department's user group deleted in Slack, as admins see it", () => {
  it("is a Slack setup problem naming the key to fix, until the group is enabled and listed again", async () => {
    const clock = new FakeClock("2026-11-24T10:00:00Z");
    e2e = await startE2E({ workspace: campaignWorkspace(), double: campaignDouble(), clock });
    e2e.double.disableUsergroup(BAGGAGE_GROUP);
    const first = await post("my lost bag never came back", CHANNELS.baggage);
    await clickOnCard(e2e, PEOPLE.alice, first.message, "thread.claim");
    await eventually(
      async () => (await threadRow(first.threadId))?.owner === PEOPLE.alice,
      "claim",
    );
    expect(await setupShown()).toMatch(
      new RegExp(
        `^\\*Slack setup:\\* 1 problem\n• \\*user group \`${BAGGAGE_GROUP}\` is deleted or disabled in Slack \\(the channel's members stand in\\)\\* \\(affects Baggage\\), since <!date\\^\\d+\\^[^>]+>\\. Fix: enable the group in Slack, or change \`departments\\[1\\]\\.usergroup\`\\.$`,
      ),
    );
    // Enabled again; once the cached answer is old, the next lookup lists its members.
    e2e.double.enableUsergroup(BAGGAGE_GROUP);
    clock.advance(2 * MINUTE);
    const second = await post("and my suitcase too", CHANNELS.baggage);
    await clickOnCard(e2e, PEOPLE.alice, second.message, "thread.claim");
    await eventually(
      async () => (await threadRow(second.threadId))?.owner === PEOPLE.alice,
      "claim",
    );
    expect(await setupShown()).toBe("*Slack setup:* no problems seen.");
  });
});
