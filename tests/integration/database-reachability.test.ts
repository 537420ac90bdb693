import { describe, expect, inject, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { checkReachable, DatabaseUnreachableError, serverOf } from "../../src/db/reachability.ts";
import { freePort } from "../helpers/bot-process.ts";

/**
 * The check the bot and the CLIs run before any real work on DATABASE_URL: a server that is
 * down or refuses us is named (host and port, never the password), with the fix.
 */

describe("serverOf", () => {
  it.each([
    ["postgres://sb:pw@db.internal:6543/switchboard", "db.internal:6543"],
    ["postgresql://sb:pw@db.internal/switchboard", "db.internal:5432"],
    ["postgres://db.internal:6543/switchboard?sslmode=require", "db.internal:6543"],
    ["postgres://sb:p%40ss%2Fword@10.0.0.5:5433/switchboard", "10.0.0.5:5433"],
    ["postgres://sb:p@ss@db:5433/switchboard", "db:5433"],
    ["postgres://sb:pw@[::1]/switchboard", "[::1]:5432"],
    ["postgres://sb:pw@h1:5432,h2:5433/switchboard", "h1:5432,h2:5433"],
    ["postgres://sb:pw@/switchboard", "localhost:5432"],
  ])("%s is shown as %s", (url, shown) => {
    expect(serverOf(url)).toBe(shown);
  });

  it("shows nothing when a password with an unencoded / or ? may have been cut in two", () => {
    expect(serverOf("postgres://sb:12/34@db:5432/switchboard")).toBeUndefined();
    expect(serverOf("postgres://sb:12?34@db:5432/switchboard")).toBeUndefined();
  });
});

describe("checkReachable", () => {
  it("passes a server that answers, and the embedded database without asking", async () => {
    for (const db of [
      await openDatabase({ url: inject("postgresUrl"), dataDir: "unused" }),
      await openDatabase({ dataDir: "memory://" }),
    ]) {
      try {
        await expect(checkReachable(db)).resolves.toBeUndefined();
      } finally {
        await db.close();
      }
    }
    // Starting PGlite (Postgres compiled to WebAssembly) took over 30 s on two busy cores.
  }, 120_000);

  it("names DATABASE_URL, the host and port, and the socket's error when nothing listens", async () => {
    const port = await freePort();
    const db = await openDatabase({
      url: `postgres://sb:not-in-the-message@127.0.0.1:${port}/switchboard`,
      dataDir: "unused",
    });
    try {
      const error = await checkReachable(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnreachableError);
      const message = (error as Error).message;
      expect(message).toMatch(
        new RegExp(
          `^Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(DATABASE_URL\\): connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\. Start PostgreSQL there`,
        ),
      );
      expect(message).not.toContain("not-in-the-message");
      expect(message).not.toContain("\n");
    } finally {
      await db.close(0);
    }
  });

  it("says what to correct when the server answers but refuses the database", async () => {
    const url = new URL(inject("postgresUrl"));
    url.pathname = "/sb_no_such_database";
    const db = await openDatabase({ url: url.toString(), dataDir: "unused" });
    try {
      const error = await checkReachable(db).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseUnreachableError);
      expect((error as Error).message).toBe(
        `Cannot connect to PostgreSQL at ${url.hostname}:${url.port || 5432} (DATABASE_URL): database "sb_no_such_database" does not exist. Correct the user, password or database name in DATABASE_URL.`,
      );
    } finally {
      await db.close(0);
    }
  });
});
