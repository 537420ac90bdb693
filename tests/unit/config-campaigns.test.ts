import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";

// The minimal fixture (35 lines) with a campaigns section appended from line 36.
const VALID = readFileSync("tests/fixtures/config/minimal.yaml", "utf8");
const FILE = "switchboard.yaml";
const HOUR = 3_600_000;

function parse(campaigns: string) {
  return parseWorkspaceConfig(`${VALID}${campaigns}`, FILE);
}

function problems(campaigns: string) {
  try {
    parse(campaigns);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("the campaigns section", () => {
  it("is optional: without it campaigns are off", () => {
    expect(parseWorkspaceConfig(VALID, FILE).campaigns).toBeUndefined();
  });

  it("needs only a channel; every other key has the documented default", () => {
    expect(parse('campaigns:\n  channel: "#sb-marketing"\n').campaigns).toEqual({
      channel: "#sb-marketing",
      announcers: { users: [], usergroups: [] },
      minimumNoticeMs: 48 * HOUR,
      remindersMs: [24 * HOUR, 2 * HOUR],
      linkTailMs: 72 * HOUR,
      spike: { factor: 3, windowMs: HOUR, minimum: 10 },
    });
  });

  it("takes people and user groups as announcers, and reminders in any order, longest first", () => {
    const config = parse(`campaigns:
  channel: C0MKT
  announcers: [U0123ABCD, S0123ABCD]
  minimumNotice: 3d
  reminders: [2h, 1d, 30m]
  linkTail: 0m
  spike: { factor: 2.5, minimum: 4 }
`);
    expect(config.campaigns).toMatchObject({
      announcers: { users: ["U0123ABCD"], usergroups: ["S0123ABCD"] },
      minimumNoticeMs: 72 * HOUR,
      remindersMs: [24 * HOUR, 2 * HOUR, HOUR / 2],
      linkTailMs: 0,
      spike: { factor: 2.5, windowMs: HOUR, minimum: 4 },
    });
  });

  it("names the file, line, key, what was expected and an example for every mistake", () => {
    const issues = problems(`campaigns:
  channel: marketing
  announcers: [bob]
  reminders: [2h, 2h]
  spike: { factor: 0.5, minimum: 0, windw: 1h }
  minimumNotice: 2 days
  lateness: 1h
`);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        "campaigns.channel",
        "campaigns.announcers[0]",
        "campaigns.reminders[1]",
        "campaigns.spike.factor",
        "campaigns.spike.minimum",
        "campaigns.spike.windw",
        "campaigns.minimumNotice",
        "campaigns.lateness",
      ].sort(),
    );
    expect(byPath["campaigns.channel"]).toMatchObject({
      file: FILE,
      line: 37,
      message: expect.stringContaining('"marketing" is not a channel name or ID'),
      example: expect.stringContaining('channel: "#sb-marketing"'),
    });
    expect(byPath["campaigns.announcers[0]"]?.expected).toContain("user group ID (S…)");
    expect(byPath["campaigns.reminders[1]"]?.message).toContain("listed twice");
    expect(byPath["campaigns.spike.factor"]?.message).toContain("below the expected rate");
    expect(byPath["campaigns.spike.windw"]?.message).toContain('did you mean "window"');
    expect(byPath["campaigns.minimumNotice"]).toMatchObject({
      line: 41,
      message: expect.stringContaining('"2 days" is not a duration'),
      example: "minimumNotice: 48h",
    });
  });

  it("refuses a section without a channel", () => {
    const [issue] = problems("campaigns:\n  reminders: [24h]\n");
    expect(issue).toMatchObject({
      path: "campaigns.channel",
      message: expect.stringMatching(/channel/),
    });
  });
});
