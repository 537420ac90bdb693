import {
  type DriverResponse,
  type DriverTransport,
  type InboundRequest,
  parseJson,
  type SignOptions,
} from "./driver-transport.ts";
import { ACK_DEADLINE_MS, DRIVER_GIVE_UP_MS } from "./limits.ts";
import { type SignatureMode, signatureHeaders } from "./signing.ts";

/** Bolt parses a body as a form only for exactly this content type (SLACK.md §1). */
const FORM = "application/x-www-form-urlencoded";

/** Request bodies as Slack sends them over HTTP (SLACK.md §1, §3). */
function encode(request: InboundRequest): { body: string; contentType: string } {
  if (request.type === "events_api") {
    return { body: JSON.stringify(request.payload), contentType: "application/json" };
  }
  if (request.type === "slash_commands") {
    const fields = Object.entries(request.payload).map(([k, v]): [string, string] => [
      k,
      String(v),
    ]);
    return { body: new URLSearchParams(fields).toString(), contentType: FORM };
  }
  const body = new URLSearchParams({ payload: JSON.stringify(request.payload) }).toString();
  return { body, contentType: FORM };
}

/** Delivers requests as signed POSTs to the app's Request URL, timing each ack. */
export class HttpTransport implements DriverTransport {
  readonly mode = "http";

  constructor(
    readonly targetUrl: string,
    private readonly signingSecret: string,
  ) {}

  async ready(): Promise<void> {}

  send(request: InboundRequest, opts: SignOptions): Promise<DriverResponse> {
    const { body, contentType } = encode(request);
    const headers: Record<string, string> = {};
    if (request.retry) {
      headers["x-slack-retry-num"] = String(request.retry.num);
      headers["x-slack-retry-reason"] = request.retry.reason;
    }
    return this.post(body, contentType, { ...opts, headers });
  }

  /** POSTs a raw body, signed per SLACK.md §1, and times the ack. */
  async post(
    body: string,
    contentType: string,
    opts: SignOptions & { headers?: Record<string, string> } = {},
  ): Promise<DriverResponse> {
    const mode: SignatureMode = opts.signature ?? "good";
    const headers = {
      "content-type": contentType,
      ...signatureHeaders(this.signingSecret, body, mode),
      ...opts.headers,
    };
    const started = performance.now();
    let res: Response;
    try {
      res = await fetch(this.targetUrl, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(DRIVER_GIVE_UP_MS),
      });
    } catch (err) {
      if (!(err instanceof Error) || err.name !== "TimeoutError") throw err;
      return { status: 0, body: "", headers: {}, ackMs: DRIVER_GIVE_UP_MS, late: true };
    }
    const text = await res.text();
    const ackMs = Math.round(performance.now() - started);
    const json = parseJson(text);
    return {
      status: res.status,
      body: text,
      ...(json === undefined ? {} : { json }),
      headers: Object.fromEntries(res.headers.entries()),
      ackMs,
      late: ackMs > ACK_DEADLINE_MS,
    };
  }
}
