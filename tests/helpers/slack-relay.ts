import { createServer, type IncomingMessage } from "node:http";

/** Called with each Web API answer before the bot receives it. */
export type SlackAnswerHook = (
  method: string,
  answer: { status: number; body: unknown },
) => void | Promise<void>;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Sits between the bot and the Slack double and lets a test act at the instant Slack has
 * answered a call but before the bot hears the answer (e.g. take the database away right
 * after Slack accepted a message). Everything else is passed through unchanged.
 */
export async function startSlackRelay(
  apiUrl: string,
  hook: SlackAnswerHook,
): Promise<{ apiUrl: string; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const path = req.url ?? "/";
    const method = path.replace(/^\/api\//, "").split("?")[0] ?? "";
    const headers: Record<string, string> = {};
    for (const name of ["authorization", "content-type"]) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    try {
      const answer = await fetch(new URL(path.replace(/^\/api\//, ""), apiUrl), {
        method: req.method ?? "POST",
        headers,
        ...(body.length ? { body } : {}),
      });
      const text = await answer.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {}
      await hook(method, { status: answer.status, body: json });
      const out: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (name === "content-type" || name === "retry-after") out[name] = value;
      });
      res.writeHead(answer.status, out).end(text);
    } catch {
      res.socket?.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
