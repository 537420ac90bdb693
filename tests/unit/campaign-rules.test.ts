import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  campaignStatus,
  diffCampaign,
  type EditableField,
  isLateNotice,
  isLinking,
  isShownChange,
  needsFreshAcknowledgement,
  noticeFromLaunches,
  noticeMs,
} from "../../src/domain/campaign.ts";
import {
  decideAcknowledgement,
  waitingDepartments,
} from "../../src/domain/campaign-acknowledgement.ts";
import { mayAnnounce, mayManageCampaign } from "../../src/domain/campaign-permissions.ts";
import {
  planCampaignTimers,
  reminderTimeLeft,
  supersededReminders,
} from "../../src/domain/campaign-plan.ts";
import { detectSpike, expectedInWindow, spikeThreshold } from "../../src/domain/campaign-spike.ts";
import type { ActorFacts } from "../../src/domain/permissions.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => new Date(iso);
const T0 = at("2026-11-24T10:00:00Z");
const plus = (ms: number) => new Date(T0.getTime() + ms);

describe("a campaign's status and notice", () => {
  const campaign = { launchAt: plus(DAY), endAt: plus(3 * DAY), announcedAt: T0 };

  it("is upcoming before launch, live from launch until the end, then ended; cancelled wins", () => {
    expect(campaignStatus(campaign, T0)).toBe("upcoming");
    expect(campaignStatus(campaign, plus(DAY))).toBe("live");
    expect(campaignStatus(campaign, plus(3 * DAY - 1))).toBe("live");
    expect(campaignStatus(campaign, plus(3 * DAY))).toBe("ended");
    expect(campaignStatus({ ...campaign, cancelledAt: T0 }, plus(2 * DAY))).toBe("cancelled");
  });

  it("is late with less notice than the minimum, and after launch", () => {
    expect(noticeMs(plus(20 * HOUR), T0)).toBe(20 * HOUR);
    expect(isLateNotice(plus(20 * HOUR), T0, 48 * HOUR)).toBe(true);
    expect(isLateNotice(plus(48 * HOUR), T0, 48 * HOUR)).toBe(false);
    expect(isLateNotice(plus(-HOUR), T0, 0)).toBe(true);
  });

  it("counts notice from the edit that brings the launch forward; a postponement keeps it", () => {
    const announced = { at: T0, launchAt: plus(10 * DAY) };
    const now = plus(9 * DAY);
    const editedTo = (launchAt: Date) =>
      noticeFromLaunches([announced, { at: now, launchAt }], launchAt, now);
    expect(editedTo(plus(9 * DAY + 5 * HOUR))).toEqual(now);
    expect(editedTo(plus(12 * DAY))).toEqual(T0);
    expect(editedTo(plus(10 * DAY))).toEqual(T0);
  });

  it("counts from when the launch that stands was first told, after forward and back again", () => {
    const forward = { at: plus(9 * DAY), launchAt: plus(9 * DAY + 5 * HOUR) };
    const now = plus(9 * DAY + HOUR);
    const told = (launchAt: Date) => [
      { at: T0, launchAt: plus(10 * DAY) },
      forward,
      { at: now, launchAt },
    ];
    // Put back to the launch first announced (or later): ready for it since the announcement.
    expect(noticeFromLaunches(told(plus(10 * DAY)), plus(10 * DAY), now)).toEqual(T0);
    expect(noticeFromLaunches(told(plus(11 * DAY)), plus(11 * DAY), now)).toEqual(T0);
    // Put back only part of the way: ready for it since the edit that brought it forward.
    expect(
      noticeFromLaunches(told(plus(9 * DAY + 8 * HOUR)), plus(9 * DAY + 8 * HOUR), now),
    ).toEqual(forward.at);
    // Postponed, then brought forward but still after the first launch: counts from this edit,
    // since for a while they were told a later one.
    const later = [
      { at: T0, launchAt: plus(10 * DAY) },
      { at: plus(DAY), launchAt: plus(12 * DAY) },
      { at: now, launchAt: plus(11 * DAY) },
    ];
    expect(noticeFromLaunches(later, plus(11 * DAY), now)).toEqual(now);
  });

  it("links complaints from the announcement until the tail after the end, never once cancelled", () => {
    const tail = 72 * HOUR;
    expect(isLinking(campaign, plus(-1), tail)).toBe(false);
    expect(isLinking(campaign, T0, tail)).toBe(true);
    expect(isLinking(campaign, plus(3 * DAY + tail), tail)).toBe(true);
    expect(isLinking(campaign, plus(3 * DAY + tail + 1), tail)).toBe(false);
    expect(isLinking({ ...campaign, cancelledAt: T0 }, plus(HOUR), tail)).toBe(false);
  });
});

describe("an edit's changes", () => {
  const before = {
    name: "Spring sale",
    launchAt: plus(DAY),
    departments: ["service", "pr"],
    keywords: ["SPRING25"],
    faqUrl: null,
  };

  it("lists what differs, dates by instant and departments and channels as sets", () => {
    expect(
      diffCampaign(
        { ...before, channels: ["email", "social"] },
        {
          ...before,
          launchAt: new Date(plus(DAY).getTime()),
          departments: ["pr", "service"],
          channels: ["social", "email"],
        },
      ),
    ).toEqual([]);
    expect(diffCampaign({ channels: ["email", "social"] }, { channels: ["email"] })).toEqual([
      { field: "channels", from: ["email", "social"], to: ["email"] },
    ]);
    expect(
      diffCampaign(before, { ...before, launchAt: plus(2 * DAY), faqUrl: "https://x.y" }),
    ).toEqual([
      { field: "launchAt", from: plus(DAY).toISOString(), to: plus(2 * DAY).toISOString() },
      { field: "faqUrl", from: null, to: "https://x.y" },
    ]);
  });

  it("asks for a fresh acknowledgement for launch time, a department added or talking points only", () => {
    const changed = (...fields: EditableField[]) =>
      fields.map((field) => ({ field, from: "before", to: "after" }));
    const departments = (from: string[], to: string[]) => [
      { field: "departments" as const, from, to },
    ];
    expect(needsFreshAcknowledgement(changed("launchAt"))).toBe(true);
    expect(needsFreshAcknowledgement(changed("talkingPoints", "name"))).toBe(true);
    expect(needsFreshAcknowledgement(changed("name", "endAt", "description", "keywords"))).toBe(
      false,
    );
    expect(needsFreshAcknowledgement(departments(["baggage"], ["baggage", "pr"]))).toBe(true);
    // Dropping a department changes nothing for the others.
    expect(needsFreshAcknowledgement(departments(["baggage", "pr"], ["baggage"]))).toBe(false);
  });

  it("takes a launch moved within the minute shown for no new time, and one a minute on for one", () => {
    const launch = (from: string, to: string) => [{ field: "launchAt" as const, from, to }];
    const at = "2027-03-01T09:00:00.000Z";
    expect(needsFreshAcknowledgement(launch(at, "2027-03-01T09:00:59.999Z"))).toBe(false);
    expect(isShownChange({ field: "endAt", from: at, to: "2027-03-01T09:00:20.000Z" })).toBe(false);
    expect(needsFreshAcknowledgement(launch(at, "2027-03-01T09:01:00.000Z"))).toBe(true);
    // Across a minute's edge by one second: the time shown changes.
    expect(
      needsFreshAcknowledgement(launch("2027-03-01T08:59:59.000Z", "2027-03-01T09:00:00.000Z")),
    ).toBe(true);
  });
});

describe("acknowledging a heads-up", () => {
  const member: ActorFacts = { userId: "U1", isAdmin: false, leads: [], memberOf: ["baggage"] };
  const fresh = { department: "baggage", active: true, acknowledgedBy: null, acknowledgedAt: null };
  const decide = (over: Partial<Parameters<typeof decideAcknowledgement>[0]> = {}) =>
    decideAcknowledgement({
      status: "upcoming",
      actor: member,
      department: "baggage",
      current: fresh,
      ...over,
    });

  it("lets members, leads and admins acknowledge for the department, and nobody else", () => {
    expect(decide()).toEqual({ ok: true });
    expect(decide({ status: "live" })).toEqual({ ok: true });
    expect(decide({ actor: { ...member, memberOf: [], leads: ["baggage"] } })).toEqual({
      ok: true,
    });
    expect(decide({ actor: { ...member, memberOf: [], isAdmin: true } })).toEqual({ ok: true });
    expect(decide({ actor: { ...member, memberOf: ["service"] } })).toEqual({
      ok: false,
      reason: "not_member",
    });
  });

  it("says who already did, and refuses cancelled, ended or no-longer-affected campaigns", () => {
    const done = { ...fresh, acknowledgedBy: "U2", acknowledgedAt: T0 };
    expect(decide({ current: done })).toEqual({ ok: false, reason: "already", by: "U2", at: T0 });
    expect(decide({ status: "cancelled" })).toEqual({ ok: false, reason: "cancelled" });
    expect(decide({ status: "ended" })).toEqual({ ok: false, reason: "ended" });
    expect(decide({ current: { ...fresh, active: false } })).toEqual({
      ok: false,
      reason: "not_affected",
    });
    expect(decide({ current: undefined })).toEqual({ ok: false, reason: "not_affected" });
  });

  it("refuses a button drawn before the campaign last asked again, and takes older buttons", () => {
    expect(decide({ rounds: { clicked: 7, latest: 9 } })).toEqual({ ok: false, reason: "changed" });
    expect(decide({ rounds: { clicked: 9, latest: 9 } })).toEqual({ ok: true });
    expect(decide({ rounds: { clicked: undefined, latest: 9 } })).toEqual({ ok: true });
    const done = { ...fresh, acknowledgedBy: "U2", acknowledgedAt: T0 };
    expect(decide({ current: done, rounds: { clicked: 7, latest: 9 } })).toMatchObject({
      reason: "already",
    });
  });

  it("waits only on active departments that have not acknowledged", () => {
    expect(
      waitingDepartments([
        fresh,
        { ...fresh, department: "pr", acknowledgedBy: "U2", acknowledgedAt: T0 },
        { ...fresh, department: "ops", active: false },
      ]),
    ).toEqual(["baggage"]);
  });
});

describe("who may announce", () => {
  const announcers = { users: ["U1"], usergroups: ["S1"] };
  it("admins, listed people and members of listed groups; owners manage their own", () => {
    expect(mayAnnounce({ userId: "U1", isAdmin: false, groups: [] }, announcers)).toBe(true);
    expect(mayAnnounce({ userId: "U2", isAdmin: false, groups: ["S1"] }, announcers)).toBe(true);
    expect(mayAnnounce({ userId: "U3", isAdmin: true, groups: [] }, announcers)).toBe(true);
    expect(mayAnnounce({ userId: "U4", isAdmin: false, groups: ["S9"] }, announcers)).toBe(false);
    expect(mayManageCampaign({ userId: "U4", isAdmin: false, groups: [] }, announcers, "U4")).toBe(
      true,
    );
    expect(mayManageCampaign({ userId: "U4", isAdmin: false, groups: [] }, announcers, "U5")).toBe(
      false,
    );
  });
});

describe("the reminder plan", () => {
  const plan = (launchAt: Date, now: Date, remindersMs = [24 * HOUR, 2 * HOUR]) =>
    planCampaignTimers({
      launchAt,
      endAt: new Date(launchAt.getTime() + 7 * DAY),
      now,
      remindersMs,
    });

  it("reminds at each lead time before launch, then launches and ends", () => {
    const launch = plus(3 * DAY);
    expect(plan(launch, T0).map((s) => [s.step, s.fireAt.toISOString(), s.leadMs])).toEqual([
      ["reminder", plus(2 * DAY).toISOString(), 24 * HOUR],
      ["reminder", plus(3 * DAY - 2 * HOUR).toISOString(), 2 * HOUR],
      ["launch", launch.toISOString(), undefined],
      ["end", plus(10 * DAY).toISOString(), undefined],
    ]);
  });

  it("skips reminders already past instead of firing them in a burst", () => {
    const steps = plan(plus(20 * HOUR), T0);
    expect(steps.map((s) => s.step)).toEqual(["reminder", "launch", "end"]);
    expect(steps[0]?.leadMs).toBe(2 * HOUR);
  });

  it("launches now a campaign an edit moved into the past before it launched, and not otherwise", () => {
    const pastLaunch = new Date(T0.getTime() - 10 * 60_000);
    const endAt = plus(7 * DAY);
    const overdue = planCampaignTimers({
      launchAt: pastLaunch,
      endAt,
      now: T0,
      remindersMs: [2 * HOUR],
      launchOverdue: true,
    });
    expect(overdue.map((s) => [s.step, s.fireAt.toISOString()])).toEqual([
      ["launch", T0.toISOString()],
      ["end", endAt.toISOString()],
    ]);
    const launched = planCampaignTimers({ launchAt: pastLaunch, endAt, now: T0, remindersMs: [] });
    expect(launched.map((s) => s.step)).toEqual(["end"]);
    // Over already: nothing to launch.
    const over = planCampaignTimers({
      launchAt: pastLaunch,
      endAt: new Date(T0.getTime() - 60_000),
      now: T0,
      remindersMs: [],
      launchOverdue: true,
    });
    expect(over).toEqual([]);
  });

  it("keeps a step that fell due but has not fired yet, at its own time, and drops fired ones", () => {
    const launchAt = new Date(T0.getTime() - 500); // due half a second ago
    const endAt = plus(7 * DAY);
    const launch = `launch@${launchAt.toISOString()}`;
    const replanned = planCampaignTimers({
      launchAt,
      endAt,
      now: T0,
      remindersMs: [2 * HOUR],
      unfired: new Set([launch, `end@${endAt.toISOString()}`]),
    });
    expect(replanned.map((s) => [s.key, s.fireAt.toISOString()])).toEqual([
      [launch, launchAt.toISOString()],
      [`end@${endAt.toISOString()}`, endAt.toISOString()],
    ]);
    const fired = planCampaignTimers({
      launchAt,
      endAt,
      now: T0,
      remindersMs: [],
      unfired: new Set(),
    });
    expect(fired.map((s) => s.step)).toEqual(["end"]);
  });

  it("keys reminders by the launch they belong to, so a postponement plans fresh ones", () => {
    const first = plan(plus(3 * DAY), T0).map((s) => s.key);
    const moved = plan(plus(5 * DAY), T0).map((s) => s.key);
    expect(first.filter((k) => moved.includes(k))).toEqual([]);
  });

  it("plans only steps ahead of now, in order, one per key, every reminder before launch", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10 * DAY, max: 30 * DAY }),
        fc.integer({ min: HOUR, max: 30 * DAY }),
        fc.array(fc.integer({ min: 0, max: 10 * DAY }), { maxLength: 6 }),
        (launchIn, duration, leads) => {
          const launchAt = plus(launchIn);
          const endAt = new Date(launchAt.getTime() + duration);
          const steps = planCampaignTimers({ launchAt, endAt, now: T0, remindersMs: leads });
          const times = steps.map((s) => s.fireAt.getTime());
          expect(times.every((t) => t > T0.getTime())).toBe(true);
          expect([...times].sort((a, b) => a - b)).toEqual(times);
          expect(new Set(steps.map((s) => s.key)).size).toBe(steps.length);
          for (const s of steps.filter((x) => x.step === "reminder")) {
            expect(s.fireAt.getTime()).toBeLessThan(launchAt.getTime());
            expect(s.fireAt.getTime()).toBe(launchAt.getTime() - (s.leadMs ?? 0));
          }
          const expected = new Set(
            leads.filter((l) => l > 0 && launchAt.getTime() - l > T0.getTime()),
          );
          expect(steps.filter((s) => s.step === "reminder")).toHaveLength(expected.size);
        },
      ),
    );
  });
});

describe("reminders due together after downtime", () => {
  const at = (h: number) => new Date(Date.UTC(2027, 2, 1, h));
  const day = { step: "reminder", fireAt: at(0) };
  const twoHours = { step: "reminder", fireAt: at(22) };
  const launch = { step: "launch", fireAt: at(24) };
  it("keeps only the latest reminder, and none once the launch is due", () => {
    expect(supersededReminders([day])).toEqual(new Set());
    expect(supersededReminders([day, twoHours])).toEqual(new Set([day]));
    expect(supersededReminders([day, twoHours, launch])).toEqual(new Set([day, twoHours]));
    expect(supersededReminders([launch])).toEqual(new Set());
  });
  it("says the time really left when late, rounded up to the minute", () => {
    const HOUR = 3_600_000;
    expect(reminderTimeLeft(24 * HOUR, at(24), new Date(at(0).getTime() + 20_000))).toBe(24 * HOUR);
    expect(reminderTimeLeft(24 * HOUR, at(24), at(23))).toBe(HOUR);
    expect(reminderTimeLeft(24 * HOUR, at(24), at(25))).toBe(0);
  });
});

describe("spike detection", () => {
  const rule = { factor: 3, windowMs: HOUR, minimum: 10 };

  it("spreads the expected volume over the campaign and alerts above factor × expected, at least the minimum", () => {
    const week = { launchAt: T0, endAt: plus(7 * DAY), windowMs: HOUR };
    expect(expectedInWindow({ ...week, expectedVolume: 1680 })).toBe(10);
    expect(expectedInWindow({ ...week, expectedVolume: null })).toBe(0);
    expect(spikeThreshold(10, rule)).toBe(31);
    expect(spikeThreshold(0.5, rule)).toBe(10);
    expect(spikeThreshold(0, { ...rule, minimum: 1 })).toBe(1);
  });

  it("alerts once when the count reaches the threshold, and again only after it fell below", () => {
    let armed = true;
    // Counts in the window as each complaint is linked: a run up to 5, a calm spell, a second rise.
    const counts = [1, 2, 3, 4, 5, 5, 4, 1, 2, 3];
    const alerts = counts.map((countNow) => {
      const d = detectSpike({ armed, countBefore: countNow - 1, countNow, threshold: 3 });
      armed = d.armed;
      return d.alert;
    });
    expect(alerts).toEqual([false, false, true, false, false, false, false, false, false, true]);
  });

  it("alerts on every rise from below the threshold, never twice without a fall between", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        (counts, threshold) => {
          let armed = true;
          let fellSinceAlert = true;
          for (const countNow of counts) {
            const countBefore = countNow - 1;
            const d = detectSpike({ armed, countBefore, countNow, threshold });
            if (countBefore < threshold) fellSinceAlert = true;
            if (d.alert) {
              expect(countNow).toBeGreaterThanOrEqual(threshold);
              expect(fellSinceAlert).toBe(true);
              fellSinceAlert = false;
            }
            if (countBefore < threshold && countNow >= threshold) expect(d.alert).toBe(true);
            armed = d.armed;
          }
        },
      ),
    );
  });
});
