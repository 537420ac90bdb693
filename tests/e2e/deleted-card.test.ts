import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { HAND_OVER_INPUTS } from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import {
  clickOnCard,
  handedToBaggage,
  linkToBaggage,
  retryAsAdmin,
  startAtT0,
  statusShown,
  sweepAt,
  threadRow,
} from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import type { FakeClock } from "../helpers/fake-clock.ts";
import { KIND_CHANNELS, KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { postDailyRollup } from "../helpers/rollup-fixture.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/**
 * Someone deletes the bot's card in Slack. What refers to the card (SLA warnings, the
 * hand-over DM) still reaches its people, without a link, saying the card was deleted.
 */
let e2e: E2E;
let clock: FakeClock;
afterEach(async () => {
  await e2e?.stop();
});

/** Files a complaint, waits for its card and its recorded ts, then deletes it in Slack. */
async function deletedCardFor(text: string) {
  const { json } = await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
  const threadId = json.threadId as string;
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs && m.text.includes(text)),
    "the card",
  );
  await eventually(
    async () => (await threadRow(e2e, threadId))?.slackTs === card.ts,
    "the card's ts",
  );
  return { threadId, card };
}

const contextOf = (m: StoredMessage, blockId: string) =>
  JSON.stringify(m.blocks?.find((b) => (b as { block_id?: string }).block_id === blockId));

describe("a card deleted in Slack", () => {
  it("still gets its SLA warnings to the channel and the lead, saying the card was deleted", async () => {
    ({ e2e, clock } = await startAtT0());
    const { card } = await deletedCardFor("nobody answers about my refund");
    expect(e2e.double.deleteMessage(CHANNELS.service, card.ts)).toBe(true);
    // The card is gone: whatever the channel shows now is a warning.
    const warnings = () => e2e.double.messages(CHANNELS.service);
    // 50%: meant for the thread, which is gone: it lands in the channel itself.
    await sweepAt(e2e, clock, 30);
    const [half] = await eventually(() => (warnings().length === 1 ? warnings() : null), "50%");
    expect(half?.threadTs).toBeUndefined();
    expect(half?.text).toMatch(/Claim .*due/);
    expect(contextOf(half as StoredMessage, "nudge.context")).toContain("_card deleted in Slack_");
    expect(contextOf(half as StoredMessage, "nudge.context")).not.toContain("Open the card");
    // At breach: the lead is mentioned in the channel and told by DM, both without a link.
    await sweepAt(e2e, clock, 60);
    const leadsDm = e2e.double.directMessage(PEOPLE.lead).id;
    const dm = await eventually(
      () => e2e.double.messages(leadsDm).find((m) => m.text.includes("breached")),
      "the DM to the lead",
    );
    expect(contextOf(dm, "nudge.context")).toContain("_card deleted in Slack_");
    const breach = await eventually(
      () => warnings().find((m) => m.text.includes(`<@${PEOPLE.lead}>`)),
      "the breach notice in the channel",
    );
    expect(breach.threadTs).toBeUndefined();
    const failed = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
    expect(failed.filter((o) => o.kind === "thread.nudge")).toEqual([]);
  });

  it("posts a warning in the channel when the card is deleted just as it goes out", async () => {
    ({ e2e, clock } = await startAtT0());
    const { card } = await deletedCardFor("a refund nobody answers");
    // Slack had the card when its link was asked for, and refuses the reply just after.
    e2e.double.failNext("chat.postMessage", { error: "thread_not_found" });
    await sweepAt(e2e, clock, 30);
    const warning = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.ts !== card.ts),
      "the 50% warning",
    );
    expect(warning.threadTs).toBeUndefined();
    expect(warning.text).toMatch(/Claim .*due/);
    const failed = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
    expect(failed.filter((o) => o.kind === "thread.nudge")).toEqual([]);
  });

  it("posts the customer's follow-up in the channel, saying the card was deleted", async () => {
    ({ e2e } = await startAtT0());
    const body = complaintBody({ conversationId: "conv-gone", text: "my refund never came" });
    const { json } = await e2e.request("/api/v1/complaints", { body });
    const threadId = json.threadId as string;
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.text.includes("refund never")),
      "the card",
    );
    await eventually(
      async () => (await threadRow(e2e, threadId))?.slackTs === card.ts,
      "the card's ts",
    );
    expect(e2e.double.deleteMessage(CHANNELS.service, card.ts)).toBe(true);
    const again = complaintBody({
      conversationId: "conv-gone",
      externalId: "gone-2",
      text: "still nothing, a week later",
    });
    await e2e.request("/api/v1/complaints", { body: again });
    const followUp = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.text.includes("a week later")),
      "the follow-up in the channel",
    );
    expect(followUp.threadTs).toBeUndefined();
    expect(followUp.text).toBe("Follow-up from @someone on twitter: still nothing, a week later");
    expect(contextOf(followUp, "followup.context")).toContain("_card deleted in Slack_");
  });

  it("still sends the hand-over DM, saying the card was deleted where its link would be", async () => {
    ({ e2e } = await startAtT0());
    const { threadId, card } = await deletedCardFor("refund lost in the post");
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    await eventually(
      async () => (await threadRow(e2e, threadId))?.owner === PEOPLE.alice,
      "the claim",
    );
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.handover");
    const modal = await eventually(
      () => e2e.double.views.find((v) => v.userId === PEOPLE.alice && v.isOpen),
      "the hand-over modal",
    );
    // Deleted while Alice fills in the form: the DM is rendered after.
    expect(e2e.double.deleteMessage(CHANNELS.service, card.ts)).toBe(true);
    await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.alice,
      values: {
        [HAND_OVER_INPUTS.person.blockId]: { [HAND_OVER_INPUTS.person.actionId]: PEOPLE.bob },
        [HAND_OVER_INPUTS.note.blockId]: { [HAND_OVER_INPUTS.note.actionId]: "You know refunds" },
      },
    });
    const bobsDm = e2e.double.directMessage(PEOPLE.bob).id;
    const dm = await eventually(
      () => e2e.double.messages(bobsDm).find((m) => m.text.includes("handed you")),
      "the DM to Bob",
    );
    const shown = JSON.stringify(dm.blocks);
    expect(shown).toContain("The customer wrote:\\n> refund lost in the post");
    expect(contextOf(dm, "handover.context")).toContain(":wastebasket: _card deleted in Slack_");
    expect(shown).not.toContain("Open the card");
  });

  it("fails its card redraws once, shown to admins with why, until Retry posts a new card", async () => {
    ({ e2e, clock } = await startAtT0());
    const { threadId, card } = await deletedCardFor("still no answer about my refund");
    expect(e2e.double.deleteMessage(CHANNELS.service, card.ts)).toBe(true);
    // The 50% warning redraws the card's due line: chat.update of a deleted message.
    await sweepAt(e2e, clock, 30);
    const failedUpdate = await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
      return rows.find((o) => o.kind === "thread.update_card" && o.threadId === threadId);
    }, "the card update failed for good");
    expect(failedUpdate.attempts).toBe(1);
    // The channel's later messages are not held behind it: the breach notice still lands.
    await sweepAt(e2e, clock, 60);
    await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find((m) => m.text.includes(`<@${PEOPLE.lead}>`) && m.text.includes("breached")),
      "the breach notice in the channel",
    );
    // Alice claims from the warning: the card is not redrawn, and nothing else fails.
    const warning = e2e.double
      .messages(CHANNELS.service)
      .find((m) => JSON.stringify(m.blocks).includes('"thread.claim"'));
    await clickOnCard(e2e, PEOPLE.alice, warning as StoredMessage, "thread.claim");
    await eventually(
      async () => (await threadRow(e2e, threadId))?.owner === PEOPLE.alice,
      "the claim",
    );
    await sweepAt(e2e, clock, 61);
    const updatesTried = e2e.double
      .callsTo("chat.update")
      .filter((c) => c.args.ts === card.ts && c.args.channel === CHANNELS.service);
    expect(updatesTried).toHaveLength(1);
    const shown = await statusShown(e2e);
    const failedLines = shown.match(/thread\.update_card to /g) ?? [];
    expect(failedLines).toHaveLength(1);
    expect(shown).toContain(
      `*#${failedUpdate.id}* thread.update_card to <#${CHANNELS.service}>: \`card_deleted_in_slack (message_not_found): nothing to update, Retry posts a new card\``,
    );
    // The admin retries it: a new card, as the thread is now, with its buttons.
    await retryAsAdmin(e2e, failedUpdate.id);
    const reposted = await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .find((m) => !m.threadTs && m.ts !== card.ts && m.text.includes("still no answer")),
      "the new card",
    );
    expect(JSON.stringify(reposted.blocks)).toContain(`<@${PEOPLE.alice}>`);
    expect(JSON.stringify(reposted.blocks)).toContain('"thread.resolve"');
    await eventually(
      async () => (await threadRow(e2e, threadId))?.slackTs === reposted.ts,
      "its ts",
    );
    // From then on the card is redrawn as before.
    await clickOnCard(e2e, PEOPLE.alice, reposted, "thread.resolve");
    await eventually(
      () =>
        JSON.stringify(
          e2e.double.messages(CHANNELS.service).find((m) => m.ts === reposted.ts)?.blocks,
        ).includes("Resolved"),
      "the new card redrawn as resolved",
    );
  });

  it("links the card a hand-over left behind to the new card Retry posts for the deleted one", async () => {
    ({ e2e, clock } = await startAtT0());
    const { threadId, card } = await deletedCardFor("my refund and my bag strap");
    const moved = await handedToBaggage(e2e, threadId, card);
    const linkTo = (m: StoredMessage) => linkToBaggage(e2e, m);
    const oldCard = () => e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts);
    await eventually(() => oldCard()?.text === linkTo(moved), "the old card linking to it");
    // Someone deletes Baggage's card; its next redraw fails, and an admin retries it.
    expect(e2e.double.deleteMessage(CHANNELS.baggage, moved.ts)).toBe(true);
    await sweepAt(e2e, clock, 30);
    const failedUpdate = await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
      return rows.find((o) => o.kind === "thread.update_card" && o.threadId === threadId);
    }, "the card update failed for good");
    await retryAsAdmin(e2e, failedUpdate.id);
    // (The warning went to the channel, not under the deleted card: the new card is the thread's.)
    const reposted = await eventually(async () => {
      const ts = (await threadRow(e2e, threadId))?.slackTs;
      if (ts === moved.ts) return undefined;
      return e2e.double.messages(CHANNELS.baggage).find((m) => m.ts === ts);
    }, "the new card in Baggage");
    // The card left in Customer Service now leads to it, not to the deleted one.
    await eventually(() => oldCard()?.text === linkTo(reposted), "the old card relinked");
  });
});

describe("a card with replies deleted in Slack", () => {
  it("keeps its thread under Slack's placeholder: warnings go there, its redraw fails once with why", async () => {
    ({ e2e, clock } = await startAtT0());
    const { threadId, card } = await deletedCardFor("my refund is a month late");
    await sweepAt(e2e, clock, 30);
    const inThread = () =>
      e2e.double.messages(CHANNELS.service).filter((m) => m.threadTs === card.ts);
    await eventually(() => inThread().length === 1, "the 50% warning under the card");
    await sweepAt(e2e, clock, 30);
    const updatesOf = () => e2e.double.callsTo("chat.update").filter((c) => c.args.ts === card.ts);
    const redrawnBefore = updatesOf().length;
    expect(e2e.double.deleteMessage(CHANNELS.service, card.ts)).toBe(true);
    // Slack keeps a placeholder where the card was, with its replies under it.
    const placeholder = e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts);
    expect(placeholder).toMatchObject({ text: "This message was deleted.", blocks: [] });
    // The breach notice still goes under it, where the earlier warning is.
    await sweepAt(e2e, clock, 60);
    const breach = await eventually(
      () => inThread().find((m) => m.text.includes(`<@${PEOPLE.lead}>`)),
      "the breach notice in the card's thread",
    );
    expect(breach.text).toContain("breached");
    // The card cannot be redrawn: one failure, saying why, and no redraw after it.
    const failed = await failedFor("thread.update_card");
    expect(failed.threadId).toBe(threadId);
    expect(await statusShown(e2e)).toContain(
      `*#${failed.id}* thread.update_card to <#${CHANNELS.service}>: \`card_deleted_in_slack (cant_update_message): nothing to update, Retry posts a new card\``,
    );
    await eventually(
      async () => (await threadRow(e2e, threadId))?.cardDeletedAt !== null,
      "the mark",
    );
    await sweepAt(e2e, clock, 90);
    expect(updatesOf().length - redrawnBefore).toBe(1);
    expect(e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts)?.text).toBe(
      "This message was deleted.",
    );
  });
});

/** The delivery of `kind` that failed for good, once it has. */
const failedFor = (kind: string) =>
  eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
    return rows.find((o) => o.kind === kind);
  }, `${kind} failed for good`);

describe("a bot message other than the card deleted in Slack", () => {
  it("fails the redraw of a deleted warning that offered Claim once, saying so, without holding the channel", async () => {
    ({ e2e, clock } = await startAtT0());
    const text = "nobody has claimed my refund";
    const { json } = await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs && m.text.includes(text)),
      "the card",
    );
    await eventually(
      async () => (await threadRow(e2e, json.threadId))?.slackTs === card.ts,
      "its ts",
    );
    await sweepAt(e2e, clock, 30);
    const warning = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.threadTs === card.ts),
      "the 50% warning offering Claim",
    );
    expect(JSON.stringify(warning.blocks)).toContain('"thread.claim"');
    await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "thread.nudge"));
      return rows.every((o) => o.status === "delivered");
    }, "the warning's delivery recorded");
    expect(e2e.double.deleteMessage(CHANNELS.service, warning.ts)).toBe(true);
    // Claiming redraws the warning without its button: there is no warning to redraw.
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.claim");
    const failed = await failedFor("thread.withdraw_claim");
    expect(failed.attempts).toBe(1);
    // The channel's later messages are not held behind it: the card shows the resolve.
    await clickOnCard(e2e, PEOPLE.alice, card, "thread.resolve");
    await eventually(
      () =>
        JSON.stringify(
          e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts)?.blocks,
        ).includes("Resolved"),
      "the card redrawn as resolved",
    );
    expect(await statusShown(e2e)).toContain(
      `*#${failed.id}* thread.withdraw_claim to <#${CHANNELS.service}>: \`warning_deleted_in_slack (message_not_found): nothing to update, Retry cannot bring it back\``,
    );
  });

  it("fails the redraw of a deleted roll-up page once, saying so", async () => {
    const config = kindsWorkspace();
    ({ e2e, clock } = await startAtT0({ workspace: config, double: KINDS_DOUBLE }));
    const reply = complaintBody({
      externalId: "conv-gone-rollup-reply",
      conversationId: "conv-gone-rollup",
      text: "RT it has been down since this morning",
    });
    expect((await e2e.request("/api/v1/complaints", { body: reply })).json.kind).toBe("other");
    const rollup = await postDailyRollup(e2e, config, clock);
    await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox);
      return rows.every((o) => o.status === "delivered");
    }, "the roll-up's delivery recorded");
    expect(e2e.double.deleteMessage(KIND_CHANNELS.triage, rollup.ts)).toBe(true);
    // The thread's first post arrives: the roll-up listing its reply would be redrawn.
    const first = complaintBody({
      externalId: "conv-gone-rollup",
      conversationId: "conv-gone-rollup",
      text: "RT @SkylineAir: our app is down for maintenance",
    });
    await e2e.request("/api/v1/complaints", { body: first });
    e2e.bot.worker.kick();
    const failed = await failedFor("kinds.update_rollup");
    expect(failed.attempts).toBe(1);
    expect(await statusShown(e2e)).toContain(
      `*#${failed.id}* kinds.update_rollup to <#${KIND_CHANNELS.triage}>: \`rollup_page_deleted_in_slack (message_not_found): nothing to update, Retry cannot bring it back\``,
    );
  });
});
