import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiRouter } from "./api-router.ts";
import { readRaw, uploadBytes } from "./http-body.ts";
import { UNCONFIRMED } from "./limits.ts";
import { handleResponsePost } from "./response-urls.ts";
import type { SocketModeServer } from "./socket-mode.ts";
import type { DoubleState } from "./state.ts";

function send(res: ServerResponse, status: number, text: string, type = "text/plain"): void {
  res.writeHead(status, { "content-type": `${type}; charset=utf-8` });
  res.end(text);
}

/** POST /upload/<fileId>: the byte upload step of files.uploadV2. */
async function handleUpload(
  state: DoubleState,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  raw: Buffer,
) {
  const file = state.files.get(id);
  if (!file) return send(res, 404, "file_not_found");
  if (file.bytes || file.completed) {
    const { status, body } = UNCONFIRMED.uploadRepeated;
    return send(res, status, body);
  }
  const bytes = await uploadBytes(raw, req.headers["content-type"]);
  // Slack expects exactly the byte count announced to files.getUploadURLExternal.
  if (bytes.length !== file.length) {
    const { status, body } = UNCONFIRMED.uploadSizeMismatch;
    return send(res, status, `${body}: expected ${file.length} bytes, got ${bytes.length}`);
  }
  file.bytes = bytes;
  send(res, 200, `OK - ${file.bytes.length}`);
}

async function route(
  state: DoubleState,
  api: ApiRouter,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const path = new URL(req.url ?? "/", "http://double").pathname;
  const raw = await readRaw(req);
  const [, area, rest] = /^\/([a-z]+)\/(.+)$/.exec(path) ?? [];
  if (area === "api" && rest) return api.handle(req, res, rest, raw);
  // An outage takes Slack's other endpoints down as well.
  if (api.outage === "network") return void req.socket.destroy();
  if (typeof api.outage === "number") return send(res, api.outage, UNCONFIRMED.outageError);
  if (area === "upload" && rest && req.method === "POST")
    return handleUpload(state, req, res, rest, raw);
  if (area === "response" && rest && req.method === "POST") {
    const answer = handleResponsePost(state, rest, raw);
    return send(
      res,
      answer.status,
      answer.text,
      answer.status === 200 ? "application/json" : "text/plain",
    );
  }
  send(res, 404, "not_found");
}

/**
 * Starts the HTTP server on 127.0.0.1 with an ephemeral port; resolves with its base URL.
 * WebSocket upgrades to /link/ go to the Socket Mode endpoint.
 */
export async function listen(
  state: DoubleState,
  api: ApiRouter,
  sockets: SocketModeServer,
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    // Any request (a Web API call, an upload, a response_url post) may change what Slack shows.
    res.on("finish", () => state.changed());
    route(state, api, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, `double error: ${String(err)}`);
    });
  });
  server.on("upgrade", (req, socket, head) => {
    if (new URL(req.url ?? "/", "http://double").pathname === "/link/") {
      sockets.handleUpgrade(req, socket, head);
    } else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** Stops the server and drops kept-alive connections so tests end promptly. */
export async function close(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
