import { describe, expect, it } from "vitest";
import { loadWorkspaceConfig } from "../../src/config/load-workspace.ts";
import type { ComplaintFacts } from "../../src/domain/complaint.ts";
import { classifyPost } from "../../src/domain/post-kinds.ts";
import { prioritizeComplaint } from "../../src/domain/priority.ts";
import { routeComplaint } from "../../src/domain/routing.ts";

// The example file is documentation people copy, so it must load and route the way its
// comments say. Complaints below are written for the test, in the style customers use.
const config = loadWorkspaceConfig("switchboard.example.yaml");

function tweet(text: string, author: ComplaintFacts["author"] = { handle: "traveller" }) {
  return { source: "twitter", text, author } satisfies ComplaintFacts;
}

describe("switchboard.example.yaml", () => {
  it("defines the six airline departments and routes leftovers to service", () => {
    expect(config.departments.map((department) => department.key)).toEqual([
      "service",
      "bookings",
      "operations",
      "baggage",
      "cabin",
      "pr",
    ]);
    expect(config.routing.defaultDepartment).toBe("service");
    for (const department of config.departments) expect(department.channel).toMatch(/^#sb-/);
  });

  it.each([
    [
      "@SkylineAir you lost my bag on the flight from Glasgow, nobody can tell me where it is",
      "baggage",
    ],
    ["@SkylineAir my suitcase came off the belt with a broken wheel", "baggage"],
    ["@SkylineAir flight delayed 3 hours and now my luggage is missing too", "baggage"],
    ["@SkylineAir my bag was delayed two days and nobody tells me where it is", "baggage"],
    // A delay named with bags is about the delay unless the bags are lost or delayed: on real
    // tweets, people who mention both more often meant the flight.
    ["@SkylineAir delayed 4 hours, then another hour waiting for bags at the belt", "operations"],
    // Cabin bags at boarding and how staff behaved are the service team's, bag or no bag.
    ["@SkylineAir forced to check my carry-on bag at the gate, bins were half empty", "service"],
    ["@SkylineAir the crew shouted at my dad about where his bag went", "service"],
    // A refund for a cancelled flight is the cancellation's: Operations owns recovery.
    ["@SkylineAir still waiting on a refund for a flight you cancelled in March", "operations"],
    ["@SkylineAir why is the change fee more than the ticket??", "bookings"],
    ["@SkylineAir the booking page wants my card details twice and then fails", "bookings"],
    // Website and app trouble is nearly always about reaching us or booking, not the cabin.
    ["@SkylineAir your app logs me out every time I open it", "service"],
    ["@SkylineAir seat 23C would not recline and the wifi never worked", "cabin"],
    ["@SkylineAir flight cancelled two hours before departure, no explanation", "operations"],
    [
      "@SkylineAir missed my connection in Amsterdam because of a gate change nobody announced",
      "operations",
    ],
    ["@SkylineAir the agent at the check-in desk was incredibly rude to my mum", "service"],
    ["@SkylineAir delayed again because of a lack of crew, third time this month", "operations"],
    ["@SkylineAir 90 minutes on hold and then they hung up", "service"],
    ["@SkylineAir I'm a journalist writing about delays this week, who can I talk to?", "pr"],
    ["@SkylineAir this video is going viral, you should be ashamed", "pr"],
    ["@SkylineAir the food on the Glasgow flight was cold and the coffee worse", "cabin"],
    ["@SkylineAir thanks for nothing", "service"],
  ])("routes %j to %s", (text, department) => {
    expect(routeComplaint(tweet(text), config.routing).department).toBe(department);
  });

  it("makes safety and health complaints P1, but not everyday frustration", () => {
    const allergy = tweet("@SkylineAir my son had an allergic reaction after crew served nuts");
    expect(prioritizeComplaint(allergy, config.priority).priority).toBe("P1");
    const fedUp = tweet("@SkylineAir I'm sick of waiting at this gate");
    expect(prioritizeComplaint(fedUp, config.priority).priority).toBe("P3");
    const exitRow = tweet("@SkylineAir paid for an emergency exit row seat and got moved");
    expect(prioritizeComplaint(exitRow, config.priority).priority).toBe("P3");
  });

  it("raises complaints from loud accounts and widely shared posts", () => {
    const big = tweet("@SkylineAir three hours on the tarmac", {
      handle: "celebrity",
      followers: 250_000,
      verified: true,
    });
    expect(prioritizeComplaint(big, config.priority).priority).toBe("P1");
    const shared = { ...tweet("@SkylineAir worst airline"), metrics: { shares: 150 } };
    expect(prioritizeComplaint(shared, config.priority).priority).toBe("P2");
  });

  it("gives every priority a first-response window, tightest for P1", () => {
    expect(config.sla.P1).toMatchObject({ claimMs: 5 * 60_000, firstResponseMs: 15 * 60_000 });
    expect(config.sla.P4.firstResponseMs).toBe(86_400_000);
    const windows = (["P1", "P2", "P3", "P4"] as const).map((p) => config.sla[p].firstResponseMs);
    expect([...windows].sort((a, b) => a - b)).toEqual(windows);
  });

  it("uses a London office calendar with a lunch break and bank holidays", () => {
    const office = config.calendars["london-office"];
    expect(office?.timezone).toBe("Europe/London");
    expect(office?.week.mon).toHaveLength(2);
    expect(office?.week.sat).toEqual([]);
    expect(office?.holidays).toContain("2026-12-25");
    expect(config.departments.find((d) => d.key === "service")?.calendar).toBeUndefined();
  });

  it("escalates to #sb-exec on the documented ladder", () => {
    expect(config.executivesChannel).toBe("#sb-exec");
    expect(config.nudges).toEqual({
      warnings: [
        { atFraction: 0.5, target: "thread" },
        { atFraction: 0.8, target: "owner_or_channel" },
      ],
      breach: { notify: "leads" },
      escalate: [{ afterBreachMs: 30 * 60_000, target: "executives_channel" }],
    });
  });

  it("gives some leads working hours for DMs, on calendars that exist", () => {
    const leads = new Set(config.departments.flatMap((department) => department.leads));
    const people = Object.entries(config.people);
    expect(people.length).toBeGreaterThanOrEqual(2);
    for (const [user, person] of people) {
      expect(leads.has(user)).toBe(true);
      expect(Object.keys(config.calendars)).toContain(person.calendar);
    }
  });

  it("announces campaigns to departments from #sb-marketing, with the documented defaults", () => {
    expect(config.campaigns).toEqual({
      channel: "#sb-marketing",
      announcers: { users: ["U0SKY0MKT1"], usergroups: ["S0SKY0MKT1"] },
      minimumNoticeMs: 48 * 3_600_000,
      remindersMs: [24 * 3_600_000, 2 * 3_600_000],
      linkTailMs: 72 * 3_600_000,
      spike: { factor: 3, windowMs: 3_600_000, minimum: 10 },
    });
    const departmentChannels = config.departments.map((department) => department.channel);
    expect(departmentChannels).not.toContain(config.campaigns?.channel);
  });

  it.each([
    ["@SkylineAir thank you Priya at Gatwick, you made our day", "praise"],
    ["@SkylineAir loved the new seats, great flight!", "praise"],
    // Sarcasm names the problem, so it stays a complaint.
    ["@SkylineAir thanks for the 3 hour delay, great job", "complaint"],
    ["@SkylineAir thanks for nothing", "complaint"],
    ["@SkylineAir what time does check-in open at Gatwick?", "question"],
    ["@SkylineAir do you fly to Madeira in winter", "question"],
    ["@SkylineAir チェックインは何時からですか？", "question"],
    ["@SkylineAir متى يفتح تسجيل الوصول؟", "question"],
    ["RT @SkylineAir: new route to Madeira from May", "other"],
    ["@SkylineAir the crew ignored my mother all the way to Malaga", "complaint"],
  ])("gives %j the kind %s", (text, kind) => {
    expect(classifyPost(tweet(text), config.kinds).kind).toBe(kind);
  });

  it("runs no clocks for praise and chatter, and no resolution clock for questions", () => {
    expect(config.kindProfiles.complaint.clocks).toEqual([
      "claim",
      "firstResponse",
      "nextResponse",
      "resolution",
    ]);
    expect(config.kindProfiles.question).toEqual({
      clocks: ["claim", "firstResponse"],
      delivery: { to: "card" },
    });
    expect(config.kindProfiles.praise).toEqual({
      clocks: [],
      delivery: { to: "channel", channel: "#sb-kudos" },
    });
    expect(config.kindProfiles.other).toEqual({
      clocks: [],
      delivery: { to: "rollup", channel: "#sb-triage", at: "17:00", timezone: "Europe/London" },
    });
  });

  it("learns from corrections, following a department guess from 0.8 and a kind guess from 0.9", () => {
    expect(config.learning).toEqual({
      routing: { enabled: true, minConfidence: 0.8 },
      kinds: { enabled: true, minConfidence: 0.9 },
      minExamples: 30,
      retrain: "0 3 * * *",
    });
  });
});
