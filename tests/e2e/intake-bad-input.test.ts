import { deflateSync, gzipSync } from "node:zlib";
import { count, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/db/client.ts";
import { complaints } from "../../src/db/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import { type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";
import { type RunningSwitchboard, startSwitchboard } from "../../src/switchboard.ts";
import { INTAKE_TOKEN, testEnv } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { createPgliteDatabase, createTestDatabase } from "../helpers/test-database.ts";
import { complaintBody, testWorkspace } from "../helpers/workspace-fixture.ts";

/** Every limit a column has, broken once: each must be a 400 naming the field. */
const BROKEN_FIELDS: Array<[string, Record<string, unknown>, string]> = [
  ["a NUL in text", { text: "lost bag\u0000" }, "text"],
  ["a NUL in externalId", { externalId: "id-\u0000" }, "externalId"],
  ["a NUL in conversationId", { conversationId: "c\u00001" }, "conversationId"],
  ["a NUL in author.handle", { author: { handle: "ja\u0000ne" } }, "author.handle"],
  ["a NUL in author.name", { author: { handle: "jane", name: "J\u0000" } }, "author.name"],
  ["a NUL in url", { url: "https://x.com/a\u0000b" }, "url"],
  ["an unpaired surrogate in text", { text: "bag \ud800 lost" }, "text"],
  ["an unpaired surrogate in externalId", { externalId: "x\udc00" }, "externalId"],
  ["2^31 followers", { author: { handle: "jane", followers: 2 ** 31 } }, "author.followers"],
  ["year 0000", { postedAt: "0000-01-01T00:00:00Z" }, "postedAt"],
  ["a year past 9999 in UTC", { postedAt: "9999-12-31T23:59:59-12:00" }, "postedAt"],
  // A misspelt field would be dropped without a word: replies filed as new threads, say.
  ["a misspelt conversationId", { conversation_id: "c1" }, "conversation_id"],
  ["an unknown author field", { author: { handle: "jane", follower: 5 } }, "author.follower"],
  ["an unknown metrics field", { metrics: { retweets: 5 } }, "metrics.retweets"],
];

const DATABASES: Array<[string, () => Promise<DatabaseHandle & { destroy?(): Promise<void> }>]> = [
  ["PostgreSQL", createTestDatabase],
  ["the embedded PGlite", createPgliteDatabase],
];

/** The test workspace's bot on this database, without timers: these tests are about requests. */
const startQuietBot = (double: SlackDouble, db: DatabaseHandle, clock?: FakeClock) =>
  startSwitchboard({
    env: testEnv(double),
    workspace: testWorkspace(),
    logger: silentLogger,
    host: "127.0.0.1",
    db,
    timers: false,
    ...(clock ? { clock } : {}),
  });

describe.each(DATABASES)("intake on %s", (_name, createDatabase) => {
  let double: SlackDouble;
  let db: DatabaseHandle & { destroy?(): Promise<void> };
  let bot: RunningSwitchboard;
  beforeAll(async () => {
    double = await startSlackDouble();
    db = await createDatabase();
    bot = await startQuietBot(double, db);
    await bot.worker.stop(); // nothing here is about delivery
  });
  afterAll(async () => {
    await bot.stop();
    await (db.destroy ? db.destroy() : db.close());
    await double.stop();
  });

  const post = async (
    path: string,
    body: string | Uint8Array,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${bot.url}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${INTAKE_TOKEN}`,
        "content-type": "application/json",
        ...headers,
      },
      body,
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read whichever JSON shape the endpoint answers
    const json: any = await res.json();
    return { status: res.status, type: res.headers.get("content-type"), json };
  };
  const stored = async () => (await db.db.select({ n: count() }).from(complaints))[0]?.n ?? 0;

  it.each(BROKEN_FIELDS)("answers %s with a 400 naming the field", async (_l, change, path) => {
    const before = await stored();
    const res = await post("/api/v1/complaints", JSON.stringify(complaintBody(change)));
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
    expect(res.json.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    const batch = await post(
      "/api/v1/complaints/batch",
      JSON.stringify({ complaints: [complaintBody(change), complaintBody()] }),
    );
    expect(batch.status).toBe(200);
    expect(batch.json.results[0]).toMatchObject({ status: 400, error: { issues: [{ path }] } });
    expect(batch.json.results[1]).toMatchObject({ status: 202 });
    expect(await stored()).toBe(before + 1);
  });

  it("names an unknown field, the nearest known one and every field it could be", async () => {
    const res = await post(
      "/api/v1/complaints",
      JSON.stringify(complaintBody({ conversationID: "c1", author: { handle: "j", folowers: 1 } })),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toEqual([
      // The author's, then the body's: zod reports an object's unknown keys after its fields.
      {
        path: "author.folowers",
        message:
          'unknown field (did you mean "followers"?); the fields are handle, name, followers, verified',
      },
      {
        path: "conversationID",
        message:
          'unknown field (did you mean "conversationId"?); the fields are source, externalId, text, url, author, postedAt, conversationId, metrics, language',
      },
    ]);
  });

  it("refuses a batch body with an unknown key, naming it and the nearest known one, filing nothing", async () => {
    const before = await stored();
    const res = await post(
      "/api/v1/complaints/batch",
      JSON.stringify({ complaints: [complaintBody()], complaint: [complaintBody()], dryRun: true }),
    );
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({
      code: "validation_failed",
      message: "Invalid fields: complaint, dryRun",
      issues: [
        {
          path: "complaint",
          message: 'unknown field (did you mean "complaints"?); the fields are complaints',
        },
        { path: "dryRun", message: "unknown field; the fields are complaints" },
      ],
    });
    expect(await stored()).toBe(before);
  });

  it("says what is wrong with an empty or overlong field in words, once per field", async () => {
    const res = await post(
      "/api/v1/complaints",
      JSON.stringify(
        complaintBody({
          source: "",
          externalId: " ",
          author: { handle: "", name: "n".repeat(257) },
          text: "t".repeat(20_001),
        }),
      ),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toEqual([
      { path: "source", message: "must not be empty" },
      { path: "externalId", message: "must not be empty" },
      { path: "text", message: "must be at most 20,000 characters" },
      { path: "author.handle", message: expect.stringMatching(/^is needed when other author/) },
      { path: "author.name", message: "must be at most 256 characters" },
    ]);
  });

  it("says how to write a date-time without an offset and a negative or fractional count", async () => {
    const res = await post(
      "/api/v1/complaints",
      JSON.stringify(
        complaintBody({
          postedAt: "2026-11-24T08:15:00",
          author: { handle: "jane", followers: 12.5 },
          metrics: { shares: -3 },
        }),
      ),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toEqual([
      { path: "author.followers", message: "must be a whole number" },
      {
        path: "postedAt",
        message: "must be an ISO 8601 date-time with an offset, e.g. 2026-11-24T08:15:00Z",
      },
      { path: "metrics.shares", message: "must be 0 or more" },
    ]);
    const negative = await post(
      "/api/v1/complaints",
      JSON.stringify(complaintBody({ author: { handle: "jane", followers: -1 } })),
    );
    expect(negative.json.error.issues).toEqual([
      { path: "author.followers", message: "must be 0 or more" },
    ]);
  });

  it("takes an optional field sent as null or blank as not given, as integration tools send one", async () => {
    const body = complaintBody({
      url: null,
      conversationId: "  ",
      postedAt: "",
      language: null,
      metrics: null,
      author: { handle: "jane", name: null, followers: null, verified: "" },
    });
    const res = await post("/api/v1/complaints", JSON.stringify(body));
    expect(res.status).toBe(202);
    const [row] = await db.db
      .select()
      .from(complaints)
      .where(eq(complaints.id, res.json.complaintId as string));
    expect(row).toMatchObject({
      url: null,
      conversationId: null,
      postedAt: null,
      language: null,
      authorHandle: "jane",
      authorFollowers: null,
    });
    // A required field is still required, null or blank (an all-blank author is no author).
    const missing = await post(
      "/api/v1/complaints",
      JSON.stringify(complaintBody({ text: null, author: { handle: " ", name: "Jane" } })),
    );
    expect(missing.status).toBe(400);
    expect(missing.json.error.issues.map((i: { path: string }) => i.path)).toEqual([
      "text",
      "author.handle",
    ]);
  });

  it("takes the largest values the columns hold", async () => {
    const res = await post(
      "/api/v1/complaints",
      JSON.stringify(
        complaintBody({
          author: { handle: "big", followers: 2 ** 31 - 1 },
          text: "emoji are fine 🧳 and so is é",
        }),
      ),
    );
    expect(res.status).toBe(202);
    const early = await post(
      "/api/v1/complaints",
      JSON.stringify(complaintBody({ postedAt: "0001-01-01T00:00:00Z" })),
    );
    expect(early.status).toBe(202);
  });

  const raw = JSON.stringify(complaintBody());
  it.each([
    ["a truncated gzip body", gzipSync(raw).subarray(0, 20), "gzip"],
    ["a gzip header on plain text", Buffer.from(raw), "gzip"],
    ["a truncated deflate body", deflateSync(raw).subarray(0, 12), "deflate"],
    ["a corrupt deflate body", Buffer.from("not deflate at all"), "deflate"],
  ])("answers %s with a 400 about the body", async (_label, body, encoding) => {
    const res = await post("/api/v1/complaints", new Uint8Array(body), {
      "content-encoding": encoding,
    });
    expect(res.status).toBe(400);
    expect(res.type).toContain("application/json");
    expect(res.json.error).toMatchObject({ code: "invalid_body", issues: [{ path: "(body)" }] });
    expect(res.json.error.message).toContain(encoding);
  });

  it("still takes a well-formed gzip body", async () => {
    const res = await post("/api/v1/complaints", new Uint8Array(gzipSync(raw)), {
      "content-encoding": "gzip",
    });
    expect(res.status).toBe(202);
  });

  it("refuses a body that is not UTF-8 with a 400 saying so, storing nothing", async () => {
    const before = await stored();
    // "Café" as Latin-1: the é is one byte 0xE9, which UTF-8 would read as a broken sequence.
    const latin1 = Buffer.from(JSON.stringify(complaintBody({ text: "Café cold" })), "latin1");
    for (const path of ["/api/v1/complaints", "/api/v1/complaints/batch"]) {
      const res = await post(path, new Uint8Array(latin1));
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: "invalid_body", issues: [{ path: "(body)" }] });
      expect(res.json.error.message).toContain("not valid UTF-8");
    }
    expect(await stored()).toBe(before);
    const utf8 = await post("/api/v1/complaints", JSON.stringify(complaintBody({ text: "Café" })));
    expect(utf8.status).toBe(202);
  });

  it("answers any string in any text field with 202 or 400, never 5xx", async () => {
    const field = fc.constantFrom("text", "externalId", "conversationId", "url", "handle", "name");
    await fc.assert(
      fc.asyncProperty(field, fc.string({ unit: "binary", maxLength: 40 }), async (key, value) => {
        const body = complaintBody(
          key === "handle" || key === "name"
            ? { author: { handle: "jane", [key]: value } }
            : { [key]: value },
        );
        const res = await post("/api/v1/complaints", JSON.stringify(body));
        expect([202, 400]).toContain(res.status);
      }),
      { numRuns: 80 },
    );
  });
});

describe("a postedAt ahead of the bot's clock", () => {
  const clock = new FakeClock("2026-11-24T10:00:00Z");
  let double: SlackDouble;
  let db: DatabaseHandle & { destroy?(): Promise<void> };
  let bot: RunningSwitchboard;
  beforeAll(async () => {
    double = await startSlackDouble();
    db = await createTestDatabase();
    bot = await startQuietBot(double, db, clock);
    await bot.worker.stop(); // nothing here is about delivery
  });
  afterAll(async () => {
    await bot.stop();
    await (db.destroy ? db.destroy() : db.close());
    await double.stop();
  });

  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever JSON shape the endpoint answers
  const post = async (path: string, body: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${bot.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${INTAKE_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };
  const stored = async () => (await db.db.select({ n: count() }).from(complaints))[0]?.n ?? 0;
  const refusal = (value: string) => ({
    path: "postedAt",
    message: `is ${value}, more than 24 hours after the bot's current time (2026-11-24T10:00:00.000Z): a post cannot be from the future; check the sending tool's clock and time zone`,
  });

  it("refuses one dated more than a day ahead with a 400 naming the value and the bot's time, storing nothing", async () => {
    for (const postedAt of ["2099-01-01T00:00:00Z", "2026-11-25T10:00:01Z"]) {
      const res = await post("/api/v1/complaints", complaintBody({ postedAt }));
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({
        code: "validation_failed",
        issues: [refusal(postedAt)],
      });
    }
    expect(await stored()).toBe(0);
  });

  it("takes one up to a day ahead: a listening tool's clock may run a little fast", async () => {
    const before = await stored();
    // Exactly 24 hours ahead, written in another offset.
    const res = await post(
      "/api/v1/complaints",
      complaintBody({ postedAt: "2026-11-25T11:00:00+01:00" }),
    );
    expect(res.status).toBe(202);
    expect(await stored()).toBe(before + 1);
  });

  it("refuses such a complaint in a batch, filing the others", async () => {
    const before = await stored();
    const postedAt = "2099-06-01T12:00:00+02:00";
    const res = await post("/api/v1/complaints/batch", {
      complaints: [complaintBody({ postedAt }), complaintBody()],
    });
    expect(res.status).toBe(200);
    expect(res.json.results[0]).toMatchObject({
      status: 400,
      error: { issues: [refusal(postedAt)] },
    });
    expect(res.json.results[1]).toMatchObject({ status: 202 });
    expect(await stored()).toBe(before + 1);
  });
});

describe("paths under /api that do not exist", () => {
  let double: SlackDouble;
  let db: DatabaseHandle;
  let bot: RunningSwitchboard;
  beforeAll(async () => {
    double = await startSlackDouble();
    db = await createPgliteDatabase();
    bot = await startQuietBot(double, db);
  });
  afterAll(async () => {
    await bot.stop();
    await db.close();
    await double.stop();
  });

  it("answers an unknown path with a JSON 404 and a wrong method with a JSON 405", async () => {
    const unknown = await fetch(`${bot.url}/api/v2/complaints`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/json");
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
    const wrongMethod = await fetch(`${bot.url}/api/v1/complaints`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(await wrongMethod.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  });
});
