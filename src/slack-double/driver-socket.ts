import type {
  DriverResponse,
  DriverTransport,
  InboundRequest,
  SignOptions,
} from "./driver-transport.ts";
import { ACK_DEADLINE_MS, DRIVER_GIVE_UP_MS } from "./limits.ts";
import type { SocketModeServer } from "./socket-mode.ts";

/**
 * Slack lets an app answer with a payload only for slash commands and view submissions (and
 * options requests); for events and block actions it ignores one (SLACK.md §10).
 */
function acceptsResponsePayload(request: InboundRequest): boolean {
  if (request.type === "slash_commands") return true;
  if (request.type === "events_api") return false;
  const type = request.payload.type;
  return type === "view_submission" || type === "block_suggestion";
}

/**
 * Delivers requests as Socket Mode envelopes over the app's open connections. An ack is
 * `{envelope_id, payload?}` on the socket; it is reported like an HTTP answer (200 and the
 * payload as the body) so tests read both transports the same way.
 */
export class SocketTransport implements DriverTransport {
  readonly mode = "socket";

  constructor(private readonly sockets: Pick<SocketModeServer, "deliver" | "waitForConnection">) {}

  /** Waits for the app to (re)connect, as Slack holds a user's action until then. */
  ready(): Promise<void> {
    return this.sockets.waitForConnection(DRIVER_GIVE_UP_MS);
  }

  async send(request: InboundRequest, opts: SignOptions): Promise<DriverResponse> {
    if (opts.signature !== undefined) {
      throw new Error("Socket Mode requests are not signed: signature options apply to HTTP only");
    }
    await this.ready();
    const ack = await this.sockets.deliver(request.type, request.payload, {
      acceptsResponsePayload: acceptsResponsePayload(request),
      giveUpMs: DRIVER_GIVE_UP_MS,
      ...(request.retry ? { retryNum: request.retry.num, retryReason: request.retry.reason } : {}),
    });
    const ackMs = Math.round(ack.ackMs);
    return {
      status: ack.acked ? 200 : 0,
      body: ack.payload ? JSON.stringify(ack.payload) : "",
      ...(ack.payload ? { json: ack.payload } : {}),
      headers: {},
      ackMs,
      late: !ack.acked || ackMs > ACK_DEADLINE_MS,
    };
  }
}
