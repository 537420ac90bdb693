import { randomUUID } from "node:crypto";
import { type KnownBlock, WebClient } from "@slack/web-api";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaigns, outbox, threads } from "../../src/db/schema.ts";
import { parseCampaignInput } from "../../src/services/campaign-input.ts";
import { buildCampaignModal } from "../../src/slack/views/campaign-modal.ts";
import { buildDismissModal } from "../../src/slack/views/dismiss-modal.ts";
import { HOME_ACTION_IDS } from "../../src/slack/views/home-ids.ts";
import {
  CAMPAIGN_ACTION_IDS,
  CAMPAIGN_INPUTS,
  DISMISS_INPUTS,
  encodeCampaignValue,
  encodeKindChoice,
  encodeThreadAction,
  KIND_SELECT_ACTION_ID,
  THREAD_ACTION_IDS,
} from "../../src/slack/views/ids.ts";
import { GENEROUS_RATE_LIMITS, type StoredMessage } from "../../src/slack-double/index.ts";
import {
  api,
  campaignBody,
  campaignDouble,
  campaignWorkspace,
  MARKETING,
} from "../helpers/campaign-fixture.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/*
 * What people see when a click, a form or a command goes somewhere the happy path does not:
 * buttons and pickers from old messages, forms Slack was too slow to open, refusals, and
 * commands typed oddly. Each answer is private to the person (an ephemeral message, a note
 * on their Home, or an error inside the form), never a message to the channel.
 */
let e2e: E2E;
let slack: WebClient;
const DAY = 86_400_000;

beforeAll(async () => {
  // Slack's limits are not what these tests are about (slack-rate-limits.test.ts is).
  e2e = await startE2E({
    workspace: campaignWorkspace(),
    double: { ...campaignDouble(), rateLimits: GENEROUS_RATE_LIMITS },
  });
  // The bot's own token: messages "an older version of the bot" left in Slack.
  slack = new WebClient(e2e.double.config.botToken, { slackApiUrl: e2e.double.apiUrl });
});
afterAll(() => e2e.stop());

/** Files a complaint and waits for its card. */
async function cardFor(text: string, channel: string = CHANNELS.service) {
  const { json } = await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
  const card = await eventually(
    () => e2e.double.messages(channel).find((m) => !m.threadTs && m.text.includes(text)),
    "the card",
  );
  const threadId = json.threadId as string;
  await eventually(async () => (await threadRow(threadId))?.slackTs === card.ts, "the card's ts");
  return { threadId, card };
}

const threadRow = async (id: string) =>
  (await e2e.db.db.select().from(threads).where(eq(threads.id, id)))[0];

/** The blocks of an old message or Home: one button. */
const oneButton = (actionId: string, value: string): KnownBlock[] => [
  {
    type: "actions",
    elements: [
      { type: "button", action_id: actionId, text: { type: "plain_text", text: "Press" }, value },
    ],
  },
];

/** A message with one button, posted by the bot as an older card would have been. */
async function oldMessage(channel: string, actionId: string, value: string) {
  const posted = await slack.chat.postMessage({
    channel,
    text: "an old message",
    blocks: oneButton(actionId, value),
  });
  return String(posted.ts);
}

async function press(userId: string, channelId: string, messageTs: string, actionId: string) {
  const res = await e2e.driver.clickButton({ userId, channelId, messageTs, actionId });
  expect(res.status).toBe(200);
}

/** A message as the person reads it: its blocks, or its text where it has none. */
const shown = (m: StoredMessage) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

/** Waits for a private message to `user` in `channel` showing `text`; none in the channel. */
async function privately(channel: string, user: string, text: string): Promise<StoredMessage> {
  const notice = await eventually(
    () => e2e.double.ephemerals(channel, user).find((m) => shown(m).includes(text)),
    `a private "${text}"`,
  );
  expect(e2e.double.messages(channel).some((m) => shown(m).includes(text))).toBe(false);
  return notice;
}

describe("card buttons", () => {
  it("says privately that a button for a thread this database never had is out of date", async () => {
    const ts = await oldMessage(
      CHANNELS.service,
      THREAD_ACTION_IDS.claim,
      encodeThreadAction(randomUUID()),
    );
    await press(PEOPLE.bob, CHANNELS.service, ts, THREAD_ACTION_IDS.claim);
    await privately(CHANNELS.service, PEOPLE.bob, "This button is out of date");
  });

  it("claims without a word to the person who clicked, and refuses the next change privately", async () => {
    const { card, threadId } = await cardFor("my refund never came");
    await press(PEOPLE.alice, CHANNELS.service, card.ts, THREAD_ACTION_IDS.claim);
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "claimed");
    await press(PEOPLE.bob, CHANNELS.service, card.ts, THREAD_ACTION_IDS.resolve);
    // Bob's refusal names the owner (the card does too, so only his private messages count).
    await eventually(
      () =>
        e2e.double
          .ephemerals(CHANNELS.service, PEOPLE.bob)
          .find((m) => shown(m).includes(PEOPLE.alice)),
      "Bob's refusal",
    );
    expect((await threadRow(threadId))?.state).toBe("claimed");
    // Bob's refusal came after Alice's click was handled: she was told nothing.
    expect(e2e.double.ephemerals(CHANNELS.service, PEOPLE.alice)).toEqual([]);
  });

  it("names departments in the timeline as the workspace file does", async () => {
    const { card } = await cardFor("the lounge was closed");
    await press(PEOPLE.alice, CHANNELS.service, card.ts, THREAD_ACTION_IDS.timeline);
    const timeline = await privately(CHANNELS.service, PEOPLE.alice, "opened in Customer Service");
    expect(shown(timeline)).not.toContain("opened in service");
  });

  it("asks for another click when Slack was too slow to open the form", async () => {
    const { card } = await cardFor("nobody answers the phone");
    e2e.double.failNext("views.open", { error: "expired_trigger_id" });
    await press(PEOPLE.alice, CHANNELS.service, card.ts, THREAD_ACTION_IDS.handOver);
    await privately(CHANNELS.service, PEOPLE.alice, "Slack took too long to open the form");
  });

  it("says something went wrong when Slack refuses the form for another reason", async () => {
    const { card } = await cardFor("my seat was broken");
    e2e.double.failNext("views.open", { error: "invalid_arguments" });
    await press(PEOPLE.bob, CHANNELS.service, card.ts, THREAD_ACTION_IDS.dismiss);
    await privately(CHANNELS.service, PEOPLE.bob, "Something went wrong on our side");
  });
});

describe("the kind picker", () => {
  async function oldPicker(value: string) {
    const posted = await slack.chat.postMessage({
      channel: CHANNELS.service,
      text: "an old note",
      blocks: [
        {
          type: "actions",
          elements: [
            {
              type: "static_select",
              action_id: KIND_SELECT_ACTION_ID,
              placeholder: { type: "plain_text", text: "Kind" },
              options: [{ text: { type: "plain_text", text: "Praise" }, value }],
            },
          ],
        },
      ] as KnownBlock[],
    });
    return String(posted.ts);
  }

  it("says privately that a picker for a thread this database never had is out of date", async () => {
    for (const value of [encodeKindChoice("praise", randomUUID()), "kind:v0:praise"]) {
      const ts = await oldPicker(value);
      const before = e2e.double.ephemerals(CHANNELS.service, PEOPLE.alice).length;
      await e2e.driver.selectOption({
        userId: PEOPLE.alice,
        channelId: CHANNELS.service,
        messageTs: ts,
        actionId: KIND_SELECT_ACTION_ID,
        value,
      });
      await eventually(
        () => e2e.double.ephemerals(CHANNELS.service, PEOPLE.alice).length > before,
        "a private notice",
      );
      expect(e2e.double.ephemerals(CHANNELS.service, PEOPLE.alice).at(-1)?.text).toContain(
        "This picker is out of date",
      );
    }
  });

  it("changes the kind without a word to the person who picked it", async () => {
    const { threadId } = await cardFor("is the lounge open on Sundays");
    const value = encodeKindChoice("question", threadId);
    const ts = await oldPicker(value);
    await e2e.driver.selectOption({
      userId: PEOPLE.lead,
      channelId: CHANNELS.service,
      messageTs: ts,
      actionId: KIND_SELECT_ACTION_ID,
      value,
    });
    await eventually(async () => (await threadRow(threadId))?.kind === "question", "re-kinded");
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.service).find((m) => m.ts === ts),
      "the picker message",
    );
    expect(card).toBeDefined();
    expect(e2e.double.ephemerals(CHANNELS.service, PEOPLE.lead)).toEqual([]);
  });
});

describe("Home buttons", () => {
  /** Publishes a Home with one button for `user`, as an older Home would have had. */
  async function oldHome(user: string, actionId: string, value: string) {
    const published = await slack.views.publish({
      user_id: user,
      view: {
        type: "home",
        blocks: oneButton(actionId, value),
      },
    });
    return String(published.view?.id);
  }

  const homeText = (user: string) =>
    JSON.stringify(e2e.double.views.find((v) => v.type === "home" && v.userId === user)?.blocks);

  // One person per case, so no case waits on another's Home publish.
  it.each([
    [PEOPLE.bob, HOME_ACTION_IDS.retry, "retry:v1:not-a-number", "This button is out of date"],
    [PEOPLE.lead, HOME_ACTION_IDS.claim, "garbage", "This button is out of date"],
  ])("shows %s a note on the Home for a stale %s button", async (user, actionId, value, note) => {
    const viewId = await oldHome(user, actionId, value);
    await e2e.driver.clickButton({ userId: user, viewId, actionId });
    await eventually(() => homeText(user).includes(note), `the note "${note}"`);
  });

  it("says on the Home that a thread does not exist, and clears the note on Refresh", async () => {
    const user = PEOPLE.outsider;
    const resolve = await oldHome(user, HOME_ACTION_IDS.resolve, encodeThreadAction(randomUUID()));
    await e2e.driver.clickButton({
      userId: user,
      viewId: resolve,
      actionId: HOME_ACTION_IDS.resolve,
    });
    await eventually(() => homeText(user).includes("This thread no longer exists"), "the note");
    const refresh = await oldHome(user, HOME_ACTION_IDS.refresh, "refresh");
    await e2e.driver.clickButton({
      userId: user,
      viewId: refresh,
      actionId: HOME_ACTION_IDS.refresh,
    });
    await eventually(
      () => homeText(user).includes("Your threads") && !homeText(user).includes("home.notice"),
      "a Home without the note",
    );
  });

  it("resolves from the Home with the Resolve button", async () => {
    const { threadId, card } = await cardFor("my bag strap was torn");
    await press(PEOPLE.alice, CHANNELS.service, card.ts, THREAD_ACTION_IDS.claim);
    await eventually(async () => (await threadRow(threadId))?.owner === PEOPLE.alice, "claimed");
    const viewId = await oldHome(
      PEOPLE.alice,
      HOME_ACTION_IDS.resolve,
      encodeThreadAction(threadId),
    );
    await e2e.driver.clickButton({
      userId: PEOPLE.alice,
      viewId,
      actionId: HOME_ACTION_IDS.resolve,
    });
    await eventually(async () => (await threadRow(threadId))?.state === "resolved", "resolved");
  });
});

describe("slash commands", () => {
  const command = async (text: string, userId: string = PEOPLE.alice) => {
    const res = await e2e.driver.slashCommand({
      command: "/switchboard",
      text,
      userId,
      channelId: CHANNELS.service,
    });
    expect(res.status).toBe(200);
    const answer = e2e.double.ephemerals(CHANNELS.service, userId).at(-1);
    return answer ? shown(answer) : "";
  };

  it("answers help however it is typed, and names a word it does not know", async () => {
    for (const text of ["", "help", "  HELP  "]) {
      const help = await command(text);
      expect(help).toContain("/switchboard mine");
      expect(help).not.toMatch(/unknown|don't know|not a command/i);
    }
    const unknown = await command("  frobnicate  now ");
    expect(unknown).toContain("frobnicate");
    expect(unknown).toContain("/switchboard mine");
    expect(unknown).not.toContain("Did you mean");
    expect(await command("mien")).toContain(
      "I don't know `mien`. Did you mean `/switchboard mine`? Here is what I can do:",
    );
    expect(await command("campaign")).toContain("Did you mean `/switchboard campaigns`?");
    expect(
      e2e.double.messages(CHANNELS.service).some((m) => m.text.includes("/switchboard mine")),
    ).toBe(false);
  });

  it("says a subcommand takes no arguments, with the usage, instead of ignoring the words", async () => {
    for (const [text, userId] of [
      ["mine please", PEOPLE.alice],
      ["status now", PEOPLE.admin],
      ["Digest today", PEOPLE.admin],
      ["campaigns all", PEOPLE.alice],
    ] as const) {
      const [name, word] = text.split(" ");
      const answer = await command(text, userId);
      expect(answer).toContain(
        `\`/switchboard ${name?.toLowerCase()}\` takes no arguments (you wrote \`/switchboard ${name?.toLowerCase()} ${word}\`). Here is what I can do:`,
      );
      expect(answer).toContain("/switchboard retry");
    }
    // Not run: no status report, no digest.
    expect(await command("status now", PEOPLE.admin)).not.toContain("Slack delivery");
  });

  it("retries failed deliveries with a count, and says when there is nothing to retry", async () => {
    await e2e.db.db.update(outbox).set({ status: "delivered" }).where(eq(outbox.status, "failed"));
    expect(await command("retry all-failed", PEOPLE.admin)).toContain("No delivery has failed");
    const [a, b] = await e2e.db.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(eq(outbox.status, "delivered"))
      .limit(2);
    for (const row of [a, b]) {
      if (row)
        await e2e.db.db.update(outbox).set({ status: "failed" }).where(eq(outbox.id, row.id));
    }
    expect(await command("retry all-failed", PEOPLE.admin)).toContain("Queued 2 deliveries again");
  });

  it("retries a delivery written as status lists it (#12), and refuses two at once", async () => {
    const [row] = await e2e.db.db.select({ id: outbox.id }).from(outbox).limit(1);
    if (!row) throw new Error("no outbox row");
    await e2e.db.db.update(outbox).set({ status: "failed" }).where(eq(outbox.id, row.id));
    expect(await command(`retry #${row.id}`, PEOPLE.admin)).toContain("Queued 1 delivery again");
    expect(await command(`retry ${row.id} ${row.id}`, PEOPLE.admin)).toContain(
      "Say which delivery to retry",
    );
  });

  it("says there is no such delivery for an id too big to be one, as for an unknown id", async () => {
    for (const id of ["99999999999999999999", "#99999999999999999999", "9999999999", "0"]) {
      expect(await command(`retry ${id}`, PEOPLE.admin)).toContain(
        `There is no delivery #${id.replace("#", "")}; \`/switchboard status\` lists the failed ones with their ids.`,
      );
    }
  });

  it("lists someone's threads under their departments' names", async () => {
    const { card } = await cardFor("the wifi never worked");
    await press(PEOPLE.bob, CHANNELS.service, card.ts, THREAD_ACTION_IDS.claim);
    await eventually(async () => {
      const text = await command("mine", PEOPLE.bob);
      return text.includes("the wifi never worked") ? text : null;
    }, "Bob's list").then((text) => expect(text).toContain("Customer Service"));
  });
});

describe("campaign buttons", () => {
  it("says privately that buttons of a campaign this database never had are out of date", async () => {
    const gone = randomUUID();
    for (const actionId of [
      CAMPAIGN_ACTION_IDS.talkingPoints,
      CAMPAIGN_ACTION_IDS.edit,
      CAMPAIGN_ACTION_IDS.cancel,
    ]) {
      const ts = await oldMessage(MARKETING.channel, actionId, `campaign:v0:${gone}`);
      await press(MARKETING.marketer, MARKETING.channel, ts, actionId);
    }
    const acknowledge = await oldMessage(
      CHANNELS.service,
      CAMPAIGN_ACTION_IDS.acknowledge,
      encodeCampaignValue(gone),
    );
    await press(PEOPLE.alice, CHANNELS.service, acknowledge, CAMPAIGN_ACTION_IDS.acknowledge);
    await eventually(
      () => e2e.double.ephemerals(MARKETING.channel, MARKETING.marketer).length === 3,
      "three private notices",
    );
    for (const notice of e2e.double.ephemerals(MARKETING.channel, MARKETING.marketer)) {
      expect(notice.text).toContain("out of date");
    }
    await privately(CHANNELS.service, PEOPLE.alice, "out of date");
  });

  it("tells whoever acknowledges a campaign that does not exist, and cancelling twice", async () => {
    const gone = randomUUID();
    const ts = await oldMessage(
      CHANNELS.service,
      CAMPAIGN_ACTION_IDS.acknowledge,
      encodeCampaignValue(gone, "service"),
    );
    await press(PEOPLE.bob, CHANNELS.service, ts, CAMPAIGN_ACTION_IDS.acknowledge);
    await privately(CHANNELS.service, PEOPLE.bob, `No campaign ${gone}`);

    const launch = new Date(Date.now() + 5 * DAY);
    const created = await api(e2e.bot.url, "POST", "/api/v1/campaigns", campaignBody(launch));
    expect(created.status).toBe(201);
    const id = created.json.campaignId as string;
    expect((await api(e2e.bot.url, "POST", `/api/v1/campaigns/${id}/cancel`)).status).toBe(200);
    const cancel = await oldMessage(
      MARKETING.channel,
      CAMPAIGN_ACTION_IDS.cancel,
      encodeCampaignValue(id),
    );
    await press(MARKETING.marketer, MARKETING.channel, cancel, CAMPAIGN_ACTION_IDS.cancel);
    await privately(MARKETING.channel, MARKETING.marketer, "This campaign was already cancelled.");
  });
});

describe("the campaigns command", () => {
  it("lists upcoming and live campaigns, not ended ones", async () => {
    const launch = new Date(Date.now() + 5 * DAY);
    const body = (name: string) => campaignBody(launch, { name });
    await api(e2e.bot.url, "POST", "/api/v1/campaigns", body("Winter upgrade offer"));
    const ended = await api(e2e.bot.url, "POST", "/api/v1/campaigns", body("Autumn lounge pass"));
    // Moved into the past by hand: the API refuses an end that has passed.
    await e2e.db.db
      .update(campaigns)
      .set({ launchAt: new Date(Date.now() - 9 * DAY), endAt: new Date(Date.now() - 2 * DAY) })
      .where(eq(campaigns.id, ended.json.campaignId));
    await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "campaigns",
      userId: PEOPLE.alice,
      channelId: CHANNELS.service,
    });
    const list = shown(
      await eventually(
        () => e2e.double.ephemerals(CHANNELS.service, PEOPLE.alice).at(-1),
        "the list",
      ),
    );
    expect(list).toContain("Winter upgrade offer");
    expect(list).not.toContain("Autumn lounge pass");
  });
});

describe("forms submitted late", () => {
  it("asks for a fresh thread form when its hidden metadata is not ours", async () => {
    const view = buildDismissModal({ metadata: { threadId: randomUUID() }, excerpt: "old" });
    const opened = await slack.views.open({
      trigger_id: e2e.double.issueTriggerId(PEOPLE.alice),
      view: { ...view, private_metadata: "not json" },
    });
    const submitted = await e2e.driver.submitView({
      viewId: String(opened.view?.id),
      userId: PEOPLE.alice,
      values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: "spam" } },
    });
    expect(submitted.outcome).toMatchObject({ action: "errors", problems: [] });
    expect(submitted.outcome.errors?.[DISMISS_INPUTS.reason.blockId]).toBe(
      "This form is out of date; open it again from the card.",
    );
  });

  it("takes a thread form whose hidden metadata has a field this version does not know", async () => {
    // Opened by a newer replica during a rolling deploy, submitted to this one.
    const { threadId, card } = await cardFor("the lounge door hit my bag");
    const thread = await threadRow(threadId);
    const view = buildDismissModal({ metadata: { threadId }, excerpt: "the lounge door" });
    const newer = { threadId, department: thread?.department, handOvers: 0, openedFrom: "home" };
    const opened = await slack.views.open({
      trigger_id: e2e.double.issueTriggerId(PEOPLE.alice),
      view: { ...view, private_metadata: JSON.stringify(newer) },
    });
    const submitted = await e2e.driver.submitView({
      viewId: String(opened.view?.id),
      userId: PEOPLE.alice,
      values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: "spam" } },
    });
    expect(submitted.outcome).toMatchObject({ action: "closed", problems: [] });
    await eventually(
      () =>
        JSON.stringify(
          e2e.double.messages(CHANNELS.service).find((m) => m.ts === card.ts)?.blocks,
        ).includes(THREAD_ACTION_IDS.reopen),
      "the card to offer Reopen",
    );
  });

  it("takes a campaign edit whose hidden metadata has a field this version does not know", async () => {
    const launch = new Date(Date.now() + 5 * DAY);
    const created = await api(e2e.bot.url, "POST", "/api/v1/campaigns", campaignBody(launch));
    const initial = parseCampaignInput(campaignBody(launch), campaignWorkspace(), new Date());
    const view = buildCampaignModal({
      mode: "edit",
      departments: campaignWorkspace().departments,
      metadata: { campaignId: created.json.campaignId },
      initial,
      linkTailMs: 0,
    });
    const newer = { campaignId: created.json.campaignId, revision: 3 };
    const opened = await slack.views.open({
      trigger_id: e2e.double.issueTriggerId(MARKETING.marketer),
      view: { ...view, private_metadata: JSON.stringify(newer) },
    });
    const submitted = await e2e.driver.submitView({
      viewId: String(opened.view?.id),
      userId: MARKETING.marketer,
    });
    expect(submitted.outcome).toMatchObject({ action: "updated", problems: [] });
    expect(e2e.double.view(String(opened.view?.id))?.title).toMatchObject({
      text: "Campaign saved",
    });
  });

  it("answers a campaign edit inside the form when it is out of date or the campaign was cancelled", async () => {
    const launch = new Date(Date.now() + 5 * DAY);
    const created = await api(e2e.bot.url, "POST", "/api/v1/campaigns", campaignBody(launch));
    const id = created.json.campaignId as string;
    await api(e2e.bot.url, "POST", `/api/v1/campaigns/${id}/cancel`);
    const initial = parseCampaignInput(campaignBody(launch), campaignWorkspace(), new Date());
    const cases = [
      [{}, "This form is out of date; open it again from the campaign card."],
      [{ campaignId: id }, "This campaign was cancelled."],
    ] as const;
    for (const [metadata, message] of cases) {
      const opened = await slack.views.open({
        trigger_id: e2e.double.issueTriggerId(MARKETING.marketer),
        view: buildCampaignModal({
          mode: "edit",
          departments: campaignWorkspace().departments,
          metadata,
          initial,
          linkTailMs: 0,
        }),
      });
      const submitted = await e2e.driver.submitView({
        viewId: String(opened.view?.id),
        userId: MARKETING.marketer,
      });
      expect(submitted.outcome).toMatchObject({ action: "errors", problems: [] });
      expect(submitted.outcome.errors?.[CAMPAIGN_INPUTS.name.blockId]).toBe(message);
    }
  });
});
