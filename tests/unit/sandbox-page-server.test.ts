import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Logger } from "../../src/logger.ts";
import { type FeedReplay, IntakeClient } from "../../src/sandbox/feed.ts";
import type { LiveWorkspace } from "../../src/sandbox/live-workspace.ts";
import { PageActions } from "../../src/sandbox/page-actions.ts";
import type { FieldIssue } from "../../src/sandbox/page-errors.ts";
import { createPageApp, listenPage, portOf } from "../../src/sandbox/page-server.ts";
import type { SandboxInfo } from "../../src/sandbox/sandbox-info.ts";
import type { SlackDouble, SlackDriver } from "../../src/slack-double/index.ts";

/**
 * The page server's answers to requests the page never sends but curl and scripts do: each
 * is a 4xx whose JSON names what is wrong, never a 500. The bot, Slack and the database are
 * not needed: every request here is refused before it would reach them.
 */

const BEN = "U0SBBAG001";

const logged: string[] = [];
const logger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (event) => logged.push(event),
};
const live = { scan: vi.fn(), markRead: vi.fn() } as unknown as LiveWorkspace;
const replay = {
  start: vi.fn(),
  stop: vi.fn(),
  status: { state: "idle", sent: 0, total: 0, duplicates: 0, rejected: 0 },
} as unknown as FeedReplay;
const double = {} as SlackDouble;

let server: Server;
let base: string;

/** The page on a free loopback port, with these stand-ins for the bot's side. */
async function startPage(
  bot: Pick<Parameters<typeof createPageApp>[0], "intake" | "info" | "announceCampaign">,
) {
  const app = createPageApp({
    double,
    live,
    replay,
    logger,
    actions: new PageActions(double, {} as SlackDriver, live, new Set([BEN])),
    ...bot,
  });
  const page = await listenPage(app, 0, "127.0.0.1");
  return { page, url: `http://127.0.0.1:${portOf(page)}` };
}

beforeAll(async () => {
  ({ page: server, url: base } = await startPage({
    // Port 9 (discard) on loopback: a request that got this far would fail, and say so.
    intake: new IntakeClient("http://127.0.0.1:9", "token"),
    info: () =>
      ({
        people: [],
        intake: { url: "http://127.0.0.1:3001", token: "sandbox-intake-token-0000" },
      }) as unknown as SandboxInfo,
    announceCampaign: async () => ({ status: 202, body: {} }),
  }));
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Every route that reads a JSON body, with a body it accepts. */
const BODY_ROUTES: Record<string, unknown> = {
  "/api/act/button": { as: BEN, channel: "C1", ts: "1.2", actionId: "a" },
  "/api/act/select": { as: BEN, channel: "C1", ts: "1.2", actionId: "a", value: "x" },
  "/api/act/submit": { as: BEN, viewId: "V1" },
  "/api/act/close": { as: BEN, viewId: "V1" },
  "/api/act/compose": { as: BEN, channel: "C1", text: "hello" },
  "/api/act/home": { as: BEN },
  "/api/read": { as: BEN, channel: "C1", ts: "1.2" },
  "/api/feed/complaint": { source: "twitter", handle: "jane", text: "Lost my bag" },
  "/api/feed/replay": { pace: "fast" },
  "/api/feed/campaign": { name: "Spring sale" },
};

async function post(path: string, body: string, contentType = "application/json") {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  const answer = (await res.json()) as { ok: boolean; error?: string; issues?: FieldIssue[] };
  return { status: res.status, type: res.headers.get("content-type"), body: answer };
}

describe("the sandbox page's API", () => {
  it.each(Object.keys(BODY_ROUTES))(
    "answers 400 to a body that is not JSON on %s",
    async (path) => {
      const answer = await post(path, "{broken");
      expect(answer.status).toBe(400);
      expect(answer.type).toMatch(/^application\/json/);
      expect(answer.body).toEqual({
        ok: false,
        error: expect.stringMatching(/^The body is not valid JSON: /),
      });
    },
  );

  it.each(Object.keys(BODY_ROUTES))("answers 413 to a body over 1 MiB on %s", async (path) => {
    const answer = await post(path, JSON.stringify({ text: "x".repeat(1024 * 1024) }));
    expect(answer.status).toBe(413);
    expect(answer.body).toEqual({
      ok: false,
      error: expect.stringMatching(/^The body is larger than 1 MiB/),
    });
  });

  it.each(Object.entries(BODY_ROUTES))(
    "answers 415 to a body not sent as JSON on %s",
    async (path, body) => {
      const answer = await post(path, JSON.stringify(body), "text/plain");
      expect(answer.status).toBe(415);
      expect(answer.body).toEqual({
        ok: false,
        error: "Send the body as JSON with 'Content-Type: application/json'",
      });
    },
  );

  it.each(Object.keys(BODY_ROUTES))(
    "answers 400 to JSON that is not an object on %s",
    async (path) => {
      for (const [body, found] of [
        ["[]", "a list"],
        ['"hello"', "a string"],
        ["null", "null"],
      ]) {
        const answer = await post(path, body ?? "");
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({
          ok: false,
          error: `The body must be a JSON object, found ${found}`,
        });
      }
    },
  );

  it("answers a wrong method with a JSON 405 naming the right one, an unknown path with a JSON 404", async () => {
    const send = async (method: string, path: string) => {
      const res = await fetch(`${base}${path}`, { method });
      return { status: res.status, allow: res.headers.get("allow"), body: await res.json() };
    };
    for (const path of [...Object.keys(BODY_ROUTES), "/api/feed/replay/stop"]) {
      expect(await send("GET", path)).toEqual({
        status: 405,
        allow: "POST",
        body: { ok: false, error: `GET is not allowed on ${path}; use POST` },
      });
    }
    expect(await send("DELETE", "/events")).toMatchObject({ status: 405, allow: "GET" });
    for (const [method, path] of [
      ["POST", "/api/act/bogus"],
      ["GET", "/api/nothing"],
      ["PUT", "/api"],
    ] as const) {
      expect(await send(method, path)).toEqual({
        status: 404,
        allow: null,
        body: { ok: false, error: expect.stringContaining(`No page API ${method} ${path}`) },
      });
    }
  });

  it("tells a README curl sent to the page's port where the bot listens", async () => {
    const complaint = await post("/api/v1/complaints", JSON.stringify({ text: "lost bag" }));
    expect(complaint).toMatchObject({
      status: 404,
      body: {
        ok: false,
        error:
          "POST /api/v1/complaints is the bot's, and this is the sandbox page's port: send it to http://127.0.0.1:3001/api/v1/complaints (the intake token is sandbox-intake-token-0000)",
      },
    });
    const res = await fetch(`${base}/api/v1/reports/sla?from=2026-11-02&to=2026-11-08`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toContain(
      "send it to http://127.0.0.1:3001/api/v1/reports/sla?from=2026-11-02&to=2026-11-08",
    );
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(404);
    expect(((await health.json()) as { error: string }).error).toContain(
      "send it to http://127.0.0.1:3001/healthz",
    );
  });

  it("names every missing or wrong field, as the bot's intake API does", async () => {
    expect((await post("/api/feed/complaint", "{}")).body).toEqual({
      ok: false,
      error: "Invalid fields: source, handle, text",
      issues: [
        { path: "source", message: "is required" },
        { path: "handle", message: "is required" },
        { path: "text", message: "is required" },
      ],
    });
    const replayed = await post("/api/feed/replay", JSON.stringify({ pace: "warp" }));
    expect(replayed.status).toBe(400);
    expect(replayed.body.error).toBe("Invalid fields: pace");
    expect(replayed.body.issues?.[0]?.message).toContain('"slow"|"steady"|"fast"|"burst"');
    const read = await post("/api/read", JSON.stringify({ as: BEN }));
    expect(read.body.error).toBe("Invalid fields: channel, ts");
  });

  it("says which of the message or the modal an action must name", async () => {
    const answer = await post("/api/act/button", JSON.stringify({ as: BEN, actionId: "a" }));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe("Invalid fields: channel and ts, or viewId");
    expect(answer.body.issues).toEqual([
      {
        path: "channel and ts, or viewId",
        message: "Name the message (channel and ts) or the modal (viewId) the action is on",
      },
    ]);
  });

  it("names a select's missing value once, saying what it may be", async () => {
    const body = { as: BEN, channel: "C1", ts: "1.2", actionId: "a" };
    const answer = await post("/api/act/select", JSON.stringify(body));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      ok: false,
      error: "Invalid fields: value",
      issues: [
        {
          path: "value",
          message:
            "The picked option's value: a string, a list of strings (a multi-select), a number or null",
        },
      ],
    });
  });

  it("still takes what the page sends, and a stop with no body at all", async () => {
    for (const path of ["/api/read", "/api/feed/replay", "/api/feed/campaign"]) {
      const answer = await post(path, JSON.stringify(BODY_ROUTES[path]));
      expect(answer, path).toMatchObject({ status: 200, body: { ok: true } });
    }
    expect(live.markRead).toHaveBeenCalledWith(BEN, "C1", "1.2");
    expect(replay.start).toHaveBeenCalledWith("fast");
    const stop = await fetch(`${base}/api/feed/replay/stop`, { method: "POST" });
    expect(stop.status).toBe(200);
  });

  it("logs none of these as a failure of its own", () => {
    expect(logged).toEqual([]);
  });
});

describe("a post the bot refuses, made through the page's feed", () => {
  const refusal = {
    error: {
      code: "validation_failed",
      message: "Invalid fields: source",
      issues: [{ path: "source", message: "use letters, digits, '.', '_' or '-'" }],
    },
  };
  let bot: Server;
  let page: Server;
  let pageUrl: string;

  beforeAll(async () => {
    // Stands in for the bot's intake API, which refuses every post as it refuses a bad source.
    bot = createServer((_req, res) => {
      res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify(refusal));
    });
    await new Promise<void>((done) => bot.listen(0, "127.0.0.1", done));
    ({ page, url: pageUrl } = await startPage({
      intake: new IntakeClient(`http://127.0.0.1:${portOf(bot)}`, "token"),
      info: () => ({ people: [] }) as unknown as SandboxInfo,
      announceCampaign: async () => ({ status: 400, body: refusal }),
    }));
  });
  afterAll(async () => {
    await new Promise((done) => page.close(done));
    await new Promise((done) => bot.close(done));
  });

  it.each([
    ["/api/feed/complaint", { source: "tik tok", handle: "jane", text: "Lost my bag" }],
    ["/api/feed/campaign", { name: "Spring sale" }],
  ])("is answered with the bot's 400 on %s, naming the field", async (path, body) => {
    const res = await fetch(`${pageUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, status: 400, body: refusal });
  });
});
