import { connect, createServer, type Server, type Socket } from "node:net";

/** Statements and round trips a client sent PostgreSQL, in all and inside transactions. */
export interface WireCounts {
  statements: number;
  roundTrips: number;
  /** From BEGIN to COMMIT or ROLLBACK, both included. */
  statementsInTransaction: number;
  roundTripsInTransaction: number;
  transactions: number;
}

const empty = (): WireCounts => ({
  statements: 0,
  roundTrips: 0,
  statementsInTransaction: 0,
  roundTripsInTransaction: 0,
  transactions: 0,
});

/**
 * A TCP proxy in front of PostgreSQL that reads the frontend protocol going through it and
 * counts what the client asked: each Execute or simple Query is a statement; a round trip is
 * each time the client sends again after the server has answered (what it sends before an
 * answer, several statements when it pipelines them, shares one wait). Code-independent: it
 * counts what reached the wire.
 */
export class WireCounter {
  counts: WireCounts = empty();
  /** Statement texts in the order sent, while `log` is on (for reading what one complaint costs). */
  log: string[] | null = null;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly target: { host: string; port: number },
    readonly port: number,
    server: Server,
  ) {
    this.server = server;
  }

  static async start(postgresUrl: string): Promise<{ counter: WireCounter; url: string }> {
    const url = new URL(postgresUrl);
    const target = { host: url.hostname, port: Number(url.port || 5432) };
    let counter: WireCounter | undefined;
    const server = createServer((client) => counter?.accept(client));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as { port: number }).port;
    counter = new WireCounter(target, port, server);
    url.port = String(port);
    return { counter, url: url.toString() };
  }

  reset(): void {
    this.counts = empty();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    const parser = new FrontendParser(this);
    upstream.on("data", () => {
      parser.answered = true;
    });
    client.on("data", (chunk: Buffer) => {
      parser.push(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  }

  /** Called by the parser for each statement the client runs. */
  statement(text: string, parser: FrontendParser): void {
    const c = this.counts;
    const head = text.trimStart().slice(0, 8).toLowerCase();
    if (head.startsWith("begin")) {
      parser.inTransaction = true;
      c.transactions += 1;
    }
    c.statements += 1;
    this.log?.push(text);
    if (parser.inTransaction) {
      c.statementsInTransaction += 1;
      // A wait that began outside a transaction and carries its BEGIN counts in it.
      if (!parser.flightInTransaction) {
        parser.flightInTransaction = true;
        c.roundTripsInTransaction += 1;
      }
    }
    if (head.startsWith("commit") || head.startsWith("rollback")) parser.inTransaction = false;
  }

  /** The client sends after an answer: a new round trip. */
  flight(parser: FrontendParser): void {
    this.counts.roundTrips += 1;
    parser.flightInTransaction = parser.inTransaction;
    if (parser.inTransaction) this.counts.roundTripsInTransaction += 1;
  }
}

/** Splits the client's byte stream into protocol messages (the first has no type byte). */
class FrontendParser {
  inTransaction = false;
  /** The server has sent something since the client last did: the client's next message waited. */
  answered = true;
  /** The current round trip is already counted as inside a transaction. */
  flightInTransaction = false;
  private buffer = Buffer.alloc(0);
  private started = false;
  private readonly prepared = new Map<string, string>();
  private bound = "";

  constructor(private readonly counter: WireCounter) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (!this.started) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        this.buffer = this.buffer.subarray(length);
        // SSLRequest / GSSENCRequest come before the real startup message.
        if (code !== 80877103 && code !== 80877104) this.started = true;
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < length + 1) return;
      const type = String.fromCharCode(this.buffer[0] ?? 0);
      const body = this.buffer.subarray(5, length + 1);
      this.buffer = this.buffer.subarray(length + 1);
      if (this.answered) {
        this.answered = false;
        this.counter.flight(this);
      }
      this.message(type, body);
    }
  }

  private message(type: string, body: Buffer): void {
    const strings = () => body.toString("utf8").split("\0");
    if (type === "Q") {
      this.counter.statement(strings()[0] ?? "", this);
    } else if (type === "P") {
      const [name = "", text = ""] = strings();
      this.prepared.set(name, text);
    } else if (type === "B") {
      const [, statement = ""] = strings();
      this.bound = this.prepared.get(statement) ?? "";
    } else if (type === "E") {
      this.counter.statement(this.bound, this);
    }
  }
}
