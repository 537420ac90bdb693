import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OUTBOX_EVENT_TYPE, type PostedItem, postOnce } from "../../src/slack/post-once.ts";
import { type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";
import { quietLogger } from "../helpers/quiet-logger.ts";

/*
 * postOnce against the Slack double through the real @slack/web-api client: a retried post
 * looks for what an earlier try sent (by the outbox id in its metadata) before posting, and
 * what Slack then shows is one message per item.
 */

const TOKEN = "xoxb-post-once";
let double: SlackDouble;
let slack: WebClient;

beforeEach(async () => {
  double = await startSlackDouble({
    botToken: TOKEN,
    channels: [
      { id: "C0SUPPORT", name: "support" },
      { id: "C0REFUNDS", name: "refunds" },
      { id: "G0VIPDESK", name: "vip-desk", isPrivate: true },
    ],
    // Hundreds of messages in a moment, to page through them; limits are not the point here.
    rateLimits: { postMessagePerChannel: { burst: 1000, perSecond: 1000 }, perMinuteFactor: 1000 },
  });
  slack = new WebClient(TOKEN, {
    slackApiUrl: double.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quietLogger,
  });
});
afterEach(() => double.stop());

/** An outbox item queued a second ago, on its `attempts`-th try. */
const item = (id: number, attempts: number): PostedItem => ({
  id,
  attempts,
  createdAt: new Date(Date.now() - 1000),
});
const shown = (channel: string) => double.messages(channel).map((m) => m.text);
const calls = (method: string) => double.callsTo(method).length;

async function othersIn(channel: string, count: number, threadTs?: string) {
  for (let i = 0; i < count; i++) {
    await slack.chat.postMessage({
      channel,
      text: `other ${i}`,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }
}

describe("postOnce", () => {
  it("posts on the first try with the item's id as metadata, without reading history", async () => {
    const posted = await postOnce(slack, item(7, 1), { channel: "C0SUPPORT", text: "the card" });
    expect(shown("C0SUPPORT")).toEqual(["the card"]);
    const [message] = double.messages("C0SUPPORT");
    expect(posted).toEqual({ ts: message?.ts, channel: "C0SUPPORT" });
    expect(message?.metadata).toEqual({
      event_type: OUTBOX_EVENT_TYPE,
      event_payload: { outbox_id: "7" },
    });
    expect(calls("conversations.history")).toBe(0);
  });

  it("on a retry finds the message an earlier try sent, pages past 250 later ones, posts nothing", async () => {
    const first = await postOnce(slack, item(8, 1), { channel: "C0SUPPORT", text: "the card" });
    await othersIn("C0SUPPORT", 250);
    const again = await postOnce(slack, item(8, 2), { channel: "C0SUPPORT", text: "the card" });
    expect(again).toEqual(first);
    expect(shown("C0SUPPORT").filter((t) => t === "the card")).toHaveLength(1);
    expect(calls("conversations.history")).toBe(2); // 200 a page: found on the second
  });

  it("on a retry posts when no earlier try reached Slack, even with other items' posts there", async () => {
    await postOnce(slack, item(9, 1), { channel: "C0SUPPORT", text: "another item" });
    const posted = await postOnce(slack, item(10, 3), { channel: "C0SUPPORT", text: "the card" });
    expect(shown("C0SUPPORT")).toEqual(["another item", "the card"]);
    expect(double.messages("C0SUPPORT").at(-1)?.ts).toBe(posted.ts);
    expect(calls("conversations.history")).toBe(1); // one page held everything since
  });

  it("posts when Slack will not let it read the channel (installed without the history scopes)", async () => {
    await postOnce(slack, item(17, 1), { channel: "C0SUPPORT", text: "the card" });
    double.failNext("conversations.history", { error: "missing_scope" });
    await postOnce(slack, item(17, 2), { channel: "C0SUPPORT", text: "the card" });
    // The one duplicate the README names for an app without channels:history.
    expect(shown("C0SUPPORT")).toEqual(["the card", "the card"]);
  });

  it("looks up a channel given by name, once per name", async () => {
    const first = await postOnce(slack, item(11, 1), { channel: "#refunds", text: "by name" });
    expect(first.channel).toBe("C0REFUNDS");
    expect(await postOnce(slack, item(11, 2), { channel: "#refunds", text: "by name" })).toEqual(
      first,
    );
    await postOnce(slack, item(12, 2), { channel: "#refunds", text: "second by name" });
    expect(shown("C0REFUNDS")).toEqual(["by name", "second by name"]);
    expect(calls("conversations.list")).toBe(1);
  });

  it("finds a private channel given by name (Slack lists only public ones unless asked)", async () => {
    const first = await postOnce(slack, item(21, 1), { channel: "#vip-desk", text: "private" });
    expect(await postOnce(slack, item(21, 2), { channel: "#vip-desk", text: "private" })).toEqual(
      first,
    );
    expect(shown("G0VIPDESK")).toEqual(["private"]);
  });

  it("pages through more than 1,000 channels to find one by name", async () => {
    const many = await startSlackDouble({
      botToken: TOKEN,
      channels: [
        ...Array.from({ length: 1_000 }, (_, i) => ({ id: `C1${i}X`, name: `team-${i}` })),
        { id: "C0LASTONE", name: "last-one" },
      ],
    });
    try {
      const client = new WebClient(TOKEN, { slackApiUrl: many.apiUrl, logger: quietLogger });
      const first = await postOnce(client, item(22, 1), { channel: "#last-one", text: "card" });
      expect(await postOnce(client, item(22, 2), { channel: "#last-one", text: "card" })).toEqual(
        first,
      );
      expect(many.messages("C0LASTONE").map((m) => m.text)).toEqual(["card"]);
      expect(many.callsTo("conversations.list")).toHaveLength(2); // 999 a page
    } finally {
      await many.stop();
    }
  });

  it("gives up looking after ten pages (2,000 later messages) and posts again", async () => {
    await postOnce(slack, item(23, 1), { channel: "C0SUPPORT", text: "the card" });
    await othersIn("C0SUPPORT", 2_000);
    await postOnce(slack, item(23, 2), { channel: "C0SUPPORT", text: "the card" });
    // The window the README names: this many messages since, and the retry cannot tell.
    expect(shown("C0SUPPORT").filter((t) => t === "the card")).toHaveLength(2);
    expect(calls("conversations.history")).toBe(10);
  });

  it("looks in the card's thread for a reply", async () => {
    const card = await postOnce(slack, item(13, 1), { channel: "C0SUPPORT", text: "card" });
    const reply = { channel: "C0SUPPORT", text: "a nudge", thread_ts: card.ts };
    const first = await postOnce(slack, item(14, 1), reply);
    await othersIn("C0SUPPORT", 3, card.ts);
    expect(await postOnce(slack, item(14, 2), reply)).toEqual(first);
    const nudges = double.messages("C0SUPPORT").filter((m) => m.text === "a nudge");
    expect(nudges.map((m) => m.threadTs)).toEqual([card.ts]);
    expect(calls("conversations.replies")).toBe(1);
  });

  it("posts when the channel cannot be found by name: the post then says what is wrong", async () => {
    await expect(
      postOnce(slack, item(15, 2), { channel: "#nowhere", text: "lost" }),
    ).rejects.toMatchObject({ data: { error: "channel_not_found" } });
    expect(calls("conversations.history")).toBe(0);
    expect(calls("chat.postMessage")).toBe(1);
  });

  it("fails the try, posting nothing, when Slack rate-limits the lookup", async () => {
    await postOnce(slack, item(16, 1), { channel: "C0SUPPORT", text: "the card" });
    double.failNext("conversations.history", { retryAfter: 5 });
    await expect(
      postOnce(slack, item(16, 2), { channel: "C0SUPPORT", text: "the card" }),
    ).rejects.toMatchObject({ retryAfter: 5 });
    expect(shown("C0SUPPORT")).toEqual(["the card"]);
  });
});
