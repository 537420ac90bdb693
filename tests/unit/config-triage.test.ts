import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { DEFAULT_KIND_PROFILES } from "../../src/domain/post-kinds.ts";

const VALID = readFileSync("tests/fixtures/config/minimal.yaml", "utf8");
const withKinds = (section: string) => `${VALID}kinds:\n${section}`;

/** The fixture with `lines` added under its routing section. */
function withRouting(lines: string): string {
  return VALID.replace("routing:\n  default: service\n", `routing:\n  default: service\n${lines}`);
}

function problemsOf(yaml: string): string[] {
  try {
    parseWorkspaceConfig(yaml, "switchboard.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe("kinds", () => {
  it("without a kinds section, every post is a complaint on the desk, as before", () => {
    const config = parseWorkspaceConfig(VALID, "x");
    expect(config.kinds).toEqual({ defaultKind: "complaint", rules: [] });
    expect(config.kindProfiles).toEqual(DEFAULT_KIND_PROFILES);
    // Nor does a learned kind take a post off the desk once a model is trained.
    expect(config.learning.kinds.enabled).toBe(false);
    expect(parseWorkspaceConfig(withKinds("  default: complaint\n"), "x").learning.kinds).toEqual({
      enabled: true,
      minConfidence: 0.9,
    });
  });

  it("reads rules, a default, and profiles with their clocks and destinations", () => {
    const config = parseWorkspaceConfig(
      withKinds(`  default: complaint
  rules:
    - name: thanks
      kind: praise
      match: { phrases: [thank you] }
  profiles:
    question: { clocks: [claim, firstResponse, nextResponse] }
    praise: { clocks: [], deliver: channel, channel: "#kudos" }
    other: { deliver: rollup, channel: C0TRIAGE, at: "17:30", timezone: Europe/London }
`),
      "x",
    );
    expect(config.kinds.rules.map((r) => [r.name, r.kind])).toEqual([["thanks", "praise"]]);
    expect(config.kindProfiles.complaint).toEqual(DEFAULT_KIND_PROFILES.complaint);
    expect(config.kindProfiles.question.clocks).toEqual(["claim", "firstResponse", "nextResponse"]);
    expect(config.kindProfiles.praise).toEqual({
      clocks: [],
      delivery: { to: "channel", channel: "#kudos" },
    });
    expect(config.kindProfiles.other).toEqual({
      clocks: [],
      delivery: { to: "rollup", channel: "C0TRIAGE", at: "17:30", timezone: "Europe/London" },
    });
  });

  it("names every mistake: an unknown kind or clock, a destination without its channel or time, a repeated name", () => {
    const problems = problemsOf(
      withKinds(`  rules:
    - name: thanks
      kind: kudos
      match: { phrases: [thanks] }
    - name: thanks
      kind: praise
      match: { phrases: [ta] }
  profiles:
    question: { clocks: [answer] }
    praise: { deliver: channel }
    other: { deliver: rollup, channel: "#triage", at: "5pm" }
`),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^kinds\.rules\[0\]\.kind: /),
      expect.stringMatching(/^kinds\.rules\[1\]\.name: Duplicate kind rule name "thanks"/),
      expect.stringMatching(/^kinds\.profiles\.question\.clocks\[0\]: /),
      'kinds.profiles.praise.channel: Missing required key "channel": deliver: channel posts there.',
      'kinds.profiles.other.timezone: Missing required key "timezone": the time zone of at.',
      'kinds.profiles.other.at: "5pm" is not a local time written "HH:MM" on the 24-hour clock (5pm is "17:00"), nor five cron fields (minute hour day-of-month month day-of-week).',
    ]);
  });

  it("refuses a channel, time or time zone the profile's delivery would never read", () => {
    expect(
      problemsOf(
        withKinds(`  profiles:
    praise: { clocks: [], channel: "#kudos" }
    other: { deliver: channel, channel: "#triage", at: "17:00", timezone: UTC }
`),
      ),
    ).toEqual([
      'kinds.profiles.praise.channel: "channel" is only read with deliver: channel or rollup, and deliver is card: set deliver, or leave channel out.',
      'kinds.profiles.other.at: "at" is only read with deliver: rollup, and deliver is channel: set deliver, or leave at out.',
      'kinds.profiles.other.timezone: "timezone" is only read with deliver: rollup, and deliver is channel: set deliver, or leave timezone out.',
    ]);
  });

  it("takes a roll-up time as a daily local time or as cron fields, for roll-ups more often than daily", () => {
    const rollup = (at: string) =>
      withKinds(
        `  profiles:
    other: { deliver: rollup, channel: "#triage", at: "${at}", timezone: UTC }
`,
      );
    expect(parseWorkspaceConfig(rollup("*/15 * * * *"), "x").kindProfiles.other.delivery).toEqual({
      to: "rollup",
      channel: "#triage",
      at: "*/15 * * * *",
      timezone: "UTC",
    });
    expect(problemsOf(rollup("0 25 * * *"))).toEqual([
      'kinds.profiles.other.at: "0 25 * * *" has "25" in its hour field; expected 0-23.',
    ]);
  });
});

describe("routing.learned", () => {
  it("is on by default, follows guesses from 0.8, and trains from 30 threads by hand", () => {
    expect(parseWorkspaceConfig(VALID, "x").learning).toEqual({
      routing: { enabled: true, minConfidence: 0.8 },
      // No kinds section: every post is a complaint, as documented, so no learned kinds either.
      kinds: { enabled: false, minConfidence: 0.9 },
      minExamples: 30,
      retrain: undefined,
    });
  });

  it("reads a confidence as a fraction or a percentage, a schedule, and a switch", () => {
    const config = parseWorkspaceConfig(
      withRouting(
        '  learned:\n    enabled: false\n    minConfidence: 85%\n    minExamples: 50\n    retrain: "0 3 * * *"\n',
      ),
      "x",
    );
    expect(config.learning).toEqual({
      routing: { enabled: false, minConfidence: 0.85 },
      kinds: { enabled: false, minConfidence: 0.9 },
      minExamples: 50,
      retrain: "0 3 * * *",
    });
  });

  it("names the key and the fix for a confidence out of range or a schedule that never runs", () => {
    expect(problemsOf(withRouting("  learned:\n    minConfidence: 1.5\n"))).toEqual([
      "routing.learned.minConfidence: 1.5 is not a confidence between 0 and 1 (such as 0.8 or 80%).",
    ]);
    expect(problemsOf(withRouting('  learned:\n    retrain: "every night"\n'))).toEqual([
      'routing.learned.retrain: "every night" is not a cron schedule.',
    ]);
    expect(
      problemsOf(withRouting("  learned:\n    minConfidence: 0.8\n    threshold: 2\n")),
    ).toHaveLength(1);
  });
});
