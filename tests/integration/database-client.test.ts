import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../src/db/availability.ts";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import {
  type RestartablePostgres,
  startRestartablePostgres,
} from "../helpers/embedded-postgres.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";

/**
 * The postgres.js client as the bot opens it, under more concurrent work than it has
 * connections, and across a real PostgreSQL restart. Both broke in ways only load shows:
 * transactions failed with UNSAFE_TRANSACTION, and a restart ended the process.
 */

/** `workers` loops, each a transaction then a plain query, as intake and the outbox mix them. */
async function mixedLoad(db: DatabaseHandle, workers: number, rounds: number) {
  const failures: unknown[] = [];
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = 0; i < rounds; i += 1) {
        try {
          await db.db.transaction(async (tx) => {
            await tx.execute(sql`INSERT INTO load_test (at) VALUES (now())`);
          });
          await db.query(sql`SELECT count(*) FROM load_test`);
          done += 1;
        } catch (error) {
          failures.push(error);
        }
      }
    }),
  );
  return { done, failures };
}

/** An error's code (drizzle wraps the driver's error as its cause) or message. */
function codeOf(error: unknown): string {
  const e = error as { code?: string; cause?: { code?: string }; message?: string };
  return e.code ?? e.cause?.code ?? e.message ?? String(error);
}

describe("the PostgreSQL client", () => {
  let test: TestDatabase;
  const handles: DatabaseHandle[] = [];
  let server: RestartablePostgres | undefined;
  let proxy: TcpProxy | undefined;
  afterAll(async () => {
    for (const h of handles) await h.close(0);
    await proxy?.close();
    await test?.destroy();
    await server?.close();
  });

  it("runs transactions beside plain queries with more callers than connections", async () => {
    test = await createTestDatabase({ migrate: false });
    const db = await openDatabase({ url: test.url, dataDir: "unused", maxConnections: 3 });
    handles.push(db);
    await db.query(sql`CREATE TABLE load_test (id serial PRIMARY KEY, at timestamptz)`);
    const { done, failures } = await mixedLoad(db, 12, 25);
    expect(failures.map(codeOf)).toEqual([]);
    expect(done).toBe(12 * 25);
  });

  it("runs a transaction's concurrent statements in order and rolls all back when one fails", async () => {
    const db = await openDatabase({ url: test.url, dataDir: "unused", maxConnections: 2 });
    handles.push(db);
    await db.query(sql`CREATE TABLE pipelined (id int PRIMARY KEY)`);
    const failed = db.db.transaction((tx) =>
      Promise.all([
        tx.execute(sql`INSERT INTO pipelined VALUES (1)`),
        tx.execute(sql`INSERT INTO pipelined VALUES (1)`),
        tx.execute(sql`INSERT INTO pipelined VALUES (2)`),
      ]),
    );
    // The first error (the duplicate key), not the "transaction is aborted" of the third.
    await expect(failed).rejects.toSatisfy((e) => codeOf(e) === "23505");
    expect(await db.query(sql`SELECT id FROM pipelined`)).toEqual([]);
    await db.db.transaction((tx) =>
      Promise.all([1, 2, 3].map((id) => tx.execute(sql`INSERT INTO pipelined VALUES (${id})`))),
    );
    expect(await db.query(sql`SELECT id FROM pipelined ORDER BY id`)).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ]);
  });

  it("gives up on a frozen server when part of a transaction was answered", async () => {
    proxy = await startTcpProxy(test.url);
    const db = await openDatabase({
      url: proxy.via(test.url),
      dataDir: "unused",
      maxConnections: 1,
      timeouts: { responseMs: 1_000 },
    });
    handles.push(db);
    const answered: string[] = [];
    const frozen = db.db.transaction((tx) =>
      Promise.all([
        // So the server never closes the connection itself: only the watch can end the wait.
        tx.execute(sql`SET LOCAL idle_in_transaction_session_timeout = 0`),
        tx.execute(sql`SELECT 1`).then(() => answered.push("first")),
        // The freeze comes while the server sleeps: this answer and the next are held.
        tx.execute(sql`SELECT pg_sleep(0.5)`),
        tx.execute(sql`SELECT 2`),
      ]),
    );
    frozen.catch(() => {});
    await eventually(() => answered.length === 1, "the first statement's answer");
    proxy.freeze();
    // Answers came for the first statements; two are still owed. A watch that took an
    // answer for all of them (pipelined, they would have gone out together) would wait for
    // ever (here: until the bound below).
    const outcome = await Promise.race([
      frozen.then(
        () => "answered",
        (e) => (isDatabaseUnavailable(e) ? "unavailable" : codeOf(e)),
      ),
      new Promise((r) => setTimeout(r, 20_000, "still waiting")),
    ]);
    expect(outcome).toBe("unavailable");
    proxy.restore();
  });

  it("fails a query sent while its connection is being reset, instead of leaving it waiting for ever", async () => {
    test ??= await createTestDatabase({ migrate: false }); // when run alone
    const cutting = await startTcpProxy(test.url);
    const db = await openDatabase({
      url: cutting.via(test.url),
      dataDir: "unused",
      maxConnections: 4,
      timeouts: { connectMs: 1_000 },
    });
    handles.push(db);
    const outcomes: string[] = [];
    // A socket reports its reset ('error') an event-loop turn or so before it is closed;
    // a query sent in between went to a connection the pool still listed as open, and was
    // neither answered nor failed. Where that turn falls varies: send after 0, 1, 2… turns.
    for (let turns = 0; turns < 8; turns += 1) {
      cutting.restore();
      // Every connection open and idle, as the pool lists them when the database goes away.
      await eventually(
        () => Promise.all(Array.from({ length: 4 }, () => db.query(sql`SELECT pg_sleep(0.01)`))),
        "every connection back",
      );
      cutting.cut();
      for (let turn = 0; turn < turns; turn += 1) await new Promise((r) => setImmediate(r));
      // The only query of the outage: nothing else reconnects its connection meanwhile.
      const outcome = await Promise.race([
        db.query(sql`SELECT 1`).then(
          () => "answered",
          (e) => (isDatabaseUnavailable(e) ? "unavailable" : codeOf(e)),
        ),
        new Promise((r) => setTimeout(r, 20_000, `still waiting after ${turns} turns`)),
      ]);
      outcomes.push(String(outcome));
    }
    cutting.restore();
    await cutting.close();
    expect(outcomes).toEqual(Array(8).fill("unavailable"));
  }, 180_000);

  it("keeps the process alive through a PostgreSQL restart and works again after it", async () => {
    server = await startRestartablePostgres();
    const db = await openDatabase({ url: server.url, dataDir: "unused", maxConnections: 10 });
    handles.push(db);
    await db.query(sql`CREATE TABLE load_test (id serial PRIMARY KEY, at timestamptz)`);
    let stop = false;
    const errors: unknown[] = [];
    const load = (async () => {
      while (!stop) {
        const round = await mixedLoad(db, 12, 1);
        errors.push(...round.failures);
        if (round.failures.length > 0) await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await eventually(
      async () =>
        ((await db.query<{ n: string }>(sql`SELECT count(*) AS n FROM load_test`))[0]?.n ?? "0") !==
        "0",
      "the load to run",
    );
    // A fast shutdown (SIGINT) ends every session mid-transaction, as a restart or failover
    // does; the load keeps knocking while it is down. Twice: the crash came from a timing.
    for (let restart = 0; restart < 2; restart += 1) {
      const before = errors.length;
      await server.stop();
      // Generous: each failed round waits on reconnect backoff, slower on a loaded machine.
      await eventually(() => errors.length >= before + 30, "the load to fail against it", 45_000);
      await server.start();
      await eventually(
        async () => (await mixedLoad(db, 4, 1)).failures.length === 0,
        "transactions to work again",
        30_000,
      );
    }
    stop = true;
    await load;
    // What failed, failed as "the database is unavailable": intake answers 503 for these.
    expect(errors.filter((e) => !isDatabaseUnavailable(e)).map(codeOf)).toEqual([]);
  }, 180_000);
});
