import type { Obj } from "./args.ts";
import type { EnvelopeType } from "./socket-mode.ts";

/** Per-call option to sign a request wrongly (HTTP only: Socket Mode requests are not signed). */
export interface SignOptions {
  signature?: "bad" | "stale" | "missing";
}

/** What the app answered, and how long its ack took. */
export interface DriverResponse {
  /** HTTP status; over Socket Mode 200 when the envelope was acknowledged, else 0. */
  status: number;
  body: string;
  json?: unknown;
  headers: Record<string, string>;
  ackMs: number;
  /** True when the ack took longer than Slack's 3 s, or never came (Slack would show an error). */
  late: boolean;
}

/**
 * One request from Slack to the app, in transport-neutral form: the envelope type it travels
 * as over Socket Mode, and the payload (form fields for slash commands).
 */
export interface InboundRequest {
  kind: string;
  type: EnvelopeType;
  payload: Obj;
  /** A redelivery of an event: x-slack-retry-* headers, or retry_attempt in the envelope. */
  retry?: { num: number; reason: string };
}

/** How the driver reaches the app: signed HTTP POSTs, or envelopes over Socket Mode. */
export interface DriverTransport {
  readonly mode: "http" | "socket";
  /** Resolves when the app can be reached (Socket Mode: a connection is open). */
  ready(): Promise<void>;
  send(request: InboundRequest, opts: SignOptions): Promise<DriverResponse>;
}

/** Parses a JSON ack body; undefined when empty or not JSON. */
export function parseJson(text: string): unknown {
  try {
    return text === "" ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
