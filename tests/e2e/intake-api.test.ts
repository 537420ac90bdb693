import { count } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { complaints, outbox, threads } from "../../src/db/schema.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { CHANNELS, complaintBody } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(() => e2e.stop());

async function rowCounts() {
  const [c] = await e2e.db.db.select({ n: count() }).from(complaints);
  const [t] = await e2e.db.db.select({ n: count() }).from(threads);
  const [o] = await e2e.db.db.select({ n: count() }).from(outbox);
  return { complaints: c?.n, threads: t?.n, outbox: o?.n };
}

describe("POST /api/v1/complaints", () => {
  it("answers 202 with the ids, department and priority", async () => {
    const res = await e2e.request("/api/v1/complaints", {
      body: complaintBody({
        text: "You broke my suitcase",
        author: { handle: "@big", followers: 50_000 },
      }),
    });
    expect(res.status).toBe(202);
    expect(res.json).toEqual({
      complaintId: expect.any(String),
      threadId: expect.any(String),
      department: "baggage",
      priority: "P2",
      kind: "complaint",
      duplicate: false,
      campaignIds: [],
    });
  });

  it("answers a resend with the same ids and duplicate: true, posting nothing new", async () => {
    const body = complaintBody();
    const first = await e2e.request("/api/v1/complaints", { body });
    await eventually(
      () => e2e.double.messages(CHANNELS.service).some((m) => m.text.includes(body.text)),
      "the card",
    );
    // Counted in this channel only: the first test's card goes to #baggage, maybe only now.
    const postsHere = () =>
      e2e.double.callsTo("chat.postMessage").filter((c) => c.args.channel === CHANNELS.service);
    const posted = postsHere().length;
    expect(posted).toBeGreaterThan(0);
    const again = await e2e.request("/api/v1/complaints", { body });
    expect(again.status).toBe(202);
    expect(again.json).toEqual({ ...first.json, duplicate: true });
    await e2e.bot.worker.runOnce();
    expect(postsHere()).toHaveLength(posted);
    expect(
      e2e.double.messages(CHANNELS.service).filter((m) => m.text.includes(body.text)),
    ).toHaveLength(1);
  });

  it.each([
    ["no token", { authorization: "" }],
    ["a wrong token", { authorization: "Bearer not-the-right-token-at-all" }],
    ["another scheme", { authorization: "Basic dXNlcjpwYXNz" }],
  ])("answers 401 with %s, writing nothing", async (_label, headers) => {
    const before = await rowCounts();
    const res = await e2e.request("/api/v1/complaints", { body: complaintBody(), headers });
    expect(res.status).toBe(401);
    expect(res.json.error.code).toBe("unauthorized");
    expect(await rowCounts()).toEqual(before);
  });

  it("answers 400 naming every invalid field's path", async () => {
    const before = await rowCounts();
    const res = await e2e.request("/api/v1/complaints", {
      body: {
        source: "twitter",
        text: "",
        url: "ftp://x",
        author: { followers: "many" },
        metrics: { shares: -1 },
        postedAt: "last tuesday",
      },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
    const paths = res.json.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "externalId",
        "text",
        "url",
        "author.handle",
        "author.followers",
        "metrics.shares",
        "postedAt",
      ]),
    );
    expect(res.json.error.message).toContain("author.followers");
    // In words a person fixing the request reads, not zod's.
    expect(res.json.error.issues).toEqual(
      expect.arrayContaining([
        { path: "externalId", message: "is required" },
        { path: "author.handle", message: expect.stringMatching(/^is needed when other author/) },
        { path: "author.followers", message: "must be a number (got a string)" },
      ]),
    );
    expect(await rowCounts()).toEqual(before);
  });

  it("files a post whose author fields are all blank or null as one with no author", async () => {
    // What Zapier or a CSV import sends when nothing was mapped to the author.
    const single = complaintBody({
      text: "the lounge was closed, nobody told me",
      author: { handle: "", name: null, followers: "", verified: null },
    });
    const batched = complaintBody({ text: "the lounge is closed again", author: { handle: " " } });
    const res = await e2e.request("/api/v1/complaints", { body: single });
    expect(res.status).toBe(202);
    const batch = await e2e.request("/api/v1/complaints/batch", {
      body: { complaints: [batched] },
    });
    expect(batch.json.results).toEqual([expect.objectContaining({ status: 202 })]);
    for (const body of [single, batched]) {
      const card = await eventually(
        () => e2e.double.messages(CHANNELS.service).find((m) => m.text.includes(body.text)),
        "the card",
      );
      expect(JSON.stringify(card.blocks)).toContain("_unknown author_");
    }
  });

  it("refuses a blank handle beside other author fields, naming author.handle and the fix", async () => {
    const before = await rowCounts();
    const res = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ author: { handle: "", name: "Jane Doe", followers: 40 } }),
    });
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toEqual([
      {
        path: "author.handle",
        message:
          "is needed when other author fields are given: send the author's handle, or leave every author field blank (or author out) for a post without an author",
      },
    ]);
    const batch = await e2e.request("/api/v1/complaints/batch", {
      body: { complaints: [complaintBody({ author: { handle: null, verified: true } })] },
    });
    expect(batch.json.results[0]).toMatchObject({
      status: 400,
      error: { issues: [{ path: "author.handle" }] },
    });
    expect(await rowCounts()).toEqual(before);
  });

  it("answers 400 for a body that is not a JSON object or not JSON at all", async () => {
    const notObject = await e2e.request("/api/v1/complaints", { rawBody: "[1,2]" });
    expect(notObject.status).toBe(400);
    const broken = await e2e.request("/api/v1/complaints", { rawBody: '{"source": "twit' });
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe("invalid_json");
    const empty = await e2e.request("/api/v1/complaints", { rawBody: "" });
    expect(empty.status).toBe(400);
  });

  it("answers 415 when the body is not declared JSON", async () => {
    const res = await e2e.request("/api/v1/complaints", {
      rawBody: "source=twitter",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect(res.json.error.code).toBe("unsupported_media_type");
  });

  it("answers 413 over 1 MiB, writing nothing", async () => {
    const before = await rowCounts();
    const res = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text: "x".repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("payload_too_large");
    expect(await rowCounts()).toEqual(before);
  });
});

describe("POST /api/v1/complaints/batch", () => {
  it("files each item on its own and answers for each", async () => {
    const good = complaintBody({ text: "lost bag again" });
    const res = await e2e.request("/api/v1/complaints/batch", {
      body: { complaints: [good, { ...complaintBody(), text: "" }, good] },
    });
    expect(res.status).toBe(200);
    const [first, second, third] = res.json.results;
    expect(first).toMatchObject({ index: 0, status: 202, department: "baggage", duplicate: false });
    expect(second).toMatchObject({ index: 1, status: 400, error: { code: "validation_failed" } });
    expect(second.error.issues.map((i: { path: string }) => i.path)).toEqual(["text"]);
    expect(third).toMatchObject({
      index: 2,
      status: 202,
      complaintId: first.complaintId,
      duplicate: true,
    });
    expect(res.json.summary).toEqual({ accepted: 1, duplicates: 1, rejected: 1 });
  });

  it("files a conversation's posts in batch order while the rest go alongside", async () => {
    const opener = complaintBody({ text: "my suitcase vanished at the carousel" });
    const reply = (n: string) =>
      complaintBody({ conversationId: opener.externalId, text: `suitcase update ${n}` });
    const others = Array.from({ length: 6 }, (_, i) => complaintBody({ text: `on hold ${i}` }));
    const res = await e2e.request("/api/v1/complaints/batch", {
      body: {
        complaints: [opener, ...others.slice(0, 3), reply("one"), ...others.slice(3), reply("two")],
      },
    });
    expect(res.status).toBe(200);
    expect(res.json.summary).toEqual({ accepted: 9, duplicates: 0, rejected: 0 });
    expect(res.json.results.map((r: { index: number }) => r.index)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8,
    ]);
    const [first] = res.json.results;
    expect(res.json.results[4].threadId).toBe(first.threadId);
    expect(res.json.results[8].threadId).toBe(first.threadId);
    // What people see: the card, then the two updates under it, in the order they were sent.
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.baggage).find((m) => m.text.includes("vanished")),
      "the card",
    );
    const replies = await eventually(() => {
      const under = e2e.double
        .messages(CHANNELS.baggage)
        .filter((m) => m.threadTs === card.ts)
        .sort((a, b) => Number(a.ts) - Number(b.ts));
      return under.length === 2 ? under : undefined;
    }, "both replies");
    expect(replies.map((m) => (m.text.includes("update one") ? "one" : "two"))).toEqual([
      "one",
      "two",
    ]);
  });

  it("refuses more than 500 items, naming the field", async () => {
    const items = Array.from({ length: 501 }, () => ({ source: "x", externalId: "y", text: "z" }));
    const res = await e2e.request("/api/v1/complaints/batch", { body: { complaints: items } });
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toEqual([
      {
        path: "complaints",
        message: "holds more than 500 complaints; send them in batches of 500 or fewer",
      },
    ]);
  });
});

describe("GET /healthz", () => {
  it("reports the database and Slack delivery", async () => {
    const res = await e2e.request("/healthz");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      status: "ok",
      database: { ok: true, kind: "postgres" },
      slackDelivery: { ok: true, failed: 0 },
    });
  });
});
