import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  campaignDepartments,
  campaignEvents,
  campaigns,
  outbox,
  timers,
} from "../../src/db/schema.ts";
import { ConflictError, ForbiddenError, ValidationError } from "../../src/domain/errors.ts";
import { silentLogger } from "../../src/logger.ts";
import { acknowledgeCampaign } from "../../src/services/acknowledge-campaign.ts";
import { announceCampaign } from "../../src/services/announce-campaign.ts";
import { cancelCampaign } from "../../src/services/cancel-campaign.ts";
import type { Actor, ServiceContext } from "../../src/services/context.ts";
import { editCampaign } from "../../src/services/edit-campaign.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { CAMPAIGN_OUTBOX_KINDS as KINDS } from "../../src/services/outbox-kinds.ts";
import { sweepTimers } from "../../src/services/sweep-timers.ts";
import { campaignBody, campaignWorkspace, MARKETING } from "../helpers/campaign-fixture.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { CHANNELS, complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/*
 * Editing, postponing and cancelling a campaign at the level of what each leaves behind: the
 * campaign row, its departments and acknowledgements, its timers, its log, and every Slack
 * message queued (to which channel, once). The e2e campaign tests show what people then see.
 */
let db: TestDatabase;
const clock = new FakeClock("2026-11-24T10:00:00Z");
const config = campaignWorkspace();
const ctx = (actor: Actor = { type: "intake", token: "t" }): ServiceContext => ({
  db,
  clock,
  logger: silentLogger,
  actor,
});
const MEMBER = (userId: string, department: string) => ({
  userId,
  isAdmin: false,
  leads: [],
  memberOf: [department],
});

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.destroy());
beforeEach(() => {
  clock.set("2026-11-24T10:00:00Z");
});

/** A campaign launching in five days for service and baggage, acknowledged by service. */
async function announced(overrides: Record<string, unknown> = {}) {
  const launch = new Date(clock.now().getTime() + 120 * HOUR);
  const body = campaignBody(launch, { departments: ["service", "baggage"], ...overrides });
  const { campaignId } = await announceCampaign(ctx(), config, { raw: body });
  const ack = await acknowledgeCampaign(ctx(), config, {
    campaignId,
    department: "service",
    actor: MEMBER(PEOPLE.alice, "service"),
  });
  expect(ack.ok).toBe(true);
  await db.db.delete(outbox);
  return { campaignId, launch };
}

/** What was queued about the campaign, in order. */
async function queued(campaignId: string) {
  const rows = await db.db
    .select()
    .from(outbox)
    .where(sql`${outbox.payload}->>'campaignId' = ${campaignId}`)
    .orderBy(outbox.id);
  return rows.map((r) => ({
    kind: r.kind,
    channel: r.channel,
    dedupeKey: r.dedupeKey,
    payload: r.payload,
  }));
}
const campaignRow = async (id: string) =>
  (await db.db.select().from(campaigns).where(eq(campaigns.id, id)))[0];
const departmentsOf = async (id: string) =>
  (await db.db.select().from(campaignDepartments).where(eq(campaignDepartments.campaignId, id)))
    .map((d) => ({ department: d.department, active: d.active, acknowledgedBy: d.acknowledgedBy }))
    .sort((a, b) => a.department.localeCompare(b.department));
const lastEvent = async (id: string) =>
  (
    await db.db
      .select()
      .from(campaignEvents)
      .where(eq(campaignEvents.campaignId, id))
      .orderBy(sql`${campaignEvents.id} DESC`)
      .limit(1)
  )[0];
/** A department's heads-up queued to be redrawn in place. */
const headsUpUpdate = (campaignId: string, department: string, channel: string) => ({
  kind: KINDS.updateHeadsUp,
  channel,
  dedupeKey: null,
  payload: { campaignId, department },
});
/** What an edit queues for a department: its heads-up redrawn, and a reply under it. */
const editedHeadsUp = (
  campaignId: string,
  eventId: number | undefined,
  department: string,
  channel: string,
) => [
  headsUpUpdate(campaignId, department, channel),
  {
    kind: KINDS.headsUpReply,
    channel,
    dedupeKey: `campaign:${campaignId}:edit:${eventId}:${department}`,
    payload: { campaignId, department, note: "changed", eventId },
  },
];
/** The campaign's card in the marketing channel queued to be redrawn in place. */
const cardUpdate = (campaignId: string) => ({
  kind: KINDS.updateCard,
  channel: MARKETING.channel,
  dedupeKey: null,
  payload: { campaignId },
});
const pendingTimers = async (id: string) =>
  db.db
    .select({ key: timers.key, fireAt: timers.fireAt })
    .from(timers)
    .where(and(eq(timers.subjectId, id), eq(timers.status, "pending")))
    .orderBy(timers.fireAt);

describe("editing a campaign", () => {
  it("renames it: each department hears in its heads-up's thread, acknowledgements stand", async () => {
    const { campaignId } = await announced();
    const result = await editCampaign(ctx(), config, { campaignId, raw: { name: "Spring sale" } });
    expect(result).toEqual({
      changes: [expect.objectContaining({ field: "name" })],
      freshAcknowledgement: false,
      late: false,
    });
    expect(await campaignRow(campaignId)).toMatchObject({
      name: "Spring sale",
      version: 2,
      late: false,
    });
    expect(await departmentsOf(campaignId)).toEqual([
      { department: "baggage", active: true, acknowledgedBy: null },
      { department: "service", active: true, acknowledgedBy: PEOPLE.alice },
    ]);
    const event = await lastEvent(campaignId);
    expect(event).toMatchObject({
      kind: "campaign.edited",
      details: { freshAcknowledgement: false, removed: [] },
    });
    const eventId = event?.id;
    expect(await queued(campaignId)).toEqual([
      ...editedHeadsUp(campaignId, eventId, "service", CHANNELS.service),
      ...editedHeadsUp(campaignId, eventId, "baggage", CHANNELS.baggage),
      cardUpdate(campaignId),
      {
        kind: KINDS.cardReply,
        channel: MARKETING.channel,
        dedupeKey: `campaign:${campaignId}:edit:${eventId}`,
        payload: { campaignId, note: "changed", eventId },
      },
    ]);
  });

  it("asks every department again when the talking points change", async () => {
    const { campaignId } = await announced();
    const result = await editCampaign(ctx(), config, {
      campaignId,
      raw: { talkingPoints: "The code works on new bookings and changes." },
    });
    expect(result.freshAcknowledgement).toBe(true);
    expect((await departmentsOf(campaignId)).map((d) => d.acknowledgedBy)).toEqual([null, null]);
  });

  it("keeps the other departments' acknowledgements when one is only removed", async () => {
    const { campaignId } = await announced();
    const result = await editCampaign(ctx(), config, {
      campaignId,
      raw: { departments: ["service"] },
    });
    expect(result.freshAcknowledgement).toBe(false);
    expect(await departmentsOf(campaignId)).toEqual([
      { department: "baggage", active: false, acknowledgedBy: null },
      { department: "service", active: true, acknowledgedBy: PEOPLE.alice },
    ]);
  });

  it("posts a heads-up to a department added and tells the one removed", async () => {
    const { campaignId } = await announced();
    await editCampaign(ctx(), config, { campaignId, raw: { departments: ["service", "pr"] } });
    expect(await departmentsOf(campaignId)).toEqual([
      { department: "baggage", active: false, acknowledgedBy: null },
      { department: "pr", active: true, acknowledgedBy: null },
      { department: "service", active: true, acknowledgedBy: null }, // departments changed: asked again
    ]);
    const event = await lastEvent(campaignId);
    expect(event?.details).toMatchObject({ removed: ["baggage"], freshAcknowledgement: true });
    const messages = (await queued(campaignId)).map((q) => [
      q.kind,
      q.channel,
      (q.payload as { note?: string }).note,
    ]);
    expect(messages).toContainEqual([KINDS.postHeadsUp, CHANNELS.pr, undefined]);
    expect(messages).toContainEqual([KINDS.headsUpReply, CHANNELS.baggage, "removed"]);
    expect(messages).not.toContainEqual([KINDS.headsUpReply, CHANNELS.pr, "changed"]);

    // Back again: the row is reused and active, its heads-up updated rather than posted twice.
    await db.db.delete(outbox);
    await editCampaign(ctx(), config, {
      campaignId,
      raw: { departments: ["service", "pr", "baggage"] },
    });
    expect((await departmentsOf(campaignId)).map((d) => d.active)).toEqual([true, true, true]);
    const again = (await queued(campaignId)).map((q) => [q.kind, q.channel]);
    expect(again).not.toContainEqual([KINDS.postHeadsUp, CHANNELS.baggage]);
    expect(again).toContainEqual([KINDS.updateHeadsUp, CHANNELS.baggage]);
  });

  it("calls a launch brought forward inside the minimum notice late and tells the leads", async () => {
    const { campaignId, launch } = await announced();
    const sooner = new Date(clock.now().getTime() + 24 * HOUR); // notice is 48 hours
    const result = await editCampaign(ctx(), config, {
      campaignId,
      raw: { launchAt: sooner.toISOString() },
    });
    expect(result).toMatchObject({ late: true, freshAcknowledgement: true });
    expect((await campaignRow(campaignId))?.late).toBe(true);
    const dms = (await queued(campaignId)).filter((q) => q.kind === KINDS.dm);
    expect(dms.map((d) => [d.channel, d.payload])).toEqual([
      [
        PEOPLE.lead,
        { campaignId, user: PEOPLE.lead, note: "late", departments: ["service", "baggage"] },
      ],
    ]);
    // The timers follow the new launch: the first fires no later than it.
    const planned = await pendingTimers(campaignId);
    expect(planned.some((t) => t.fireAt.getTime() === sooner.getTime())).toBe(true);
    expect(planned.some((t) => t.fireAt.getTime() === launch.getTime())).toBe(false);
  });

  it("does not call a postponement late, however close the launch", async () => {
    const { campaignId, launch } = await announced();
    clock.set(new Date(launch.getTime() - 2 * HOUR));
    const later = new Date(launch.getTime() + HOUR);
    const result = await editCampaign(ctx(), config, {
      campaignId,
      raw: { launchAt: later.toISOString() },
    });
    expect(result.late).toBe(false);
    expect((await queued(campaignId)).filter((q) => q.kind === KINDS.dm)).toEqual([]);
  });

  it("is no longer late once postponed past the minimum notice from its announcement", async () => {
    // Announced 24 hours before launch: late (the notice is 48 hours).
    const launch = new Date(clock.now().getTime() + 24 * HOUR);
    const body = campaignBody(launch, { departments: ["service"] });
    const { campaignId } = await announceCampaign(ctx(), config, { raw: body });
    expect((await campaignRow(campaignId))?.late).toBe(true);
    const postpone = (hours: number) =>
      editCampaign(ctx(), config, {
        campaignId,
        raw: { launchAt: new Date(clock.now().getTime() + hours * HOUR).toISOString() },
      });
    await postpone(30); // 30 hours of notice: still short
    expect((await campaignRow(campaignId))?.late).toBe(true);
    await postpone(72); // 72 hours since the announcement: the departments had their notice
    expect((await campaignRow(campaignId))?.late).toBe(false);
  });

  it("is late while a department added inside the minimum notice has had less than it", async () => {
    const { campaignId, launch } = await announced();
    clock.set(new Date(launch.getTime() - 20 * HOUR));
    const added = await editCampaign(ctx(), config, {
      campaignId,
      raw: { departments: ["service", "baggage", "pr"] },
    });
    expect(added.late).toBe(true);
    expect(await campaignRow(campaignId)).toMatchObject({ late: true, noticeFrom: clock.now() });
    // Postponed until Press & PR too has had 48 hours: no longer late.
    const later = new Date(clock.now().getTime() + 50 * HOUR);
    await editCampaign(ctx(), config, { campaignId, raw: { launchAt: later.toISOString() } });
    expect((await campaignRow(campaignId))?.late).toBe(false);
    // Added again late, then removed: the departments left had their notice.
    clock.set(new Date(later.getTime() - 10 * HOUR));
    await editCampaign(ctx(), config, { campaignId, raw: { departments: ["service", "pr"] } });
    await editCampaign(ctx(), config, {
      campaignId,
      raw: { departments: ["service", "pr", "baggage"] },
    });
    expect((await campaignRow(campaignId))?.late).toBe(true);
    await editCampaign(ctx(), config, { campaignId, raw: { departments: ["service", "pr"] } });
    expect((await campaignRow(campaignId))?.late).toBe(false);
  });

  it("launches at once a campaign moved into the past before it launched", async () => {
    const { campaignId } = await announced();
    const past = new Date(clock.now().getTime() - 10 * 60_000);
    await editCampaign(ctx(), config, { campaignId, raw: { launchAt: past.toISOString() } });
    const due = (await pendingTimers(campaignId)).filter((t) => t.key.startsWith("launch@"));
    expect(due).toEqual([{ key: `launch@${past.toISOString()}`, fireAt: clock.now() }]);
  });

  it("still launches, and reminds, when an edit lands after they fell due but before the sweep fired them", async () => {
    const { campaignId, launch } = await announced();
    const sweep = () => sweepTimers(ctx({ type: "system" }), config);
    // The 24-hour reminder fell due a moment ago; the sweep (every second) has not run yet.
    clock.set(new Date(launch.getTime() - 24 * HOUR + 500));
    await editCampaign(ctx(), config, { campaignId, raw: { name: "Spring fare sale, edited" } });
    await sweep();
    clock.set(new Date(launch.getTime() - 2 * HOUR));
    await sweep();
    // The launch too: an edit of its end comes in the second before the sweep.
    clock.set(new Date(launch.getTime() + 500));
    const end = new Date(launch.getTime() + 10 * 24 * HOUR).toISOString();
    await editCampaign(ctx(), config, { campaignId, raw: { endAt: end } });
    await sweep();
    const notes = (await queued(campaignId))
      .filter((q) => q.kind === KINDS.headsUpReply || q.kind === KINDS.dm)
      .map((q) => {
        const lead = q.payload.leadMs ? ` ${Number(q.payload.leadMs) / HOUR}h` : "";
        return `${q.payload.note}${lead} ${q.payload.department ?? q.payload.user}`;
      });
    expect(notes.filter((n) => !n.startsWith("changed"))).toEqual([
      "reminder 24h baggage",
      "reminder 2h baggage",
      "live service",
      "live baggage",
      `launch ${MARKETING.marketer}`,
    ]);
  });

  it("changes nothing and queues nothing for an edit that repeats what is there", async () => {
    const { campaignId } = await announced();
    const result = await editCampaign(ctx(), config, {
      campaignId,
      raw: { name: "Spring fare sale" },
    });
    expect(result).toEqual({ changes: [], freshAcknowledgement: false, late: false });
    expect((await campaignRow(campaignId))?.version).toBe(1);
    expect(await queued(campaignId)).toEqual([]);
  });

  it("lets the owner or an announcer edit from Slack, and refuses anyone else", async () => {
    const { campaignId } = await announced();
    const facts = (userId: string) => ({ userId, isAdmin: false, groups: [] });
    const asSlack = (userId: string) => ctx({ type: "slack", userId });
    await expect(
      editCampaign(asSlack(PEOPLE.bob), config, {
        campaignId,
        raw: { name: "x" },
        announcer: facts(PEOPLE.bob),
      }),
    ).rejects.toThrow(ForbiddenError);
    const owner = MARKETING.marketer; // campaignBody's owner
    const edited = await editCampaign(asSlack(owner), config, {
      campaignId,
      raw: { name: "By its owner" },
      announcer: facts(owner),
    });
    expect(edited.changes).toHaveLength(1);
  });

  it("keeps a live campaign's launch where it was, and lets its end move", async () => {
    const { campaignId, launch } = await announced();
    clock.set(new Date(launch.getTime() + HOUR)); // live for an hour
    const later = new Date(launch.getTime() + 24 * HOUR).toISOString();
    const refused = await editCampaign(ctx(), config, {
      campaignId,
      raw: { launchAt: later },
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([
      {
        path: "launchAt",
        message:
          "the campaign is already live, so its launch cannot move: change its end instead, or cancel it",
      },
    ]);
    const end = new Date(launch.getTime() + 10 * 24 * HOUR).toISOString();
    const extended = await editCampaign(ctx(), config, { campaignId, raw: { endAt: end } });
    expect(extended.changes.map((c) => c.field)).toEqual(["endAt"]);
  });

  it("refuses to edit a cancelled or ended campaign", async () => {
    const { campaignId, launch } = await announced();
    await cancelCampaign(ctx(), config, { campaignId });
    await expect(editCampaign(ctx(), config, { campaignId, raw: { name: "x" } })).rejects.toThrow(
      new ConflictError("This campaign was cancelled."),
    );
    const other = await announced();
    clock.set(new Date(launch.getTime() + 8 * 24 * HOUR)); // a week after launch: ended
    await expect(
      editCampaign(ctx(), config, { campaignId: other.campaignId, raw: { name: "x" } }),
    ).rejects.toThrow("This campaign has already ended.");
  });
});

describe("cancelling a campaign", () => {
  it("drops its timers, tells each active department and the card, once", async () => {
    const { campaignId } = await announced();
    await editCampaign(ctx(), config, { campaignId, raw: { departments: ["service"] } }); // baggage removed
    await db.db.delete(outbox);
    expect(await cancelCampaign(ctx(), config, { campaignId })).toEqual({
      alreadyCancelled: false,
    });
    expect(await campaignRow(campaignId)).toMatchObject({
      cancelledAt: clock.now(),
      cancelledBy: "intake:t",
      version: 3,
    });
    expect(await pendingTimers(campaignId)).toEqual([]);
    const event = await lastEvent(campaignId);
    expect(event?.kind).toBe("campaign.cancelled");
    expect(await queued(campaignId)).toEqual([
      {
        kind: KINDS.headsUpReply,
        channel: CHANNELS.service,
        dedupeKey: `campaign:${campaignId}:cancelled:service`,
        payload: { campaignId, department: "service", note: "cancelled", eventId: event?.id },
      },
      headsUpUpdate(campaignId, "service", CHANNELS.service),
      cardUpdate(campaignId),
      {
        kind: KINDS.cardReply,
        channel: MARKETING.channel,
        dedupeKey: `campaign:${campaignId}:cancelled`,
        payload: { campaignId, note: "cancelled", eventId: event?.id },
      },
    ]);
    await db.db.delete(outbox);
    expect(await cancelCampaign(ctx(), config, { campaignId })).toEqual({ alreadyCancelled: true });
    expect(await queued(campaignId)).toEqual([]);
  });

  it("refuses an ended campaign, and someone who may not manage it", async () => {
    const { campaignId, launch } = await announced();
    await expect(
      cancelCampaign(ctx({ type: "slack", userId: PEOPLE.bob }), config, {
        campaignId,
        announcer: { userId: PEOPLE.bob, isAdmin: false, groups: [] },
      }),
    ).rejects.toThrow(ForbiddenError);
    clock.set(new Date(launch.getTime() + 8 * 24 * HOUR));
    await expect(cancelCampaign(ctx(), config, { campaignId })).rejects.toThrow(
      "This campaign has already ended.",
    );
    expect((await campaignRow(campaignId))?.cancelledAt).toBeNull();
  });

  it("is refused where campaigns are not set up", async () => {
    const { campaignId } = await announced();
    const without = campaignWorkspace((c) => {
      c.campaigns = undefined;
    });
    await expect(cancelCampaign(ctx(), without, { campaignId })).rejects.toThrow(
      /Campaign heads-ups are not set up/,
    );
  });
});

describe("announcing a campaign", () => {
  it("records the announcement with its departments and notice, and queues its cards once", async () => {
    const launch = new Date(clock.now().getTime() + 72 * HOUR);
    const result = await announceCampaign(ctx(), config, {
      raw: campaignBody(launch, { departments: ["service", "pr"] }),
    });
    expect(result).toMatchObject({
      late: false,
      noticeMs: 72 * HOUR,
      departments: ["service", "pr"],
    });
    const { campaignId } = result;
    expect(await lastEvent(campaignId)).toMatchObject({
      kind: "campaign.announced",
      details: { departments: ["service", "pr"], late: false, noticeMs: 72 * HOUR },
    });
    expect((await queued(campaignId)).map((q) => [q.kind, q.channel])).toEqual([
      [KINDS.postCard, MARKETING.channel],
      [KINDS.postHeadsUp, CHANNELS.service],
      [KINDS.postHeadsUp, CHANNELS.pr],
    ]);
  });

  it("alerts the leads of a late announcement, and its owner when a marketing tool sent it", async () => {
    const soon = new Date(clock.now().getTime() + 24 * HOUR); // notice is 48 hours
    const byTool = await announceCampaign(ctx(), config, {
      raw: campaignBody(soon, { departments: ["baggage"] }),
    });
    expect(byTool.late).toBe(true);
    const dms = async (id: string) =>
      (await queued(id))
        .filter((q) => q.kind === KINDS.dm)
        .map((q) => [q.channel, q.dedupeKey, q.payload]);
    expect(await dms(byTool.campaignId)).toEqual([
      [
        PEOPLE.lead,
        `campaign:${byTool.campaignId}:late:${PEOPLE.lead}`,
        {
          campaignId: byTool.campaignId,
          user: PEOPLE.lead,
          note: "late",
          departments: ["baggage"],
        },
      ],
      [
        MARKETING.marketer,
        `campaign:${byTool.campaignId}:late:${MARKETING.marketer}`,
        { campaignId: byTool.campaignId, user: MARKETING.marketer, note: "late", departments: [] },
      ],
    ]);
    // From Slack the announcer is the one who clicked: they know, so only the leads hear.
    const fromSlack = await announceCampaign(
      ctx({ type: "slack", userId: MARKETING.marketer }),
      config,
      {
        raw: campaignBody(soon, { departments: ["baggage"] }),
        announcer: { userId: MARKETING.marketer, isAdmin: false, groups: [] },
      },
    );
    expect((await dms(fromSlack.campaignId)).map(([user]) => user)).toEqual([PEOPLE.lead]);
    // An owner who leads an affected department hears once, as its lead.
    const leadOwns = await announceCampaign(ctx(), config, {
      raw: campaignBody(soon, { departments: ["baggage"], owner: PEOPLE.lead }),
    });
    expect((await dms(leadOwns.campaignId)).map(([user]) => user)).toEqual([PEOPLE.lead]);
  });
});

describe("complaints about a campaign", () => {
  const fileAbout = (text: string) =>
    ingestComplaint(ctx(), config, complaintBody({ text, externalId: randomUUID() }));

  it("alert the owner and the leads once when they spike, under the card too", async () => {
    // No volume expected: the spike is the minimum, 3 in an hour.
    const { campaignId } = await announced({
      keywords: ["FLASH50", "#flashsale"],
      expectedVolume: null,
    });
    const first = await fileAbout("FLASH50 does not work");
    expect(first.campaignIds).toEqual([campaignId]);
    await fileAbout("is #flashsale over already");
    expect(await queued(campaignId)).not.toContainEqual(
      expect.objectContaining({ kind: KINDS.dm }),
    );
    await fileAbout("FLASH50 rejected at checkout");
    const event = await lastEvent(campaignId);
    expect(event).toMatchObject({
      kind: "campaign.spike",
      actor: "system",
      details: { count: 3, threshold: 3, expected: 0, windowMs: HOUR },
    });
    const spike = { ...(event?.details as object) };
    const alerts = (await queued(campaignId)).filter(
      (q) => q.kind === KINDS.dm || q.kind === KINDS.cardReply,
    );
    expect(alerts).toEqual([
      {
        kind: KINDS.dm,
        channel: MARKETING.marketer,
        dedupeKey: `campaign:${campaignId}:spike:${event?.id}:${MARKETING.marketer}`,
        payload: { campaignId, user: MARKETING.marketer, note: "spike", spike },
      },
      {
        kind: KINDS.dm,
        channel: PEOPLE.lead,
        dedupeKey: `campaign:${campaignId}:spike:${event?.id}:${PEOPLE.lead}`,
        payload: { campaignId, user: PEOPLE.lead, note: "spike", spike },
      },
      {
        kind: KINDS.cardReply,
        channel: MARKETING.channel,
        dedupeKey: `campaign:${campaignId}:spike:${event?.id}`,
        payload: { campaignId, note: "spike", spike },
      },
    ]);
    expect((await campaignRow(campaignId))?.spikeArmed).toBe(false);
    await fileAbout("FLASH50 still broken");
    expect((await lastEvent(campaignId))?.id).toBe(event?.id); // no second alert in the same spike
  });

  it("link to every campaign they name, in id order, and never to a cancelled one", async () => {
    const a = await announced({ keywords: ["WINTER10"] });
    const b = await announced({ keywords: ["WINTER10", "SKI"] });
    const c = await announced({ keywords: ["WINTER10"] });
    await cancelCampaign(ctx(), config, { campaignId: c.campaignId });
    const filed = await fileAbout("WINTER10 and SKI both fail");
    expect(filed.campaignIds).toEqual([a.campaignId, b.campaignId].sort());
  });
});
