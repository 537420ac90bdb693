import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { isObj, type Obj } from "./args.ts";
import { SOCKET_MODE, UNCONFIRMED } from "./limits.ts";
import type { DoubleState } from "./state.ts";

/** The three envelope types Slack sends over Socket Mode (SLACK.md §10). */
export type EnvelopeType = "events_api" | "slash_commands" | "interactive";

/** Why Slack asks an app to reconnect. */
export type DisconnectReason = "warning" | "refresh_requested" | "link_disabled";

/** What came back for one envelope. */
export interface EnvelopeAck {
  envelopeId: string;
  /** False when no acknowledgement came (connection lost, or the driver gave up waiting). */
  acked: boolean;
  /** The ack's payload, when the envelope accepts one and the app sent a non-empty one. */
  payload?: Obj;
  ackMs: number;
}

interface Connection {
  id: string;
  ws: WebSocket;
  /** Envelopes sent on this connection and not yet acknowledged. */
  pending: Set<string>;
}

interface Pending {
  acceptsPayload: boolean;
  started: number;
  settle(ack: EnvelopeAck): void;
}

/**
 * The double's Socket Mode endpoint: the WebSocket URL apps.connections.open hands out. It
 * greets each connection with `hello`, pings it, sends envelopes to the open connections in
 * turn, matches acknowledgements by envelope_id, and can ask apps to reconnect.
 */
export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly open: Connection[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly waiters = new Set<() => void>();
  private readonly pinger: NodeJS.Timeout;
  private turn = 0;
  /** Connections opened since the double started (reconnections included). */
  opened = 0;
  /** While true (a Slack outage), connections are dropped and upgrades refused. */
  down = false;

  constructor(private readonly state: DoubleState) {
    this.pinger = setInterval(() => {
      for (const c of this.open) c.ws.ping();
    }, SOCKET_MODE.pingIntervalMs);
    this.pinger.unref();
  }

  /** Open connections right now. */
  get connections(): number {
    return this.open.length;
  }

  /** Serves an HTTP upgrade to /link/?ticket=…, refusing unknown or used tickets. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ticket = new URL(req.url ?? "/", "http://double").searchParams.get("ticket") ?? "";
    const record = this.state.socketTickets.get(ticket);
    const full = this.open.length >= SOCKET_MODE.maxConnections;
    if (this.down || !record || record.used || full) {
      socket.end(
        `HTTP/1.1 ${UNCONFIRMED.socketUpgradeRefused} Unauthorized\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    if (UNCONFIRMED.socketTicketSingleUse) record.used = true;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private accept(ws: WebSocket): void {
    const conn: Connection = { id: this.state.ids.next("WS"), ws, pending: new Set() };
    this.open.push(conn);
    this.opened += 1;
    ws.on("message", (data, isBinary) => {
      if (!isBinary) this.onAck(data);
    });
    ws.on("close", () => this.drop(conn));
    ws.on("error", () => this.drop(conn));
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: this.open.length,
        debug_info: { host: "applink-double", approximate_connection_time: 18060 },
        connection_info: { app_id: this.state.config.appId },
      }),
    );
    for (const wake of [...this.waiters]) wake();
  }

  private drop(conn: Connection): void {
    const i = this.open.indexOf(conn);
    if (i >= 0) this.open.splice(i, 1);
    for (const id of conn.pending) {
      const p = this.pending.get(id);
      p?.settle({ envelopeId: id, acked: false, ackMs: performance.now() - p.started });
    }
  }

  /** Matches `{envelope_id, payload?}` to the envelope it acknowledges; unknown ids are ignored. */
  private onAck(data: RawData): void {
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return;
    }
    if (!isObj(msg) || typeof msg.envelope_id !== "string") return;
    const p = this.pending.get(msg.envelope_id);
    if (!p) return;
    const payload = isObj(msg.payload) && Object.keys(msg.payload).length > 0 ? msg.payload : null;
    p.settle({
      envelopeId: msg.envelope_id,
      acked: true,
      ackMs: performance.now() - p.started,
      // Slack ignores a payload on envelopes that do not accept one.
      ...(payload && p.acceptsPayload ? { payload } : {}),
    });
  }

  /** Resolves once a connection is open; rejects after timeoutMs. */
  async waitForConnection(timeoutMs: number): Promise<void> {
    if (this.open.length > 0) return;
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`no Socket Mode connection opened within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }

  /**
   * Sends one envelope to the next open connection and resolves with its acknowledgement, or
   * unacknowledged after giveUpMs or when that connection closes first.
   */
  deliver(
    type: EnvelopeType,
    payload: Obj,
    opts: {
      acceptsResponsePayload: boolean;
      giveUpMs: number;
      retryNum?: number;
      retryReason?: string;
    },
  ): Promise<EnvelopeAck> {
    const conn = this.open[this.turn++ % Math.max(1, this.open.length)];
    if (!conn) throw new Error("no Socket Mode connection is open");
    const envelopeId = randomUUID();
    const envelope: Obj = {
      envelope_id: envelopeId,
      payload,
      type,
      accepts_response_payload: opts.acceptsResponsePayload,
      ...(type === "events_api"
        ? { retry_attempt: opts.retryNum ?? 0, retry_reason: opts.retryReason ?? "" }
        : {}),
    };
    return new Promise<EnvelopeAck>((resolve) => {
      const started = performance.now();
      const timer = setTimeout(
        () => settle({ envelopeId, acked: false, ackMs: performance.now() - started }),
        opts.giveUpMs,
      );
      const settle = (ack: EnvelopeAck) => {
        clearTimeout(timer);
        this.pending.delete(envelopeId);
        conn.pending.delete(envelopeId);
        resolve(ack);
      };
      this.pending.set(envelopeId, {
        acceptsPayload: opts.acceptsResponsePayload,
        started,
        settle,
      });
      conn.pending.add(envelopeId);
      conn.ws.send(JSON.stringify(envelope));
    });
  }

  /**
   * Asks every open connection to reconnect. "warning" only warns (Slack closes a few seconds
   * later); the other reasons also close connections the app has not closed itself.
   */
  disconnect(reason: DisconnectReason): void {
    for (const c of [...this.open]) {
      c.ws.send(
        JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-double" } }),
      );
      if (reason === "warning") continue;
      const timer = setTimeout(() => c.ws.terminate(), SOCKET_MODE.closeAfterDisconnectMs);
      timer.unref();
      c.ws.once("close", () => clearTimeout(timer));
    }
  }

  /** Drops every connection at once (an outage) without a close handshake. */
  dropAll(): void {
    for (const c of [...this.open]) c.ws.terminate();
  }

  /** Closes everything (the double is stopping). */
  close(): void {
    clearInterval(this.pinger);
    this.dropAll();
    this.wss.close();
  }
}
