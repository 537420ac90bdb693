import type { Socket } from "node:net";
import { DatabaseTimeoutError } from "./availability.ts";

// PostgreSQL's wire protocol (https://www.postgresql.org/docs/current/protocol-message-formats.html):
// after start-up every message is a type byte and a 32-bit length that counts itself.
const SYNC = 0x53; // "S" from the client: ends an extended-protocol query
const QUERY = 0x51; // "Q" from the client: a simple query
const FLUSH = 0x48; // "H" from the client: answer what you have (no ReadyForQuery follows)
const READY = 0x5a; // "Z" from the server: one Sync or Query fully answered
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Destroys the socket when requests are waiting for an answer and the server has said nothing
 * for `ms`. Only while one is outstanding: an idle connection is silent by nature, and
 * closing idle ones instead costs a new connection and its authentication each time (it
 * doubled the timer sweep's lateness in `npm run bench -- sweep`).
 *
 * A first byte of an answer does not mean everything asked was answered (a query's answer can
 * come in parts, and statements sent together would share one connection), so this counts the
 * client's Syncs and Queries against the server's ReadyForQuery messages, and a Flush until
 * anything comes back. During start-up, before the first ReadyForQuery, any byte from the
 * server counts as an answer. Not over TLS, where the TLS layer takes the socket
 * over after the handshake: there the statement timeout and the HTTP deadlines remain.
 */
export function watchResponses(socket: Socket, ms: number): void {
  const watch = new ResponseWatch();
  const write = socket.write;
  socket.write = function (this: Socket, ...args: Parameters<Socket["write"]>) {
    const [chunk] = args;
    if (Buffer.isBuffer(chunk)) watch.sent(chunk);
    return write.apply(this, args);
  } as Socket["write"];
  socket.on("data", (chunk: Buffer) => watch.received(chunk));
  socket.setTimeout(ms, () => {
    if (watch.awaiting()) socket.destroy(new DatabaseTimeoutError("a query", ms));
  });
}

/** What one connection has asked and been answered, read from the bytes both ways. */
export class ResponseWatch {
  private started = false;
  private encrypted = false;
  private sslReplyDue = false;
  private startupAwaiting = false;
  private pending = 0;
  private flushAwaiting = false;
  private header: Buffer = Buffer.alloc(0);
  private skip = 0;

  /** True while the server owes an answer. */
  awaiting(): boolean {
    if (this.encrypted) return false;
    if (!this.started) return this.startupAwaiting;
    return this.pending > 0 || this.flushAwaiting;
  }

  sent(chunk: Buffer): void {
    if (this.encrypted) return;
    if (!this.started) {
      this.startupAwaiting = true;
      if (chunk.equals(SSL_REQUEST)) this.sslReplyDue = true;
      return;
    }
    // postgres.js writes whole messages, several at a time when it pipelines.
    for (let i = 0; i + 5 <= chunk.length; i += 1 + chunk.readInt32BE(i + 1)) {
      const type = chunk[i];
      if (type === SYNC || type === QUERY) this.pending++;
      else if (type === FLUSH) this.flushAwaiting = true;
    }
  }

  received(chunk: Buffer): void {
    if (this.encrypted) return;
    this.flushAwaiting = false;
    this.startupAwaiting = false;
    let i = 0;
    if (this.sslReplyDue) {
      // One byte, not a message: "S" and TLS takes over the socket, "N" and start-up goes on.
      this.sslReplyDue = false;
      if (chunk[0] === 0x53) this.encrypted = true;
      i = 1;
    }
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      const part = chunk.subarray(i, i + 5 - this.header.length);
      this.header = this.header.length > 0 ? Buffer.concat([this.header, part]) : part;
      i += part.length;
      if (this.header.length < 5) break;
      if (this.header[0] === READY) this.answered();
      this.skip = this.header.readInt32BE(1) - 4;
      this.header = Buffer.alloc(0);
    }
  }

  private answered(): void {
    if (!this.started) this.started = true;
    else if (this.pending > 0) this.pending--;
  }
}
