import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of PostgreSQL that a test controls: forward, freeze (connections stay
 * open and accept bytes, but nothing is answered, like a server stopped with SIGSTOP), or
 * cut (every connection is reset and new ones are reset at once, like a server that is
 * down). Only this test's connections go through it, so the shared test server is untouched.
 */
export interface TcpProxy {
  /** `url` with its host and port pointed at the proxy. */
  via(url: string): string;
  freeze(): void;
  cut(): void;
  /** Forwards again, delivering whatever a freeze held back. */
  restore(): void;
  /** Connections the proxy closed at once because it was cut. */
  readonly refused: number;
  /** Connections that sent bytes the freeze is holding back. */
  readonly held: number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes held during a freeze, in order, with the socket each must go to. */
  backlog: Array<{ to: Socket; chunk: Buffer }>;
}

export async function startTcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  let mode: "open" | "frozen" | "cut" = "open";
  let refused = 0;
  const pairs = new Set<Pair>();

  const drop = (pair: Pair) => {
    // A reset, as a server that is gone answers: the client fails at once, not after a wait.
    if (!pair.client.destroyed) pair.client.resetAndDestroy();
    pair.upstream.destroy();
    pairs.delete(pair);
  };
  const forward = (pair: Pair, from: Socket, to: Socket) => {
    from.on("data", (chunk: Buffer) => {
      if (mode === "frozen") pair.backlog.push({ to, chunk });
      else to.write(chunk);
    });
    from.on("error", () => drop(pair));
    from.on("close", () => drop(pair));
  };

  const server: Server = createServer((client) => {
    if (mode === "cut") {
      refused += 1;
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    const pair: Pair = { client, upstream, backlog: [] };
    pairs.add(pair);
    forward(pair, client, upstream);
    forward(pair, upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;

  return {
    via(url) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(port);
      return u.toString();
    },
    freeze() {
      mode = "frozen";
    },
    cut() {
      mode = "cut";
      for (const pair of [...pairs]) drop(pair);
    },
    restore() {
      mode = "open";
      for (const pair of pairs) {
        for (const { to, chunk } of pair.backlog.splice(0)) to.write(chunk);
      }
    },
    get refused() {
      return refused;
    },
    get held() {
      return [...pairs].filter((p) => p.backlog.length > 0).length;
    },
    async close() {
      for (const pair of [...pairs]) drop(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
