import { describe, expect, it } from "vitest";
import type { ComplaintFacts } from "../../src/domain/complaint.ts";
import {
  answerClock,
  classifyPost,
  clocksForKindChange,
  DEFAULT_KIND_PROFILES,
  DEFAULT_KIND_REASON,
  deskWeight,
  type KindPolicy,
  type KindProfile,
} from "../../src/domain/post-kinds.ts";
import { type SlaClock, startClocks } from "../../src/domain/sla-clock.ts";
import { trainClassifier } from "../../src/domain/text-classifier.ts";
import { kindRollupJob } from "../../src/jobs/kind-rollup-job.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WINDOWS = { claimMs: HOUR, firstResponseMs: 4 * HOUR, resolutionMs: 72 * HOUR };
const OPENED = new Date("2026-11-24T10:00:00Z");
const LATER = new Date("2026-11-24T10:30:00Z");

const policy: KindPolicy = {
  defaultKind: "complaint",
  rules: [
    { name: "problems", kind: "complaint", match: { phrases: ["delayed", "lost"] } },
    { name: "thanks", kind: "praise", match: { phrases: ["thank you", "thanks"] } },
    { name: "questions", kind: "question", match: { patterns: [/\?/] } },
  ],
};
const post = (text: string): ComplaintFacts => ({ source: "twitter", text });

describe("classifyPost", () => {
  it.each([
    ["thanks for a smooth flight", "praise", "thanks"],
    ["thanks for the delayed flight", "complaint", "problems"],
    ["what time does boarding start?", "question", "questions"],
  ])("gives %j the kind %s by rule %s", (text, kind, rule) => {
    expect(classifyPost(post(text), policy)).toMatchObject({ kind, rule });
  });

  it("falls back on the default kind, and says so", () => {
    expect(classifyPost(post("just landed"), policy)).toEqual({
      kind: "complaint",
      rule: null,
      reason: DEFAULT_KIND_REASON,
    });
  });

  it("follows a confident model only where no rule matched", () => {
    const classifier = trainClassifier([
      { text: "what a lovely crew", label: "praise" },
      { text: "lovely crew today", label: "praise" },
      { text: "lovely staff", label: "praise" },
      { text: "the seat was broken", label: "complaint" },
      { text: "broken seat again", label: "complaint" },
      { text: "my seat is broken", label: "complaint" },
    ]);
    const fallback = {
      model: { version: 3, classifier },
      minConfidence: 0.6,
      allowed: ["praise", "complaint"],
    };
    expect(classifyPost(post("lovely crew"), policy, fallback)).toMatchObject({
      kind: "praise",
      rule: null,
      reason: expect.stringMatching(/^learned: praise 0\.\d\d — 'lovely'.* \(model v3\)$/),
    });
    expect(classifyPost(post("lovely crew, thanks"), policy, fallback).rule).toBe("thanks");
    const strict = { ...fallback, minConfidence: 1 };
    expect(classifyPost(post("lovely crew"), policy, strict)).toMatchObject({
      kind: "complaint",
      reason: expect.stringContaining("model v3 guessed praise"),
    });
  });
});

describe("deskWeight", () => {
  it("orders kinds by how much they ask of the desk", () => {
    expect(deskWeight("complaint")).toBeGreaterThan(deskWeight("question"));
    expect(deskWeight("question")).toBeGreaterThan(deskWeight("praise"));
    expect(deskWeight("praise")).toBe(deskWeight("other"));
  });
});

describe("clocksForKindChange", () => {
  const complaint = DEFAULT_KIND_PROFILES.complaint;
  const question = DEFAULT_KIND_PROFILES.question;
  const praise: KindProfile = { clocks: [], delivery: { to: "channel", channel: "#kudos" } };
  const kinds = (clocks: SlaClock[]) => clocks.map((c) => c.kind);

  it("starts claim, first response and resolution when praise becomes a complaint", () => {
    const clocks = clocksForKindChange(
      [],
      complaint,
      { state: "open", answered: false },
      LATER,
      undefined,
      WINDOWS,
    );
    expect(kinds(clocks)).toEqual(["claim", "firstResponse", "resolution"]);
    expect(
      clocks.every((c) => c.startedAt.getTime() === LATER.getTime() && c.runningSince !== null),
    ).toBe(true);
  });

  it("drops the resolution clock of a complaint that becomes a question, keeping time spent on the rest", () => {
    const running = startClocks(OPENED, WINDOWS);
    const clocks = clocksForKindChange(
      running,
      question,
      { state: "open", answered: false },
      LATER,
      undefined,
      WINDOWS,
    );
    expect(kinds(clocks)).toEqual(["claim", "firstResponse"]);
    expect(clocks.map((c) => c.startedAt)).toEqual([OPENED, OPENED]);
  });

  it("adds only what the thread still needs: no claim once owned, no first response once answered", () => {
    const clocks = clocksForKindChange(
      [],
      complaint,
      { state: "responded", answered: true },
      LATER,
      undefined,
      WINDOWS,
    );
    expect(kinds(clocks)).toEqual(["resolution"]);
  });

  it("adds none to a closed thread, and drops every clock for praise", () => {
    expect(
      clocksForKindChange(
        [],
        complaint,
        { state: "resolved", answered: true },
        LATER,
        undefined,
        WINDOWS,
      ),
    ).toEqual([]);
    const running = startClocks(OPENED, WINDOWS);
    expect(
      clocksForKindChange(
        running,
        praise,
        { state: "claimed", answered: false },
        LATER,
        undefined,
        WINDOWS,
      ),
    ).toEqual([]);
  });

  it("adds them paused while the thread waits on the customer", () => {
    const clocks = clocksForKindChange(
      [],
      complaint,
      { state: "waiting_on_customer", answered: true },
      LATER,
      undefined,
      WINDOWS,
    );
    expect(kinds(clocks)).toEqual(["resolution"]);
    expect(clocks[0]?.runningSince).toBeNull();
    expect(clocks[0]?.stoppedAt).toBeNull();
  });
});

describe("kindRollupJob", () => {
  it("runs daily at the roll-up's local time, in its time zone", () => {
    const job = kindRollupJob(
      { channel: "#sb-triage", at: "17:05", timezone: "Europe/London", kinds: ["other"] },
      async () => {},
    );
    expect(job).toMatchObject({ schedule: "5 17 * * *", timezone: "Europe/London" });
  });

  it("runs on cron fields as written", () => {
    const job = kindRollupJob(
      { channel: "#sb-triage", at: " */10 * * * * ", timezone: "UTC", kinds: ["other"] },
      async () => {},
    );
    expect(job.schedule).toBe("*/10 * * * *");
  });
});

describe("answerClock", () => {
  const profile = (clocks: KindProfile["clocks"]): KindProfile => ({
    clocks,
    delivery: { to: "card" },
  });
  it("is next response where the kind runs it and has a window, else a fresh first response", () => {
    const withNext = { ...WINDOWS, nextResponseMs: 8 * HOUR };
    expect(answerClock(DEFAULT_KIND_PROFILES.complaint, withNext)).toBe("nextResponse");
    expect(answerClock(DEFAULT_KIND_PROFILES.complaint, WINDOWS)).toBe("firstResponse");
    expect(answerClock(DEFAULT_KIND_PROFILES.question, withNext)).toBe("firstResponse");
    expect(answerClock(DEFAULT_KIND_PROFILES.praise, withNext)).toBeUndefined();
    expect(answerClock(profile(["claim", "resolution"]), withNext)).toBeUndefined();
  });
});
