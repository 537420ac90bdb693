import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel, verifySlackRequest } from "@slack/bolt";
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";
import { driveReportApp, registerReportApp } from "../helpers/bolt-report-app.ts";
import { quietLogger } from "../helpers/quiet-logger.ts";

const TOKEN = "xoxb-test-token";
const SECRET = "test-signing-secret";

let clock = 1_700_000_000_000;
let double: SlackDouble;

function client(token: string | null = TOKEN): WebClient {
  return new WebClient(token ?? undefined, {
    slackApiUrl: double.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quietLogger,
  });
}

/** Resolves with the platform error's data, failing when the call succeeds or fails otherwise. */
async function platformError(call: Promise<unknown>, error: string) {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebAPIPlatformError);
  const data = (err as WebAPIPlatformError).data;
  expect(data.error).toBe(error);
  return data;
}

/** The block pointers named in an invalid_blocks / invalid_arguments answer. */
function pointers(data: { response_metadata?: { messages?: string[] } }): string {
  return (data.response_metadata?.messages ?? []).join("\n");
}

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

beforeEach(async () => {
  clock = 1_700_000_000_000;
  double = await startSlackDouble({
    now: () => clock,
    users: [
      { id: "U1", name: "ana", email: "ana@example.com", tz: "Europe/Paris" },
      { id: "U2", name: "bo" },
      { id: "U3", name: "cy" },
    ],
    channels: [
      { id: "C1", name: "general", members: ["U1", "U2"] },
      { id: "C2", name: "outside", members: ["U1"], botIsMember: false },
      { id: "C3", name: "old", isArchived: true },
    ],
    usergroups: [{ id: "S1", handle: "oncall", users: ["U1", "U2"] }],
  });
});

afterEach(async () => {
  await double.stop();
});

describe("tokens and methods", () => {
  it("answers not_authed, invalid_auth and auth.test like Slack", async () => {
    await platformError(client(null).auth.test(), "not_authed");
    await platformError(client("xoxb-wrong").auth.test(), "invalid_auth");
    const ok = await client().auth.test();
    expect(ok).toMatchObject({ ok: true, user_id: "U0BOT", bot_id: "B0BOT", team_id: "T0TEST" });
    await platformError(client().apiCall("no.such"), "unknown_method");
    expect(double.callsTo("auth.test").map((c) => c.response?.ok)).toEqual([false, false, true]);
  });
});

describe("channels and messages", () => {
  it("checks channels, membership, archive, threads and text", async () => {
    const web = client();
    await platformError(web.chat.postMessage({ channel: "C404", text: "x" }), "channel_not_found");
    await platformError(web.chat.postMessage({ channel: "C2", text: "x" }), "not_in_channel");
    await platformError(web.chat.postMessage({ channel: "C3", text: "x" }), "is_archived");
    await platformError(web.chat.postMessage({ channel: "C1" } as never), "no_text");
    await platformError(
      web.chat.postMessage({ channel: "C1", text: "x", thread_ts: "123.456" }),
      "thread_not_found",
    );
    clock += 5000; // refill the per-channel bucket the failed posts drew on
    const byName = await web.chat.postMessage({ channel: "#general", text: "a".repeat(40_010) });
    expect(byName.channel).toBe("C1");
    expect(double.messages("C1")[0]?.text).toHaveLength(40_000);
    const reply = await web.chat.postMessage({ channel: "C1", text: "r", thread_ts: byName.ts });
    expect(double.messages("C1")[1]).toMatchObject({ threadTs: byName.ts, user: "U0BOT" });
    expect(reply.message?.thread_ts).toBe(byName.ts);
  });

  it("updates only the bot's own messages, in place", async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: "C1", text: "v1" });
    const human = double.postUserMessage({ channelId: "C1", userId: "U1", text: "hi" });
    const ts = posted.ts as string;
    await platformError(
      web.chat.update({ channel: "C1", ts: "1.2", text: "x" }),
      "message_not_found",
    );
    await platformError(
      web.chat.update({ channel: "C1", ts: human.ts, text: "x" }),
      "cant_update_message",
    );
    await platformError(
      web.chat.update({ channel: "C1", ts, text: "x".repeat(4001) }),
      "msg_too_long",
    );
    await web.chat.update({ channel: "C1", ts, text: "v2", blocks: [section("*v2*")] });
    const stored = double.messages("C1").find((m) => m.ts === ts);
    expect(stored).toMatchObject({ text: "v2", updatedCount: 1 });
    expect(stored?.blocks[0]).toMatchObject({ type: "section", block_id: expect.any(String) });
  });

  it("leaves a deleted message with replies as Slack's placeholder, its thread still open", async () => {
    const web = client();
    const lone = (await web.chat.postMessage({ channel: "C1", text: "no replies" })).ts as string;
    const card = (await web.chat.postMessage({ channel: "C1", text: "card" })).ts as string;
    const reply = await web.chat.postMessage({ channel: "C1", text: "warning", thread_ts: card });
    expect(double.deleteMessage("C1", lone)).toBe(true);
    expect(double.deleteMessage("C1", card)).toBe(true);
    // Without replies it is gone; with them, "This message was deleted." stays, Slackbot's.
    await platformError(
      web.chat.getPermalink({ channel: "C1", message_ts: lone }),
      "message_not_found",
    );
    const thread = await web.conversations.replies({ channel: "C1", ts: card });
    expect(
      thread.messages?.map((m) => [(m as { subtype?: string }).subtype, m.user, m.text]),
    ).toEqual([
      ["tombstone", "USLACKBOT", "This message was deleted."],
      [undefined, double.config.botUserId, "warning"],
    ]);
    await web.chat.postMessage({ channel: "C1", text: "breach", thread_ts: card });
    expect(double.messages("C1").filter((m) => m.threadTs === card)).toHaveLength(2);
    await platformError(
      web.chat.update({ channel: "C1", ts: card, text: "x" }),
      "cant_update_message",
    );
    // A deleted reply leaves its parent's count.
    await web.chat.delete({ channel: "C1", ts: reply.ts as string });
    const history = await web.conversations.history({ channel: "C1" });
    expect(history.messages?.find((m) => m.ts === card)?.reply_count).toBe(1);
  });

  it("keeps message metadata, and reads history, threads and channels as Slack does", async () => {
    const web = client();
    const metadata = { event_type: "switchboard_outbox_item", event_payload: { id: "7" } };
    await platformError(
      web.chat.postMessage({
        channel: "C1",
        text: "x",
        metadata: { event_type: "no spaces" } as never,
      }),
      "invalid_metadata_format",
    );
    const parent = await web.chat.postMessage({ channel: "C1", text: "card", metadata });
    clock += 1000;
    await web.chat.postMessage({ channel: "C1", text: "reply", thread_ts: parent.ts, metadata });
    clock += 1000;
    const later = await web.chat.postMessage({ channel: "C1", text: "later" });
    // History: top-level only, newest first, metadata only when asked for, paged.
    const all = await web.conversations.history({ channel: "C1" });
    expect(all.messages?.map((m) => m.text)).toEqual(["later", "card"]);
    expect(all.messages?.[1]).not.toHaveProperty("metadata");
    const withMetadata = await web.conversations.history({
      channel: "C1",
      include_all_metadata: true,
      oldest: parent.ts,
      inclusive: true,
      limit: 1,
    });
    expect(withMetadata.messages?.map((m) => m.ts)).toEqual([later.ts]);
    const next = await web.conversations.history({
      channel: "C1",
      include_all_metadata: true,
      oldest: parent.ts,
      inclusive: true,
      limit: 1,
      cursor: withMetadata.response_metadata?.next_cursor as string,
    });
    expect(next.messages?.[0]).toMatchObject({ ts: parent.ts, metadata, reply_count: 1 });
    expect(next.has_more).toBe(false);
    // A thread: parent and replies, oldest first.
    const thread = await web.conversations.replies({ channel: "C1", ts: parent.ts as string });
    expect(thread.messages?.map((m) => m.text)).toEqual(["card", "reply"]);
    await platformError(
      web.conversations.replies({ channel: "C1", ts: "1.1" }),
      "thread_not_found",
    );
    // Only conversations the bot is in, by ID.
    await platformError(web.conversations.history({ channel: "C2" }), "not_in_channel");
    await platformError(web.conversations.history({ channel: "#general" }), "channel_not_found");
    const listed = await web.conversations.list({ types: "public_channel,private_channel" });
    expect(listed.channels?.map((c) => c.name)).toEqual(["general", "outside", "old"]);
    // Pages are "under 1000": 999 is the largest page conversations.list gives.
    await expect(web.conversations.list({ limit: 999 })).resolves.toMatchObject({ ok: true });
    await platformError(web.conversations.list({ limit: 1000 }), "invalid_limit");
  });

  it("handles ephemerals, DMs, members, users and groups", async () => {
    const web = client();
    await platformError(
      web.chat.postEphemeral({ channel: "C1", user: "U3", text: "x" }),
      "user_not_in_channel",
    );
    await web.chat.postEphemeral({ channel: "C1", user: "U1", text: "psst" });
    expect(double.ephemerals("C1", "U1")[0]?.text).toBe("psst");
    const im = await web.conversations.open({ users: "U2" });
    const dm = im.channel?.id as string;
    expect(dm).toMatch(/^D/);
    await web.chat.postMessage({ channel: dm, text: "hello" });
    expect(double.messages(dm)).toHaveLength(1);
    const page1 = await web.conversations.members({ channel: "C1", limit: 2 });
    expect(page1.members).toEqual(["U1", "U2"]);
    const cursor = page1.response_metadata?.next_cursor as string;
    const page2 = await web.conversations.members({ channel: "C1", limit: 2, cursor });
    expect(page2.members).toEqual(["U0BOT"]);
    const byEmail = await web.users.lookupByEmail({ email: "ANA@example.com" });
    expect(byEmail.user?.id).toBe("U1");
    await platformError(web.usergroups.users.list({ usergroup: "S9" }), "no_such_subteam");
    await web.reactions.add({
      channel: dm,
      timestamp: double.messages(dm)[0]?.ts ?? "",
      name: "eyes",
    });
    await platformError(
      web.reactions.add({ channel: dm, timestamp: double.messages(dm)[0]?.ts ?? "", name: "eyes" }),
      "already_reacted",
    );
  });
});

describe("Block Kit limits", () => {
  const cases: Array<[string, unknown[], string]> = [
    ["section text over 3000", [section("x".repeat(3001))], "/blocks/0/text/text"],
    ["more than 50 blocks", Array.from({ length: 51 }, () => ({ type: "divider" })), "/blocks"],
    [
      "duplicate block_id",
      [
        { type: "divider", block_id: "a" },
        { type: "divider", block_id: "a" },
      ],
      "/blocks/1/block_id",
    ],
    [
      "header over 150",
      [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }],
      "/blocks/0/text/text",
    ],
    [
      "button text over 75",
      [
        {
          type: "actions",
          elements: [
            { type: "button", text: { type: "plain_text", text: "b".repeat(76) }, action_id: "go" },
          ],
        },
      ],
      "/blocks/0/elements/0/text/text",
    ],
    [
      "duplicate action_id in a block",
      [
        {
          type: "actions",
          elements: [
            { type: "button", text: { type: "plain_text", text: "a" }, action_id: "go" },
            { type: "button", text: { type: "plain_text", text: "b" }, action_id: "go" },
          ],
        },
      ],
      "/blocks/0/elements/1/action_id",
    ],
    [
      "static_select over 100 options",
      [
        {
          type: "section",
          text: { type: "mrkdwn", text: "pick" },
          accessory: {
            type: "static_select",
            action_id: "pick",
            options: Array.from({ length: 101 }, (_, i) => ({
              text: { type: "plain_text", text: `o${i}` },
              value: `v${i}`,
            })),
          },
        },
      ],
      "/blocks/0/accessory/options",
    ],
    ["unknown block type", [{ type: "sparkles" }], "/blocks/0/type"],
  ];

  it.each(cases)("rejects %s with invalid_blocks naming the path", async (_name, blocks, path) => {
    const data = await platformError(
      client().chat.postMessage({ channel: "C1", text: "t", blocks: blocks as never }),
      "invalid_blocks",
    );
    expect(pointers(data)).toContain(`[json-pointer:${path}]`);
  });

  it("rejects bad modals with invalid_arguments", async () => {
    const longTitle = {
      type: "modal",
      title: { type: "plain_text", text: "t".repeat(25) },
      blocks: [],
    };
    const data = await platformError(
      client().views.open({ trigger_id: double.issueTriggerId("U1"), view: longTitle as never }),
      "invalid_arguments",
    );
    expect(pointers(data)).toContain("/view/title/text");
    const noSubmit = {
      type: "modal",
      title: { type: "plain_text", text: "Report" },
      blocks: [
        {
          type: "input",
          label: { type: "plain_text", text: "L" },
          element: { type: "plain_text_input" },
        },
      ],
    };
    const data2 = await platformError(
      client().views.open({ trigger_id: double.issueTriggerId("U1"), view: noSubmit as never }),
      "invalid_arguments",
    );
    expect(pointers(data2)).toContain("submit");
  });
});

describe("views", () => {
  const modal = (title: string) => ({
    type: "modal" as const,
    callback_id: "cb",
    title: { type: "plain_text" as const, text: title },
    blocks: [section("hi")],
  });

  it("expires, exchanges and rejects trigger_ids", async () => {
    const web = client();
    const late = double.issueTriggerId("U1");
    clock += 3001;
    await platformError(
      web.views.open({ trigger_id: late, view: modal("A") }),
      "expired_trigger_id",
    );
    const fresh = double.issueTriggerId("U1");
    const opened = await web.views.open({ trigger_id: fresh, view: modal("A") });
    expect(double.view(opened.view?.id as string)).toMatchObject({
      callback_id: "cb",
      isOpen: true,
    });
    await platformError(
      web.views.open({ trigger_id: fresh, view: modal("B") }),
      "exchanged_trigger_id",
    );
    await platformError(
      web.views.open({ trigger_id: "1.2.nope", view: modal("B") }),
      "invalid_trigger_id",
    );
  });

  it("caps the push stack at 3 and checks update hashes", async () => {
    const web = client();
    const root = await web.views.open({
      trigger_id: double.issueTriggerId("U1"),
      view: modal("R"),
    });
    const rootId = root.view?.id as string;
    await web.views.push({ trigger_id: double.issueTriggerId("U1", rootId), view: modal("P1") });
    await web.views.push({ trigger_id: double.issueTriggerId("U1", rootId), view: modal("P2") });
    await platformError(
      web.views.push({ trigger_id: double.issueTriggerId("U1", rootId), view: modal("P3") }),
      "push_limit_reached",
    );
    await platformError(
      web.views.update({ view_id: rootId, hash: "stale", view: modal("R2") }),
      "hash_conflict",
    );
    await web.views.update({ view_id: rootId, hash: root.view?.hash as string, view: modal("R2") });
    expect(double.view(rootId)?.updatedCount).toBe(1);
    await web.views.publish({ user_id: "U1", view: { type: "home", blocks: [section("home")] } });
    expect(double.views.filter((v) => v.type === "home")).toHaveLength(1);
  });
});

describe("rate limits and faults", () => {
  it("lets a burst through, then answers 429 with an integer Retry-After", async () => {
    const web = client();
    for (let i = 0; i < 4; i += 1) await web.chat.postMessage({ channel: "C1", text: `m${i}` });
    const err = await web.chat
      .postMessage({ channel: "C1", text: "over" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebAPIRateLimitedError);
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(1);
    expect(double.calls.filter((c) => c.status === 429)).toHaveLength(1);
    clock += 1000;
    await expect(web.chat.postMessage({ channel: "C1", text: "later" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("applies optional per-method-per-minute limits", async () => {
    await double.stop();
    double = await startSlackDouble({
      now: () => clock,
      rateLimits: { perMethodPerMinute: { "auth.test": 2 } },
    });
    const web = client();
    await web.auth.test();
    clock += 10_000;
    await web.auth.test();
    const err = await web.auth.test().catch((e: unknown) => e);
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(50); // until the oldest call leaves the window
    clock += 50_000;
    await expect(web.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it("simulates outages and one-off faults", async () => {
    const web = client();
    double.setOutage(503);
    const http = await web.auth.test().catch((e: unknown) => e);
    expect(http).toBeInstanceOf(WebAPIHTTPError);
    expect((http as WebAPIHTTPError).statusCode).toBe(503);
    double.setOutage("network");
    await expect(web.auth.test()).rejects.toBeInstanceOf(WebAPIRequestError);
    double.setOutage(null);
    double.failNext("chat.postMessage", { retryAfter: 7 });
    const limited = await web.chat
      .postMessage({ channel: "C1", text: "x" })
      .catch((e: unknown) => e);
    expect((limited as WebAPIRateLimitedError).retryAfter).toBe(7);
    double.failNext("chat.postMessage", { error: "fatal_error" });
    await platformError(web.chat.postMessage({ channel: "C1", text: "x" }), "fatal_error");
    await expect(web.chat.postMessage({ channel: "C1", text: "x" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("serves the files upload v2 flow", async () => {
    const web = client();
    await web.files.uploadV2({
      channel_id: "C1",
      filename: "a.txt",
      content: "hello",
      initial_comment: "see",
    });
    expect(double.files[0]).toMatchObject({ filename: "a.txt", completed: true, channelId: "C1" });
    expect(double.files[0]?.bytes?.toString()).toBe("hello");
    expect(double.messages("C1")[0]).toMatchObject({ text: "see", files: [{ name: "a.txt" }] });
  });
});

describe("response_url", () => {
  it("allows 5 uses within 30 minutes and applies response types", async () => {
    const url = double.issueResponseUrl({ channelId: "C1", userId: "U1" });
    const post = (body: object) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post({ text: "only you" })).status).toBe(200);
    expect((await post({ text: "everyone", response_type: "in_channel" })).status).toBe(200);
    for (let i = 0; i < 3; i += 1) expect((await post({ text: `n${i}` })).status).toBe(200);
    expect((await post({ text: "sixth" })).status).toBe(404);
    expect(double.messages("C1").map((m) => m.text)).toEqual(["everyone"]);
    expect(double.ephemerals("C1", "U1")).toHaveLength(4);
    expect(double.responses.map((r) => r.effect).at(-1)).toBe("rejected");
    const old = double.issueResponseUrl({ channelId: "C1", userId: "U1" });
    clock += 30 * 60 * 1000 + 1;
    const expired = await fetch(old, { method: "POST", body: JSON.stringify({ text: "late" }) });
    expect(expired.status).toBe(404);
  });
});

describe("driver", () => {
  interface Captured {
    body: string;
    headers: Record<string, string | string[] | undefined>;
  }
  let receiver: Server;
  let captured: Captured[];
  /** What the receiver acks with, and how far the double's clock moves before it does. */
  let ack: { body?: unknown; clockMovesMs?: number };

  beforeEach(async () => {
    captured = [];
    ack = {};
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        captured.push({ body: Buffer.concat(chunks).toString(), headers: req.headers });
        clock += ack.clockMovesMs ?? 0;
        if (ack.body === undefined) res.writeHead(200).end();
        else
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(ack.body));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  });

  afterEach(async () => {
    await new Promise((r) => receiver.close(r));
  });

  const target = () => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/slack/events`;

  function verify(c: Captured): void {
    verifySlackRequest({
      signingSecret: SECRET,
      body: c.body,
      headers: {
        "x-slack-signature": String(c.headers["x-slack-signature"]),
        "x-slack-request-timestamp": Number(c.headers["x-slack-request-timestamp"]),
      },
    });
  }

  it("signs requests that Bolt's verifySlackRequest accepts, and bad/stale ones it rejects", async () => {
    const driver = double.driver(target(), SECRET);
    await driver.slashCommand({ command: "/sb", text: "hi", userId: "U1", channelId: "C1" });
    await driver.sendEvent({ type: "app_mention", user: "U1", text: "<@U0BOT>", channel: "C1" });
    await driver.sendEvent(
      { type: "app_mention", user: "U1", text: "x", channel: "C1" },
      { signature: "bad" },
    );
    await driver.sendEvent(
      { type: "app_mention", user: "U1", text: "x", channel: "C1" },
      { signature: "stale" },
    );
    await driver.urlVerification("chal", { signature: "missing" });
    const [command, event, bad, stale, missing] = captured as [
      Captured,
      Captured,
      Captured,
      Captured,
      Captured,
    ];
    expect(() => verify(command)).not.toThrow();
    expect(() => verify(event)).not.toThrow();
    expect(() => verify(bad)).toThrow(/signature mismatch/);
    expect(() => verify(stale)).toThrow(/stale/);
    expect(missing.headers["x-slack-signature"]).toBeUndefined();
    expect(command.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(new URLSearchParams(command.body).get("response_url")).toContain(
      `${double.url}/response/`,
    );
    expect(event.headers["content-type"]).toBe("application/json");
    expect(driver.requests.every((r) => r.status === 200 && !r.late)).toBe(true);
  });

  it("builds block_actions from the stored message", async () => {
    const options = ["low", "high"].map((v) => ({
      text: { type: "plain_text", text: v },
      value: v,
    }));
    const posted = await client().chat.postMessage({
      channel: "C1",
      text: "pick",
      blocks: [
        {
          type: "actions",
          block_id: "b1",
          elements: [{ type: "static_select", action_id: "prio", options }],
        },
      ] as never,
    });
    const driver = double.driver(target(), SECRET);
    const sent = await driver.selectOption({
      userId: "U1",
      channelId: "C1",
      messageTs: posted.ts as string,
      actionId: "prio",
      value: "high",
    });
    const payload = JSON.parse(new URLSearchParams(captured[0]?.body).get("payload") ?? "{}");
    expect(payload).toMatchObject({
      type: "block_actions",
      container: { type: "message", channel_id: "C1", message_ts: posted.ts },
      channel: { id: "C1", name: "general" },
      message: { ts: posted.ts, bot_id: "B0BOT" },
      actions: [
        {
          type: "static_select",
          action_id: "prio",
          block_id: "b1",
          selected_option: { value: "high" },
        },
      ],
      state: {
        values: { b1: { prio: { type: "static_select", selected_option: { value: "high" } } } },
      },
    });
    expect(payload.response_url).toBe(sent.responseUrl);
    expect(() => verify(captured[0] as Captured)).not.toThrow();
  });

  it("shows a slash command's ack message only when it comes within 3 s, else operation_timeout", async () => {
    const driver = double.driver(target(), SECRET);
    ack = { body: { text: "on time" }, clockMovesMs: 3000 };
    const onTime = await driver.slashCommand({ command: "/sb", userId: "U1", channelId: "C1" });
    ack = { body: { text: "too late" }, clockMovesMs: 3001 };
    const late = await driver.slashCommand({ command: "/sb", userId: "U1", channelId: "C1" });
    expect([onTime.late, late.late]).toEqual([false, true]);
    expect(double.ephemerals("C1", "U1").map((m) => [m.user, m.text])).toEqual([
      ["U0BOT", "on time"],
      ["USLACKBOT", '/sb failed with the error "operation_timeout"'],
    ]);
    expect(driver.lateAcks.map((r) => r.kind)).toEqual(["slash_command"]);
  });

  it("ignores a view_submission's response_action that comes after 3 s: the modal stays as it was", async () => {
    const modal = (title: string) => ({
      type: "modal",
      title: { type: "plain_text", text: title },
      submit: { type: "plain_text", text: "Save" },
      blocks: [
        {
          type: "input",
          block_id: "b",
          label: { type: "plain_text", text: "Note" },
          element: { type: "plain_text_input", action_id: "a" },
        },
      ],
    });
    const opened = await client().views.open({
      trigger_id: double.issueTriggerId("U1"),
      view: modal("First") as never,
    });
    const viewId = opened.view?.id as string;
    const driver = double.driver(target(), SECRET);
    ack = { body: { response_action: "update", view: modal("Second") }, clockMovesMs: 3001 };
    const late = await driver.submitView({ viewId, userId: "U1", values: { b: { a: "x" } } });
    expect(late.outcome).toMatchObject({ action: "kept" });
    expect(double.view(viewId)).toMatchObject({ isOpen: true, title: { text: "First" } });
    ack = { body: { response_action: "update", view: modal("Second") }, clockMovesMs: 0 };
    await driver.submitView({ viewId, userId: "U1", values: { b: { a: "x" } } });
    expect(double.view(viewId)).toMatchObject({ isOpen: true, title: { text: "Second" } });
  });

  it("redelivers events with the same event_id and retry headers", async () => {
    const driver = double.driver(target(), SECRET);
    const first = await driver.sendEvent({
      type: "app_mention",
      user: "U1",
      text: "x",
      channel: "C1",
    });
    await driver.sendEvent(
      { type: "app_mention", user: "U1", text: "x", channel: "C1" },
      {
        eventId: first.eventId,
        retryNum: 1,
        retryReason: "http_timeout",
      },
    );
    const retried = captured[1] as Captured;
    expect(retried.headers["x-slack-retry-num"]).toBe("1");
    expect(retried.headers["x-slack-retry-reason"]).toBe("http_timeout");
    expect(JSON.parse(retried.body).event_id).toBe(first.eventId);
  });
});

describe("with a real Bolt app", () => {
  it("runs a slash command → modal → submission → button round trip", async () => {
    const app = new App({
      token: TOKEN,
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: double.apiUrl, retryConfig: { retries: 0 } },
    });
    registerReportApp(app);
    const server = (await app.start({ port: 0, host: "127.0.0.1" })) as Server;
    try {
      const port = (server.address() as AddressInfo).port;
      const driver = double.driver(`http://127.0.0.1:${port}/slack/events`, SECRET);
      await driveReportApp(double, driver);
      const bad = await driver.sendEvent(
        { type: "app_mention", user: "U1", text: "x", channel: "C1" },
        { signature: "bad" },
      );
      expect(bad.status).toBe(401);
    } finally {
      await app.stop();
    }
  });
});
