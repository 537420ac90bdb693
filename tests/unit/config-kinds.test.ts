import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { DEFAULT_KIND_PROFILES } from "../../src/domain/post-kinds.ts";

const VALID = readFileSync("tests/fixtures/config/minimal.yaml", "utf8");
const withKinds = (section: string) => `${VALID}kinds:\n${section}`;

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
      'kinds.profiles.other.at: "5pm" is not a time written as "HH:MM".',
    ]);
  });
});
