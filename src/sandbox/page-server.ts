import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import express, { type Request, type Response } from "express";
import { z } from "zod";
import type { Logger } from "../logger.ts";
import type { SlackDouble } from "../slack-double/index.ts";
import { type FeedReplay, type IntakeClient, REPLAY_PACES, type ReplayPace } from "./feed.ts";
import type { LiveWorkspace, PageDelta } from "./live-workspace.ts";
import type { PageActions } from "./page-actions.ts";
import { jsonBody, pageErrorHandler } from "./page-errors.ts";
import type { SandboxInfo } from "./sandbox-info.ts";

/** The page's static files (index.html, app.js, slack-dates.js, style.css). */
export const PUBLIC_DIR = fileURLToPath(new URL("./public/", import.meta.url));

export interface PageServerDeps {
  double: SlackDouble;
  live: LiveWorkspace;
  actions: PageActions;
  intake: IntakeClient;
  replay: FeedReplay;
  info: () => SandboxInfo;
  logger: Logger;
  /** Announces a campaign through the bot's API; undefined while the bot has no campaigns. */
  announceCampaign?: ((body: unknown) => Promise<{ status: number; body: unknown }>) | undefined;
}

const ReadRequest = z.object({ as: z.string(), channel: z.string(), ts: z.string() });
const ReplayRequest = z.object({
  pace: z.enum(Object.keys(REPLAY_PACES) as [ReplayPace, ...ReplayPace[]]),
});

/** An async route whose errors reach the error handler (Express 5 does this for promises). */
type Handler = (req: Request, res: Response) => Promise<void> | void;

/**
 * The sandbox page's HTTP server: the page itself, a server-sent event stream per viewer
 * (their first event is everything they can see, then each change), the actions the page
 * sends to the bot through the Slack double's driver, the feed panel, and Slack files.
 */
/**
 * The bot's answer to a post made for the page, with the bot's status: a post it refused is a
 * 4xx here too, so a script that checks the status is not told a refused post went through.
 */
function relay(res: Response, answer: { status: number }): void {
  res
    .status(answer.status < 300 ? 200 : answer.status)
    .json({ ok: answer.status < 300, ...answer });
}

export function createPageApp(deps: PageServerDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.use(express.static(PUBLIC_DIR, { index: "index.html", maxAge: 0 }));

  app.get("/events", (req, res) => streamEvents(deps, req, res));
  app.get("/files/:id", (req, res) => {
    const file = deps.double.files.find((f) => f.id === req.params.id);
    if (!file?.bytes) {
      res.status(404).json({ error: "no such file" });
      return;
    }
    res.type(file.filename.split(".").pop() ?? "bin").send(file.bytes);
  });

  const act =
    (name: string, run: (body: unknown) => Promise<unknown>): Handler =>
    async (req, res) => {
      const result = await run(req.body);
      deps.logger.debug("sandbox.action", { name });
      res.json({ ok: true, ...(result as object) });
    };
  // Each of the page's actions, by the path the page posts to.
  const routes: Record<string, (body: unknown) => Promise<unknown>> = {
    button: (b) => deps.actions.button(b),
    select: (b) => deps.actions.select(b),
    submit: (b) => deps.actions.submit(b),
    close: (b) => deps.actions.close(b),
    compose: (b) => deps.actions.compose(b),
    home: (b) => deps.actions.openHome(b),
  };
  for (const [name, run] of Object.entries(routes)) {
    app.post(`/api/act/${name}`, ...jsonBody, act(name, run));
  }
  app.post("/api/read", ...jsonBody, (req, res) => {
    const r = ReadRequest.parse(req.body);
    deps.live.markRead(r.as, r.channel, r.ts);
    res.json({ ok: true });
  });

  app.post("/api/feed/complaint", ...jsonBody, async (req, res) => {
    const answer = await deps.intake.postByHand(req.body, new Date());
    relay(res, answer);
  });
  app.post("/api/feed/replay", ...jsonBody, (req, res) => {
    deps.replay.start(ReplayRequest.parse(req.body).pace);
    res.json({ ok: true, status: deps.replay.status });
  });
  app.post("/api/feed/replay/stop", (_req, res) => {
    deps.replay.stop();
    res.json({ ok: true, status: deps.replay.status });
  });
  app.post("/api/feed/campaign", ...jsonBody, async (req, res) => {
    if (!deps.announceCampaign) {
      res.status(404).json({ ok: false, error: "This version of Switchboard has no campaigns." });
      return;
    }
    const answer = await deps.announceCampaign(req.body);
    relay(res, answer);
  });

  // The page's API answers in JSON, wrong method and unknown path too (not Express's HTML page).
  const posts = [
    ...Object.keys(routes).map((name) => `/api/act/${name}`),
    "/api/read",
    "/api/feed/complaint",
    "/api/feed/replay",
    "/api/feed/replay/stop",
    "/api/feed/campaign",
  ];
  const allowed: Array<[string[], string]> = [
    [posts, "POST"],
    [["/events", "/files/:id"], "GET"],
  ];
  for (const [paths, allow] of allowed) {
    app.all(paths, (req, res) => {
      res.set("Allow", allow);
      res
        .status(405)
        .json({ ok: false, error: `${req.method} is not allowed on ${req.path}; use ${allow}` });
    });
  }
  // The README's curl examples name the bot's paths; sent to the page's port, they are told
  // where the bot listens instead of being told what the page's own API is.
  app.all(["/api/v1", "/api/v1/*path", "/healthz", "/slack/events"], (req, res) => {
    const { url, token } = deps.info().intake;
    res.status(404).json({
      ok: false,
      error: `${req.method} ${req.path} is the bot's, and this is the sandbox page's port: send it to ${url}${req.originalUrl} (the intake token is ${token})`,
    });
  });
  app.all(["/api", "/api/*path"], (req, res) => {
    res.status(404).json({
      ok: false,
      error: `No page API ${req.method} ${req.path}: the page posts to /api/act/…, /api/read and /api/feed/…`,
    });
  });
  app.use(pageErrorHandler(deps.logger));
  return app;
}

/** The id of every snapshot: what a reconnecting EventSource sends back as Last-Event-ID. */
const SNAPSHOT_ID = "snapshot";

function sse(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * One viewer's stream: everything they can see, then each change they may see. The browser
 * sends back the snapshot's id (Last-Event-ID) only when it reconnects the same page's stream;
 * a new page (a reload, another persona) starts as Slack's client does after a reload: without
 * the earlier "Only visible to you" notes and without the modal that was open.
 */
async function streamEvents(deps: PageServerDeps, req: Request, res: Response): Promise<void> {
  const as = String(req.query.as ?? "");
  const info = deps.info();
  const me = info.people.find((p) => p.id === as) ?? info.people[0];
  if (!me) {
    res.status(404).end();
    return;
  }
  const samePage = req.headers["last-event-id"] === SNAPSHOT_ID;
  if (!samePage) await deps.actions.closeModalsOf(me.id);
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
  });
  deps.live.scan();
  res.write(`id: ${SNAPSHOT_ID}\n`);
  sse(res, "snapshot", {
    me: me.id,
    info,
    replay: deps.replay.status,
    ...deps.live.snapshotFor(me.id, { ephemerals: samePage }),
  });
  const unsubscribe = deps.live.subscribe((delta: PageDelta) => {
    if (deps.live.visibleTo(me.id, delta)) sse(res, "delta", delta);
  });
  // A comment now and then keeps proxies and the browser from closing an idle stream.
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 20_000);
  keepAlive.unref();
  req.on("close", () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

/** Listens on host:port; rejects with the server's error (EADDRINUSE…). */
export function listenPage(app: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer(app);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

/** The port a listening server got. */
export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
