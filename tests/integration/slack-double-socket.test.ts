import { App, SocketModeReceiver } from "@slack/bolt";
import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  GENEROUS_RATE_LIMITS,
  type SlackDouble,
  startSlackDouble,
} from "../../src/slack-double/index.ts";
import { driveReportApp, registerReportApp } from "../helpers/bolt-report-app.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import { quietLogger } from "../helpers/quiet-logger.ts";

/** Socket Mode as the double speaks it (SLACK.md §10), to a raw client and to Bolt. */

let double: SlackDouble;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  double = await startSlackDouble({
    users: [{ id: "U1", name: "ana" }],
    channels: [{ id: "C1", name: "general", members: ["U1"] }],
    // apps.connections.open is Tier 1 (one a minute): the reconnection below needs a second.
    rateLimits: GENEROUS_RATE_LIMITS,
  });
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await double.stop();
});

async function socketUrl(): Promise<string> {
  const app = new WebClient(undefined, {
    slackApiUrl: double.apiUrl,
    headers: { Authorization: `Bearer ${double.config.appToken}` },
    retryConfig: { retries: 0 },
  });
  return (await app.apps.connections.open({})).url as string;
}

/** A WebSocket the test closes afterwards (errors such as a refused upgrade are asserted, not thrown). */
function open(url: string): WebSocket {
  const ws = new WebSocket(url);
  ws.on("error", () => {});
  sockets.push(ws);
  return ws;
}

/** A bare Socket Mode client: every message it receives, parsed. */
async function connect(url: string) {
  const ws = open(url);
  const received: Array<Record<string, unknown>> = [];
  ws.on("message", (data) => received.push(JSON.parse(String(data))));
  await eventually(() => received.some((m) => m.type === "hello"), "hello");
  return { ws, received };
}

const envelopes = (received: Array<Record<string, unknown>>) =>
  received.filter((m) => typeof m.envelope_id === "string");

describe("the Socket Mode endpoint", () => {
  it("greets with hello, sends envelopes and takes acks with a payload by envelope_id", async () => {
    const { ws, received } = await connect(await socketUrl());
    expect(received[0]).toMatchObject({
      type: "hello",
      num_connections: 1,
      connection_info: { app_id: "A0APP" },
    });
    const driver = double.socketDriver();
    const command = driver.slashCommand({
      command: "/sb",
      text: "hi",
      userId: "U1",
      channelId: "C1",
    });
    const [envelope] = await eventually(() => {
      const e = envelopes(received);
      return e.length ? e : null;
    }, "the envelope");
    expect(envelope).toMatchObject({
      type: "slash_commands",
      accepts_response_payload: true,
      payload: { command: "/sb", text: "hi", user_id: "U1", channel_id: "C1" },
    });
    ws.send(
      JSON.stringify({
        envelope_id: envelope?.envelope_id,
        payload: { response_type: "ephemeral", text: "hello ana" },
      }),
    );
    const res = await command;
    expect(res).toMatchObject({ status: 200, late: false, json: { text: "hello ana" } });
    // The ack's message is shown to the user, as Slack would.
    expect(double.ephemerals("C1", "U1").map((m) => m.text)).toEqual(["hello ana"]);
  });

  it("ignores a payload on envelopes that take none, and marks event redeliveries", async () => {
    const { ws, received } = await connect(await socketUrl());
    // A client that acks everything at once, with a payload it should not send for events.
    ws.on("message", (data) => {
      const m = JSON.parse(String(data));
      if (m.envelope_id) ws.send(JSON.stringify({ envelope_id: m.envelope_id, payload: { x: 1 } }));
    });
    const driver = double.socketDriver();
    const event = { type: "app_mention", user: "U1", text: "<@U0BOT>", channel: "C1" };
    const first = await driver.sendEvent(event);
    expect(first).toMatchObject({ status: 200, late: false });
    expect(first.json).toBeUndefined();
    await driver.sendEvent(event, { eventId: first.eventId, retryNum: 1, retryReason: "timeout" });
    const sent = envelopes(received);
    expect(sent.map((e) => [e.type, e.accepts_response_payload, e.retry_attempt])).toEqual([
      ["events_api", false, 0],
      ["events_api", false, 1],
    ]);
    expect(sent[1]).toMatchObject({
      retry_reason: "timeout",
      payload: { event_id: first.eventId, type: "event_callback" },
    });
    await expect(driver.urlVerification("c")).rejects.toThrow(/no Request URL/);
    await expect(driver.sendEvent(event, { signature: "bad" })).rejects.toThrow(/not signed/);
  });

  it("opens one connection per ticket and refuses reuse", async () => {
    const url = await socketUrl();
    await connect(url);
    const again = open(url);
    const status = await new Promise<number>((resolve) => {
      again.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      again.on("open", () => resolve(101));
    });
    expect(status).toBe(401);
    expect(double.socketMode.connections).toBe(1);
  });

  it("warns before disconnecting, and closes the connection on refresh_requested", async () => {
    const { ws, received } = await connect(await socketUrl());
    double.socketMode.disconnect("warning");
    await eventually(() => received.some((m) => m.reason === "warning"), "the warning");
    expect(ws.readyState).toBe(WebSocket.OPEN);
    double.socketMode.disconnect("refresh_requested");
    await eventually(
      () => received.some((m) => m.type === "disconnect" && m.reason === "refresh_requested"),
      "refresh_requested",
    );
    await eventually(() => ws.readyState === WebSocket.CLOSED, "the double to close it");
    expect(double.socketMode.connections).toBe(0);
  });
});

describe("with a real Bolt app in Socket Mode", () => {
  it("runs a slash command → modal → submission → button round trip, and reconnects", async () => {
    const receiver = new SocketModeReceiver({
      appToken: double.config.appToken,
      logger: quietLogger,
      // Reconnects after clientPingTimeout; keep it short so the reconnection below is quick.
      clientPingTimeout: 2000,
      installerOptions: { clientOptions: { slackApiUrl: double.apiUrl } },
    });
    const app = new App({
      token: double.config.botToken,
      receiver,
      logger: quietLogger,
      clientOptions: { slackApiUrl: double.apiUrl, retryConfig: { retries: 0 } },
    });
    registerReportApp(app);
    const mentions: string[] = [];
    app.event("app_mention", async ({ event }) => {
      mentions.push(event.text);
    });
    await app.start();
    try {
      expect(double.socketMode.connections).toBe(1);
      const driver = double.socketDriver();
      await driveReportApp(double, driver);

      // Slack asks for a reconnect; Bolt's client opens a new connection and carries on.
      double.socketMode.disconnect("warning");
      await eventually(
        () => double.socketMode.opened === 2 && double.socketMode.connections === 1,
        "a new connection",
      );
      await driver.sendEvent({
        type: "app_mention",
        user: "U1",
        text: "still there?",
        channel: "C1",
      });
      await eventually(() => mentions.includes("still there?"), "the event after reconnecting");
      expect(double.callsTo("apps.connections.open")).toHaveLength(2);
      expect(driver.lateAcks).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
