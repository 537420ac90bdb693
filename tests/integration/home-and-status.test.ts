import type { WebClient } from "@slack/web-api";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { enqueueOutbox } from "../../src/db/outbox-store.ts";
import {
  digests,
  homeTabs,
  outbox,
  slaBreaches,
  threadEvents,
  timers,
} from "../../src/db/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { noteOnHome, openHome } from "../../src/services/open-home.ts";
import { LISTED_FAILURES, readStatus, readStatusAs } from "../../src/services/read-status.ts";
import { threadTimeline } from "../../src/services/thread-timeline.ts";
import { buildHomeModel } from "../../src/slack/home-delivery.ts";
import { buildAppHome } from "../../src/slack/views/app-home.ts";
import { FakeClock, MINUTE } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, PEOPLE, testWorkspace } from "../helpers/workspace-fixture.ts";

/*
 * The services behind the App Home and `/switchboard status`, at the level of what they leave
 * in the database: the end-to-end tests show what Slack displays, these pin the rows.
 */
let db: TestDatabase;
let ctx: ServiceContext;
const clock = new FakeClock("2026-12-01T10:00:00Z");
const config = testWorkspace();

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = { db, clock, logger: silentLogger, actor: { type: "system" } };
});
afterAll(() => db.destroy());
beforeEach(async () => {
  await db.db.delete(outbox);
  await db.db.delete(homeTabs);
});

const homeOf = async (user: string) =>
  (await db.db.select().from(homeTabs).where(eq(homeTabs.userId, user)))[0];
const publishes = async () =>
  (await db.db.select().from(outbox).where(eq(outbox.kind, "home.publish"))).map((r) => ({
    channel: r.channel,
    payload: r.payload,
    status: r.status,
  }));

describe("opening the App Home", () => {
  it("remembers the user's departments once each, sorted, and queues one publish", async () => {
    await openHome(ctx, { user: PEOPLE.alice, departments: ["service", "baggage", "service"] });
    expect(await homeOf(PEOPLE.alice)).toMatchObject({
      departments: ["baggage", "service"],
      openedAt: clock.now(),
      notice: null,
    });
    expect(await publishes()).toEqual([
      { channel: "views.publish", payload: { user: PEOPLE.alice }, status: "pending" },
    ]);
  });

  it("updates the departments and time when opened again, with no second publish waiting", async () => {
    await openHome(ctx, { user: PEOPLE.bob, departments: ["baggage"] });
    clock.advance(5 * MINUTE);
    await openHome(ctx, { user: PEOPLE.bob, departments: ["pr"] });
    expect(await homeOf(PEOPLE.bob)).toMatchObject({ departments: ["pr"], openedAt: clock.now() });
    expect(await publishes()).toHaveLength(1);
  });

  it("shows a note on an opened Home, keeping its departments, and republishes it", async () => {
    await openHome(ctx, { user: PEOPLE.lead, departments: ["service"] });
    await db.db.delete(outbox);
    await noteOnHome(ctx, PEOPLE.lead, "You cannot claim that thread.");
    expect(await homeOf(PEOPLE.lead)).toMatchObject({
      departments: ["service"],
      notice: "You cannot claim that thread.",
    });
    expect(await publishes()).toEqual([
      { channel: "views.publish", payload: { user: PEOPLE.lead }, status: "pending" },
    ]);
    await noteOnHome(ctx, PEOPLE.lead, null);
    expect((await homeOf(PEOPLE.lead))?.notice).toBeNull();
  });

  it("gives someone who never opened the Home one with no departments and the note", async () => {
    await noteOnHome(ctx, PEOPLE.outsider, "Only admins can see that.");
    expect(await homeOf(PEOPLE.outsider)).toMatchObject({
      departments: [],
      openedAt: clock.now(),
      notice: "Only admins can see that.",
    });
    expect(await publishes()).toEqual([
      { channel: "views.publish", payload: { user: PEOPLE.outsider }, status: "pending" },
    ]);
  });
});

describe("Switchboard's status", () => {
  it("counts waiting and failed deliveries, lists the latest failures and the timers due", async () => {
    await db.db.delete(timers);
    const queuedAt = clock.now();
    await enqueueOutbox(db.db, { kind: "thread.post_card", channel: "C1", payload: {} }, queuedAt);
    for (let i = 0; i < LISTED_FAILURES + 2; i++) {
      await enqueueOutbox(db.db, { kind: "thread.reply", channel: `C${i}`, payload: {} }, queuedAt);
    }
    const failed = await db.db
      .update(outbox)
      .set({ status: "failed", lastError: "channel_not_found" })
      .where(eq(outbox.kind, "thread.reply"))
      .returning({ id: outbox.id });
    const thread = await ingestComplaint(ctx, config, complaintBody({ text: "press enquiry" }));
    clock.advance(2 * MINUTE);

    const status = await readStatus(ctx, config);
    expect(status.database).toEqual({ kind: "postgres", ok: true });
    expect(status.delivery).toMatchObject({ pending: 2, failed: LISTED_FAILURES + 2 }); // C1 and the card
    expect(status.delivery.oldestPendingAt).toEqual(queuedAt);
    const newest = failed.map((f) => f.id).sort((a, b) => b - a);
    expect(status.delivery.failures.map((f) => f.id)).toEqual(newest.slice(0, LISTED_FAILURES));
    expect(status.delivery.failures[0]).toEqual({
      id: newest[0],
      kind: "thread.reply",
      channel: `C${LISTED_FAILURES + 1}`,
      to: `C${LISTED_FAILURES + 1}`,
      about: null,
      lastError: "channel_not_found",
      createdAt: queuedAt,
    });
    const threadTimers = await db.db.select().from(timers).where(eq(timers.status, "pending"));
    const firstDue = Math.min(...threadTimers.map((t) => t.fireAt.getTime()));
    expect(thread.department).toBe("pr");
    expect(status.timers).toEqual([
      { subjectType: "thread", pending: threadTimers.length, nextDue: new Date(firstDue) },
    ]);
  });

  it("is for admins only, and says who they are", async () => {
    const refused = await readStatusAs(ctx, config, PEOPLE.alice);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toContain(
      "Only Switchboard admins can see Switchboard's status",
    );
    const shown = await readStatusAs(ctx, config, PEOPLE.admin);
    expect(shown.ok && shown.status.database.ok).toBe(true);
  });
});

describe("a thread's timeline", () => {
  it("lists that thread's events only, oldest first", async () => {
    const first = await ingestComplaint(ctx, config, complaintBody({ text: "lost bag again" }));
    await ingestComplaint(ctx, config, complaintBody({ text: "another thread" }));
    clock.advance(MINUTE);
    await db.db.insert(threadEvents).values({
      threadId: first.threadId,
      kind: "thread.note",
      actor: "system",
      at: clock.now(),
      details: {},
    });
    const events = await threadTimeline(ctx, first.threadId);
    expect(events.map((e) => [e.threadId, e.kind])).toEqual([
      [first.threadId, "thread.opened"],
      [first.threadId, "thread.note"],
    ]);
  });
});

describe("a lead's Home", () => {
  it("counts each led department's breaches over its own day, in its calendar's time zone", async () => {
    // Baggage keeps office hours in Kolkata (UTC+5:30); service and PR have no calendar (UTC).
    const kolkata = testWorkspace((c) => {
      const office = c.calendars["london-office"];
      if (office) office.timezone = "Asia/Kolkata";
    });
    const at = new FakeClock("2026-06-15T19:00:00Z"); // 00:30 on Tuesday 16 June in Kolkata
    const { threadId } = await ingestComplaint({ ...ctx, clock: at }, kolkata, {
      ...complaintBody({ text: "lost bag in Delhi", postedAt: "2026-06-15T18:55:00Z" }),
    });
    // Due 20:00 UTC Monday: 01:30 on Tuesday in Kolkata, today there; yesterday in UTC.
    await db.db.insert(slaBreaches).values({
      threadId,
      clockKind: "claim",
      clockStartedAt: at.now(),
      department: "baggage",
      priority: "P3",
      dueAt: new Date("2026-06-15T20:00:00Z"),
      recordedAt: new Date("2026-06-15T20:00:00Z"),
    });
    at.set("2026-06-16T10:00:00Z");
    const model = await buildHomeModel(
      { db, client: {} as WebClient, config: kolkata, clock: at },
      PEOPLE.lead,
    );
    const text = JSON.stringify(buildAppHome(model).blocks).replaceAll("\\n", "\n");
    const section = (name: string) => text.slice(text.indexOf(`${name}: your department`));
    // Each says whose day it counts: the two are not the same "today".
    expect(section("Baggage")).toMatch(
      /^Baggage: your department.*?Breaches today \(1, since 00:00 Asia\/Kolkata\)/s,
    );
    expect(section("Customer Service")).toMatch(
      /^Customer Service: your department.*?Breaches today \(0, since 00:00 UTC\)/s,
    );
  });
});

describe("an executive's Home", () => {
  it("describes the latest digest's chart over its period in the executive's own time", async () => {
    const la = testWorkspace((c) => {
      c.executives = [{ user: "U0EXECLA", name: "Lee", timezone: "America/Los_Angeles" }];
    });
    await db.db.insert(digests).values({
      executive: "U0EXECLA",
      reason: "scheduled",
      slot: "2026-12-01T16:00:00.000Z",
      periodFrom: new Date("2026-11-30T16:00:00Z"),
      periodTo: new Date("2026-12-01T16:00:00Z"),
      timezone: "America/Los_Angeles",
      chartFileId: "F0CHART",
    });
    const model = await buildHomeModel(
      { db, client: {} as WebClient, config: la, clock: new FakeClock("2026-12-01T17:00:00Z") },
      "U0EXECLA",
    );
    const period = "Mon 30 Nov 2026 08:00 to Tue 1 Dec 2026 08:00 (America/Los_Angeles)";
    expect(model.executive?.chart).toEqual({
      fileId: "F0CHART",
      altText: `Chart of SLA clocks by department from your latest digest, ${period}`,
      period,
    });
  });
});
