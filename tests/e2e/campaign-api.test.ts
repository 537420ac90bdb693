import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { campaignEvents, campaigns } from "../../src/db/schema.ts";
import { api, campaignBody, MARKETING, startCampaignE2E } from "../helpers/campaign-fixture.ts";
import { type E2E, INTAKE_TOKEN, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { testWorkspace } from "../helpers/workspace-fixture.ts";

const T0 = "2026-11-24T10:00:00Z";
const LAUNCH = new Date(Date.parse(T0) + 72 * HOUR);
let e2e: E2E;

beforeAll(async () => {
  e2e = await startCampaignE2E(new FakeClock(T0));
});
afterAll(() => e2e.stop());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  api(e2e.bot.url, "POST", "/api/v1/campaigns", body, headers);
const good = (overrides: Record<string, unknown> = {}) => campaignBody(LAUNCH, overrides);
const without = (key: string) => {
  const body: Record<string, unknown> = good();
  delete body[key];
  return body;
};

describe("POST /api/v1/campaigns with a bad body", () => {
  it.each([
    ["no name", without("name"), { name: "is required" }],
    ["a blank name", good({ name: "   " }), { name: "must not be empty" }],
    ["no launchAt", without("launchAt"), { launchAt: "is required" }],
    [
      "a launchAt in words",
      good({ launchAt: "tomorrow" }),
      { launchAt: expect.stringContaining("ISO 8601") },
    ],
    [
      "a launchAt without offset",
      good({ launchAt: "2026-12-01T09:00:00" }),
      { launchAt: expect.stringContaining("offset") },
    ],
    [
      "an endAt before launchAt",
      good({ endAt: new Date(LAUNCH.getTime() - HOUR).toISOString() }),
      { endAt: "must be after launchAt" },
    ],
    [
      "a campaign already over",
      good({
        launchAt: new Date(Date.parse(T0) - 48 * HOUR).toISOString(),
        endAt: new Date(Date.parse(T0) - HOUR).toISOString(),
      }),
      { endAt: "must be in the future" },
    ],
    ["no departments", without("departments"), { departments: "is required" }],
    [
      "an empty department list",
      good({ departments: [] }),
      { departments: "must name at least one department" },
    ],
    [
      "an unknown department",
      good({ departments: ["service", "marketing"] }),
      { "departments[1]": 'unknown department "marketing" (known: service, baggage, pr)' },
    ],
    [
      "a department twice",
      good({ departments: ["pr", "pr"] }),
      { "departments[1]": '"pr" is listed twice' },
    ],
    ["an owner name", good({ owner: "bob" }), { owner: "must be a Slack member ID (U… or W…)" }],
    ["no owner", without("owner"), { owner: "is required" }],
    [
      "an owner Slack does not know",
      good({ owner: "U0NOBODY" }),
      { owner: "there is no Slack member U0NOBODY in this workspace" },
    ],
    ["a negative audience", good({ audienceSize: -1 }), { audienceSize: "must be 0 or more" }],
    [
      "a fractional volume",
      good({ expectedVolume: 1.5 }),
      { expectedVolume: "must be a whole number" },
    ],
    [
      "a volume in words",
      good({ expectedVolume: "lots" }),
      { expectedVolume: "must be a whole number" },
    ],
    [
      "an unknown channel",
      good({ channels: ["email", "radio"] }),
      { "channels[1]": expect.stringContaining("must be one of email") },
    ],
    [
      "a blank keyword",
      good({ keywords: ["SPRING25", ""] }),
      { "keywords[1]": "must not be empty" },
    ],
    [
      "a javascript: FAQ link",
      good({ faqUrl: "javascript:alert(1)" }),
      { faqUrl: "must be an http(s) URL" },
    ],
    [
      "a NUL character, which PostgreSQL refuses",
      good({ name: "Spring\u0000sale" }),
      { name: "must not contain the NUL character (\\u0000)" },
    ],
    [
      "an end in the year 10000 in UTC",
      good({ endAt: "9999-12-31T23:59:59-05:00" }),
      { endAt: expect.stringContaining("9999-12-31T23:59:59Z") },
    ],
    ["an unknown field", good({ lauchAt: "2026-12-01T09:00:00Z" }), { lauchAt: "unknown field" }],
    ["a null body", null, { "(body)": "must be a JSON object" }],
    ["an array body", [good()], { "(body)": "must be a JSON object" }],
  ])("answers 400 for %s, naming the field", async (_what, body, issues) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("validation_failed");
    const byPath = Object.fromEntries(
      (res.json.error.issues as Array<{ path: string; message: string }>).map((i) => [
        i.path,
        i.message,
      ]),
    );
    expect(byPath).toMatchObject(issues);
    expect(res.json.error.message).toContain(Object.keys(issues)[0]);
  });

  it("names every bad field of one body at once", async () => {
    const res = await post(
      good({
        launchAt: "soon",
        departments: ["service", "nope"],
        owner: "",
        faqUrl: "ftp://x",
      }),
    );
    expect(res.status).toBe(400);
    expect(res.json.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(
      ["departments[1]", "faqUrl", "launchAt", "owner"].sort(),
    );
  });

  it("answers invalid JSON, a missing token, another media type and a huge body with 400, 401, 415 and 413", async () => {
    expect((await post("{not json")).json.error.code).toBe("invalid_json");
    const noToken = await post(good(), { authorization: "" });
    expect(noToken.status).toBe(401);
    const wrongToken = await post(good(), { authorization: "Bearer nope-nope-nope-nope" });
    expect(wrongToken.status).toBe(401);
    const text = await post("name=x", { "content-type": "text/plain" });
    expect(text.status).toBe(415);
    const huge = await post(good({ description: "x".repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
  });

  it("answers a method the path does not take with 405 and the methods it does", async () => {
    const res = await fetch(`${e2e.bot.url}/api/v1/campaigns/1`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${INTAKE_TOKEN}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, PATCH");
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "DELETE is not allowed on /api/v1/campaigns/1; use GET or PATCH",
    );
    const report = await api(e2e.bot.url, "POST", "/api/v1/reports/sla", {});
    expect(report.status).toBe(405);
  });

  it("stored nothing for any of them", async () => {
    expect(await e2e.db.db.select().from(campaigns)).toEqual([]);
    expect(await e2e.db.db.select().from(campaignEvents)).toEqual([]);
  });
});

describe("the rest of the campaigns API", () => {
  it("lists by status, reads one, edits, refuses bad edits and cancels", async () => {
    const created = await post(good());
    expect(created.status).toBe(201);
    const id = created.json.campaignId;
    const listed = await api(e2e.bot.url, "GET", "/api/v1/campaigns?status=upcoming");
    expect(listed.json.campaigns.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await api(e2e.bot.url, "GET", "/api/v1/campaigns?status=live")).json.campaigns).toEqual(
      [],
    );
    const bogus = await api(e2e.bot.url, "GET", "/api/v1/campaigns?status=soon");
    expect(bogus.status).toBe(400);
    expect(bogus.json.error.issues[0].path).toBe("status");
    const one = await api(e2e.bot.url, "GET", `/api/v1/campaigns/${id}`);
    expect(one.json).toMatchObject({
      id,
      name: "Spring fare sale",
      status: "upcoming",
      late: false,
      owner: MARKETING.marketer,
      linkedComplaints: 0,
      departments: [
        {
          department: "service",
          name: "Customer Service",
          acknowledged: false,
          acknowledgedBy: null,
        },
        { department: "baggage", name: "Baggage", acknowledged: false },
        { department: "pr", name: "Press & PR", acknowledged: false },
      ],
    });
    expect((await api(e2e.bot.url, "GET", "/api/v1/campaigns/not-a-uuid")).status).toBe(404);
    expect(
      (await api(e2e.bot.url, "GET", "/api/v1/campaigns/00000000-0000-4000-8000-000000000000"))
        .status,
    ).toBe(404);
    const empty = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {});
    expect(empty.status).toBe(400);
    const backwards = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      endAt: new Date(LAUNCH.getTime() - HOUR).toISOString(),
    });
    expect(backwards.json.error.issues).toEqual([
      { path: "endAt", message: "must be after launchAt" },
    ]);
    const cleared = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, { faqUrl: null });
    expect(cleared.json).toMatchObject({ changed: ["faqUrl"], campaign: { faqUrl: null } });
    const cancelled = await api(e2e.bot.url, "POST", `/api/v1/campaigns/${id}/cancel`);
    expect(cancelled.json).toMatchObject({ id, status: "cancelled" });
    const twice = await api(e2e.bot.url, "POST", `/api/v1/campaigns/${id}/cancel`);
    expect(twice.status).toBe(200);
    expect(
      (await api(e2e.bot.url, "GET", "/api/v1/campaigns?status=cancelled")).json.campaigns,
    ).toHaveLength(1);
    expect((await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, { name: "x" })).status).toBe(
      409,
    );
  });
});

describe("a campaign's owner over the API", () => {
  it("is refused on an edit when Slack does not know them, changing nothing", async () => {
    const created = await post(good({ name: "Owner check" }));
    expect(created.status).toBe(201);
    const id = created.json.campaignId;
    const events = async () => (await e2e.db.db.select().from(campaignEvents)).length;
    const before = await events();
    const res = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      owner: "U0GONE",
      name: "Owner check, renamed",
    });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe("Invalid fields: owner");
    expect(res.json.error.issues).toEqual([
      { path: "owner", message: "there is no Slack member U0GONE in this workspace" },
    ]);
    const now = await api(e2e.bot.url, "GET", `/api/v1/campaigns/${id}`);
    expect(now.json).toMatchObject({ owner: MARKETING.marketer, name: "Owner check" });
    expect(await events()).toBe(before);
    expect(
      e2e.double.callsTo("conversations.open").filter((c) => c.args.users === "U0GONE"),
    ).toEqual([]);
  });

  it("is taken as given while Slack does not answer: announcing never waits on Slack", async () => {
    e2e.double.setOutage(503);
    try {
      const res = await post(good({ name: "Announced during an outage", owner: "U0UNSEEN" }));
      expect(res.status).toBe(201);
    } finally {
      e2e.double.setOutage(null);
    }
    expect(e2e.double.callsTo("users.info").some((c) => c.args.user === "U0UNSEEN")).toBe(true);
  });
});

describe("listing by status among many campaigns", () => {
  it("finds an upcoming campaign behind 500 older cancelled ones (the filter is not applied to one page)", async () => {
    const old = (i: number) => new Date(Date.parse(T0) - (1000 - i) * HOUR);
    await e2e.db.db.insert(campaigns).values(
      Array.from({ length: 500 }, (_, i) => ({
        name: `Old sale ${i}`,
        launchAt: old(i),
        endAt: new Date(old(i).getTime() + HOUR),
        owner: MARKETING.marketer,
        announcedBy: "intake:test",
        announcedAt: old(i),
        cancelledAt: old(i),
        updatedAt: old(i),
      })),
    );
    const created = await post(good({ name: "Newest sale" }));
    expect(created.status).toBe(201);
    const upcoming = await api(e2e.bot.url, "GET", "/api/v1/campaigns?status=upcoming");
    expect(upcoming.json.campaigns.map((c: { name: string }) => c.name)).toContain("Newest sale");
    const cancelled = await api(e2e.bot.url, "GET", "/api/v1/campaigns?status=cancelled");
    expect(
      cancelled.json.campaigns.every((c: { status: string }) => c.status === "cancelled"),
    ).toBe(true);
  });
});

describe("paging the list", () => {
  type Page = { campaigns: { id: string; status: string }[]; nextCursor: string | null };
  const list = async (query: string) => {
    const res = await api(e2e.bot.url, "GET", `/api/v1/campaigns?${query}`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    return res.json as Page;
  };
  /** Every page from the first (or from `cursor`), following nextCursor. */
  const allPages = async (query: string, cursor?: string | null) => {
    const pages: Page[] = [];
    do {
      pages.push(await list(cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query));
      cursor = pages.at(-1)?.nextCursor;
    } while (cursor);
    return pages;
  };
  /** The campaigns in the database, in announcement order (then id), as the API pages them. */
  const stored = async () =>
    (await e2e.db.db.select().from(campaigns)).sort(
      (a, b) =>
        a.announcedAt.getTime() - b.announcedAt.getTime() ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );

  it("gives 100 by default and says where the next page starts, until every campaign was listed once", async () => {
    const all = await stored();
    expect(all.length).toBeGreaterThan(500);
    const first = await list("");
    expect(first.campaigns).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));

    const pages = await allPages("limit=500");

    expect(pages.map((p) => p.campaigns.length)).toEqual([500, all.length - 500]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    expect(pages.flatMap((p) => p.campaigns.map((c) => c.id))).toEqual(all.map((c) => c.id));
  });

  it("pages a status filter, each page holding only that status", async () => {
    const upcoming = (await stored()).filter((c) => !c.cancelledAt && c.launchAt > new Date(T0));
    expect(upcoming.length).toBeGreaterThan(2);

    const pages = await allPages("status=upcoming&limit=2");

    expect(pages.slice(0, -1).every((p) => p.campaigns.length === 2)).toBe(true);
    expect(pages.flatMap((p) => p.campaigns.map((c) => c.id))).toEqual(upcoming.map((c) => c.id));
    expect(pages.flatMap((p) => p.campaigns).every((c) => c.status === "upcoming")).toBe(true);
  });

  it("keeps a campaign's place while a client pages, though its launch moves", async () => {
    const first = await list("status=upcoming&limit=1");
    const [head] = first.campaigns;
    await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${head?.id}`, {
      launchAt: new Date(LAUNCH.getTime() + 24 * HOUR).toISOString(),
      endAt: new Date(LAUNCH.getTime() + 10 * 24 * HOUR).toISOString(),
    });
    const rest = await allPages("status=upcoming&limit=1", first.nextCursor);
    const ids = rest.flatMap((p) => p.campaigns.map((c) => c.id));
    expect(ids).not.toContain(head?.id);
    expect(ids).toHaveLength(
      (await stored()).filter((c) => !c.cancelledAt && c.launchAt > new Date(T0)).length - 1,
    );
  });

  it.each([
    ["limit=0", { limit: "must be a whole number from 1 to 500" }],
    ["limit=501", { limit: "must be a whole number from 1 to 500" }],
    ["limit=ten", { limit: "must be a whole number from 1 to 500" }],
    ["limit=1.5", { limit: "must be a whole number from 1 to 500" }],
    ["limit=1&limit=2", { limit: "must be a whole number from 1 to 500" }],
    ["cursor=not-ours", { cursor: "must be the nextCursor of a previous page" }],
    [
      `cursor=${Buffer.from("c1:00000000-0000-4000-8000-000000000000").toString("base64url")}`,
      { cursor: "must be the nextCursor of a previous page" },
    ],
    [
      "status=soon&limit=0",
      {
        status: "must be one of upcoming, live, ended, cancelled",
        limit: "must be a whole number from 1 to 500",
      },
    ],
  ])("answers ?%s with 400 naming the parameter", async (query, issues) => {
    const res = await api(e2e.bot.url, "GET", `/api/v1/campaigns?${query}`);
    expect(res.status).toBe(400);
    const named = Object.fromEntries(
      res.json.error.issues.map((i: { path: string; message: string }) => [i.path, i.message]),
    );
    expect(named).toEqual(issues);
  });
});

describe("without a campaigns section", () => {
  it("answers 404 saying how to turn campaigns on, and still links nothing", async () => {
    const bare = await startE2E({
      clock: new FakeClock(T0),
      timers: false,
      workspace: testWorkspace(),
    });
    try {
      const res = await api(bare.bot.url, "POST", "/api/v1/campaigns", good());
      expect(res.status).toBe(404);
      expect(res.json.error.message).toContain("campaigns section");
      const complaint = await bare.request("/api/v1/complaints", {
        body: { source: "twitter", externalId: "x1", text: "SPRING25 is broken" },
      });
      expect(complaint.json.campaignIds).toEqual([]);
    } finally {
      await bare.stop();
    }
  });
});
