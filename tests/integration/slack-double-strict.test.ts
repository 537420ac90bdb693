import { WebAPIPlatformError, type WebAPIRateLimitedError, WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { METHODS } from "../../src/slack-double/api-router.ts";
import {
  appFromManifest,
  METHOD_PER_MINUTE,
  type SlackDouble,
  type SlackDoubleOptions,
  startSlackDouble,
} from "../../src/slack-double/index.ts";
import { quietLogger } from "../helpers/quiet-logger.ts";

/** The double is as strict as Slack where the bot could otherwise get away with something. */

let clock = 1_700_000_000_000;
let double: SlackDouble;

function client(token = double.config.botToken): WebClient {
  return new WebClient(token, {
    slackApiUrl: double.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quietLogger,
  });
}

async function errorOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => undefined,
    (e: unknown) => e,
  );
}

async function platformError(call: Promise<unknown>, error: string): Promise<string> {
  const err = await errorOf(call);
  expect(err).toBeInstanceOf(WebAPIPlatformError);
  const data = (err as WebAPIPlatformError).data;
  expect(data.error).toBe(error);
  return (data.response_metadata?.messages ?? []).join("\n");
}

async function start(options: SlackDoubleOptions = {}) {
  double = await startSlackDouble({
    now: () => clock,
    users: [
      { id: "U1", name: "ana" },
      { id: "U2", name: "bo" },
    ],
    channels: [
      { id: "C1", name: "general", members: ["U1", "U2"] },
      { id: "C2", name: "public-outside", members: ["U1"], botIsMember: false },
      { id: "G1", name: "private-outside", members: ["U1"], isPrivate: true, botIsMember: false },
      { id: "G2", name: "private-inside", members: ["U1"], isPrivate: true },
    ],
    usergroups: [{ id: "S1", handle: "oncall", users: ["U1"] }],
    ...options,
  });
}

beforeEach(async () => {
  clock = 1_700_000_000_000;
  await start();
});
afterEach(async () => {
  await double.stop();
});

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
const button = (extra: Record<string, unknown>) => ({
  type: "actions",
  elements: [
    { type: "button", action_id: "go", text: { type: "plain_text", text: "Go" }, ...extra },
  ],
});
const confirm = (overrides: Record<string, unknown>) => ({
  title: { type: "plain_text", text: "Sure?" },
  text: { type: "plain_text", text: "It cannot be undone." },
  confirm: { type: "plain_text", text: "Yes" },
  deny: { type: "plain_text", text: "No" },
  ...overrides,
});

describe("rate-limit tiers", () => {
  it("gives every method it serves a per-minute limit", () => {
    const missing = Object.keys(METHODS).filter((m) => METHOD_PER_MINUTE[m] === undefined);
    expect(missing).toEqual([]);
  });

  it("limits a Tier 2 method to 20 a minute, with Retry-After until the window frees", async () => {
    const web = client();
    for (let i = 0; i < 20; i += 1) await web.usergroups.users.list({ usergroup: "S1" });
    clock += 15_000;
    const err = await errorOf(web.usergroups.users.list({ usergroup: "S1" }));
    expect((err as WebAPIRateLimitedError).code).toBe("slack_webapi_rate_limited_error");
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(45);
    const refused = double.callsTo("usergroups.users.list").at(-1);
    expect(refused).toMatchObject({ status: 429, retryAfterS: 45 });
    clock += 45_000;
    await expect(web.usergroups.users.list({ usergroup: "S1" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("limits chat.postMessage workspace-wide as well as per channel", async () => {
    await double.stop();
    await start({ rateLimits: { postMessagePerChannel: { burst: 1000, perSecond: 1000 } } });
    const web = client();
    const limit = METHOD_PER_MINUTE["chat.postMessage"] ?? 0;
    for (let i = 0; i < limit; i += 1) {
      await web.chat.postMessage({ channel: i % 2 ? "C1" : "G2", text: `m${i}` });
    }
    const err = await errorOf(web.chat.postMessage({ channel: "C1", text: "one too many" }));
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(60);
  });

  it("scales every tier by perMinuteFactor, and changes one method's limit at run time", async () => {
    await double.stop();
    await start({ rateLimits: { perMinuteFactor: 2 } });
    const web = client();
    for (let i = 0; i < 40; i += 1) await web.usergroups.users.list({ usergroup: "S1" });
    await expect(errorOf(web.usergroups.users.list({ usergroup: "S1" }))).resolves.toMatchObject({
      code: "slack_webapi_rate_limited_error",
    });
    double.setRateLimit("views.publish", 0);
    const err = await errorOf(
      web.views.publish({
        user_id: "U1",
        view: { type: "home", blocks: [section("hi")] } as never,
      }),
    );
    expect((err as WebAPIRateLimitedError).retryAfter).toBe(60);
    double.setRateLimit("views.publish", undefined);
    await expect(
      web.views.publish({
        user_id: "U1",
        view: { type: "home", blocks: [section("hi")] } as never,
      }),
    ).resolves.toMatchObject({ ok: true });
  });
});

describe("Block Kit strictness", () => {
  const cases: Array<[string, unknown[], string]> = [
    ["a confirm without deny", [button({ confirm: confirm({ deny: undefined }) })], "/confirm"],
    [
      "a confirm title over 100",
      [button({ confirm: confirm({ title: { type: "plain_text", text: "t".repeat(101) } }) })],
      "/confirm/title/text",
    ],
    [
      "a confirm text over 300",
      [button({ confirm: confirm({ text: { type: "plain_text", text: "t".repeat(301) } }) })],
      "/confirm/text/text",
    ],
    [
      "a mrkdwn confirm button",
      [button({ confirm: confirm({ confirm: { type: "mrkdwn", text: "Yes" } }) })],
      "/confirm/confirm/type",
    ],
    [
      "a confirm deny over 30",
      [button({ confirm: confirm({ deny: { type: "plain_text", text: "d".repeat(31) } }) })],
      "/confirm/deny/text",
    ],
    ["a confirm style of green", [button({ confirm: confirm({ style: "green" }) })], "/style"],
    ["an unknown confirm property", [button({ confirm: confirm({ colour: "red" }) })], "/colour"],
    ["an unknown block property", [{ ...section("x"), acessory: {} }], "/blocks/0/acessory"],
    ["an unknown element property", [button({ tooltip: "x" })], "/blocks/0/elements/0/tooltip"],
    [
      "verbatim on plain_text",
      [{ type: "header", text: { type: "plain_text", text: "h", verbatim: true } }],
      "/blocks/0/text/verbatim",
    ],
    [
      "an unknown option property",
      [
        {
          type: "actions",
          elements: [
            {
              type: "overflow",
              action_id: "more",
              options: [{ text: { type: "plain_text", text: "a" }, value: "a", selected: true }],
            },
          ],
        },
      ],
      "/blocks/0/elements/0/options/0/selected",
    ],
  ];

  const opt = (value: string, text = value, extra: Record<string, unknown> = {}) => ({
    text: { type: "plain_text", text },
    value,
    ...extra,
  });
  const overflow = (options: unknown[]) => ({
    type: "actions",
    elements: [{ type: "overflow", action_id: "more", options }],
  });
  const select = (extra: Record<string, unknown>) => ({
    type: "actions",
    elements: [
      { type: "static_select", action_id: "pick", options: [opt("a", "Apple")], ...extra },
    ],
  });
  cases.push(
    ["an overflow menu of one option", [overflow([opt("a")])], "/blocks/0/elements/0/options"],
    [
      "an overflow menu of six options",
      [overflow(["a", "b", "c", "d", "e", "f"].map((v) => opt(v)))],
      "/blocks/0/elements/0/options",
    ],
    [
      "a url on a select's option",
      [select({ options: [opt("a", "Apple", { url: "https://example.com" })] })],
      "/blocks/0/elements/0/options/0/url",
    ],
    [
      "an initial option with the right value but another text",
      [select({ initial_option: opt("a", "Apricot") })],
      "/blocks/0/elements/0/initial_option",
    ],
    [
      "initial checkbox options with another text",
      [
        {
          type: "actions",
          elements: [
            {
              type: "checkboxes",
              action_id: "tick",
              options: [opt("a", "Apple"), opt("b", "Banana")],
              initial_options: [opt("a", "Apple"), opt("b", "Bananas")],
            },
          ],
        },
      ],
      "/blocks/0/elements/0/initial_options/1",
    ],
  );

  it("accepts 2 to 5 overflow options with links, and an initial option exactly as listed", async () => {
    const blocks = [
      overflow([opt("a"), opt("b", "Docs", { url: "https://example.com/docs" })]),
      select({ initial_option: opt("a", "Apple") }),
    ];
    await expect(
      client().chat.postMessage({ channel: "C1", text: "t", blocks: blocks as never }),
    ).resolves.toMatchObject({ ok: true });
  });

  it.each(cases)("answers invalid_blocks for %s", async (_name, blocks, path) => {
    const messages = await platformError(
      client().chat.postMessage({ channel: "C1", text: "t", blocks: blocks as never }),
      "invalid_blocks",
    );
    expect(messages).toContain(path);
    expect(double.messages("C1")).toHaveLength(0);
  });

  it("accepts a well-formed confirm dialog", async () => {
    await expect(
      client().chat.postMessage({
        channel: "C1",
        text: "t",
        blocks: [button({ confirm: confirm({ style: "danger" }) })] as never,
      }),
    ).resolves.toMatchObject({ ok: true });
  });
});

describe("channels the bot cannot see or is not in", () => {
  it("lists members of a public channel it is not in, but not of a private one", async () => {
    const web = client();
    const open = await web.conversations.members({ channel: "C2" });
    expect(open.members).toEqual(["U1"]);
    await platformError(web.conversations.members({ channel: "G1" }), "channel_not_found");
    await platformError(web.conversations.info({ channel: "G1" }), "channel_not_found");
    const inside = await web.conversations.members({ channel: "G2" });
    expect(inside.members).toContain("U0BOT");
  });

  it("refuses chat.update once the bot has left: not_in_channel, or channel_not_found when private", async () => {
    const web = client();
    const pub = await web.chat.postMessage({ channel: "C1", text: "v1" });
    const priv = await web.chat.postMessage({ channel: "G2", text: "v1" });
    double.removeMember("C1", double.config.botUserId);
    double.removeMember("G2", double.config.botUserId);
    await platformError(
      web.chat.update({ channel: "C1", ts: pub.ts as string, text: "v2" }),
      "not_in_channel",
    );
    await platformError(
      web.chat.update({ channel: "G2", ts: priv.ts as string, text: "v2" }),
      "channel_not_found",
    );
    await platformError(
      web.chat.getPermalink({ channel: "G2", message_ts: priv.ts as string }),
      "channel_not_found",
    );
    expect(double.messages("C1")[0]?.text).toBe("v1");
  });
});

describe("scopes and the Home tab", () => {
  it("answers missing_scope, naming the scope needed and those granted, for a call the token may not make", async () => {
    await double.stop();
    await start({ botScopes: ["chat:write", "channels:read", "channels:history"] });
    const web = client();
    const posted = await web.chat.postMessage({ channel: "C1", text: "card" });
    expect(posted.response_metadata?.scopes).toEqual([
      "chat:write",
      "channels:read",
      "channels:history",
    ]);
    // Public channel: channels:*; private channel: groups:*, which this token lacks.
    await expect(web.conversations.history({ channel: "C1" })).resolves.toMatchObject({ ok: true });
    const err = await errorOf(web.conversations.history({ channel: "G2" }));
    expect((err as WebAPIPlatformError).data).toMatchObject({
      error: "missing_scope",
      needed: "groups:history",
      provided: "chat:write,channels:read,channels:history",
    });
    await platformError(web.conversations.members({ channel: "G2" }), "missing_scope");
    await platformError(
      web.conversations.list({ types: "public_channel,private_channel" }),
      "missing_scope",
    );
    await platformError(web.conversations.open({ users: "U1" }), "missing_scope");
    await platformError(web.usergroups.users.list({ usergroup: "S1" }), "missing_scope");
    await platformError(web.users.info({ user: "U1" }), "missing_scope");
    // Methods that need no scope still work.
    await expect(
      web.chat.getPermalink({ channel: "C1", message_ts: posted.ts as string }),
    ).resolves.toMatchObject({ ok: true });
    expect(double.messages("C1").map((m) => m.text)).toEqual(["card"]);
  });

  it("refuses views.publish with not_enabled for an app without a Home tab", async () => {
    const view = { type: "home", blocks: [section("home")] } as never;
    await expect(client().views.publish({ user_id: "U1", view })).resolves.toMatchObject({
      ok: true,
    });
    await double.stop();
    await start({ homeTabEnabled: false });
    await platformError(client().views.publish({ user_id: "U1", view }), "not_enabled");
  });
});

describe("what Slack sends the app at all", () => {
  /** Nothing listens here: every request below is refused before the driver sends it. */
  const nowhere = "http://127.0.0.1:9/slack/events";

  it("sends only the events, slash commands and interactions the app's manifest asks for", async () => {
    await double.stop();
    await start(appFromManifest("manifests/switchboard.http.yaml"));
    const driver = double.driver(nowhere, "secret");
    await expect(
      driver.sendEvent({ type: "app_mention", user: "U1", text: "<@U0BOT>", channel: "C1" }),
    ).rejects.toThrow(
      "Slack would not send a app_mention event: the app's manifest does not subscribe to it",
    );
    await expect(
      driver.slashCommand({ command: "/other", userId: "U1", channelId: "C1" }),
    ).rejects.toThrow("Slack would not send /other: the app's manifest does not declare it");
    // A person's message is posted all the same; only its event stays with Slack.
    const posted = await driver.userMessage({ channelId: "C1", userId: "U1", text: "hello" });
    expect(posted).toMatchObject({
      notDelivered: expect.stringContaining("Slack would not send a message.channels event"),
    });
    expect(double.messages("C1").map((m) => [m.user, m.text])).toEqual([["U1", "hello"]]);
    expect(driver.requests).toEqual([]);
  });

  it("sends no interactions when interactivity is off, and no message events from where the bot is not", async () => {
    await double.stop();
    await start({ interactivityEnabled: false });
    const card = await client().chat.postMessage({
      channel: "C1",
      text: "card",
      blocks: [button({})] as never,
    });
    const driver = double.driver(nowhere, "secret");
    await expect(
      driver.clickButton({
        userId: "U1",
        channelId: "C1",
        messageTs: card.ts as string,
        actionId: "go",
      }),
    ).rejects.toThrow(
      "Slack would not send interactions: the app's manifest leaves interactivity off",
    );
    const outside = await driver.userMessage({ channelId: "C2", userId: "U1", text: "hi" });
    expect(outside).toMatchObject({
      notDelivered: "Slack would not send a message.channels event from C2: the bot is not in it",
    });
    expect(driver.requests).toEqual([]);
  });
});

describe("what people can do in Slack", () => {
  const nowhere = "http://127.0.0.1:9/slack/events";

  it("sends nothing from a deactivated account, and no clicks or commands from where a person cannot see", async () => {
    const card = await client().chat.postMessage({
      channel: "G2",
      text: "card",
      blocks: [button({})] as never,
    });
    const driver = double.driver(nowhere, "secret");
    const click = (userId: string) =>
      driver.clickButton({ userId, channelId: "G2", messageTs: card.ts as string, actionId: "go" });
    // G2 is private: U1 is in it, U2 is not.
    await expect(click("U2")).rejects.toThrow(
      "U2 cannot see G2: it is private and they are not in it",
    );
    await expect(
      driver.slashCommand({ command: "/sb", userId: "U2", channelId: "G1" }),
    ).rejects.toThrow("U2 cannot see G1");
    await expect(
      driver.userMessage({ channelId: "G2", userId: "U2", text: "let me in" }),
    ).rejects.toThrow("U2 cannot see G2");
    double.deactivateUser("U1");
    const signedOut = "Slack would send nothing from U1: their account is deactivated";
    await expect(click("U1")).rejects.toThrow(signedOut);
    await expect(
      driver.slashCommand({ command: "/sb", userId: "U1", channelId: "C1" }),
    ).rejects.toThrow(signedOut);
    await expect(driver.appHomeOpened({ userId: "U1" })).rejects.toThrow(signedOut);
    expect(driver.requests).toEqual([]);
    expect(double.messages("G2").map((m) => m.text)).toEqual(["card"]);
  });
});

describe("deactivated accounts", () => {
  it("shows a deactivated member as Slack does: deleted, without a time zone, their DM marked", async () => {
    const web = client();
    const dm = await web.conversations.open({ users: "U1" });
    const active = await web.users.info({ user: "U1" });
    expect(active.user).toMatchObject({ deleted: false, tz: "UTC", real_name: "ana" });
    double.deactivateUser("U1");
    const gone = await web.users.info({ user: "U1" });
    expect(gone.user).toMatchObject({ id: "U1", deleted: true });
    for (const field of ["tz", "tz_label", "tz_offset", "real_name", "is_admin"])
      expect(gone.user).not.toHaveProperty(field);
    const info = await web.conversations.info({ channel: dm.channel?.id as string });
    expect(info.channel).toMatchObject({ is_im: true, user: "U1", is_user_deleted: true });
    await platformError(web.conversations.open({ users: "U1" }), "user_disabled");
  });
});

describe("text fallbacks", () => {
  it("accepts blocks without text, as Slack does, but records the problem", async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: "C1", blocks: [section("x")] as never });
    await web.chat.update({
      channel: "C1",
      ts: posted.ts as string,
      text: " ",
      blocks: [section("y")] as never,
    });
    await web.chat.postMessage({ channel: "C1", text: "fine", blocks: [section("z")] as never });
    const url = double.issueResponseUrl({ channelId: "C1", userId: "U1" });
    await fetch(url, { method: "POST", body: JSON.stringify({ blocks: [section("r")] }) });
    expect(double.problems).toEqual([
      expect.stringMatching(/^chat\.postMessage to C1: blocks without a top-level text/),
      expect.stringMatching(/^chat\.update of C1\/.*: blocks without a top-level text/),
      expect.stringMatching(/^response_url .*: blocks without a top-level text/),
    ]);
  });
});

describe("tokens", () => {
  it("takes the app-level token only for apps.connections.open", async () => {
    await platformError(client().apps.connections.open({}), "not_allowed_token_type");
    const app = client(double.config.appToken);
    await platformError(
      app.chat.postMessage({ channel: "C1", text: "x" }),
      "not_allowed_token_type",
    );
    await platformError(client("xapp-unknown").apps.connections.open({}), "invalid_auth");
    const opened = await app.apps.connections.open({});
    expect(opened.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f]+&app_id=A0APP$/);
  });
});
