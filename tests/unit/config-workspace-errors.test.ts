import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, type ConfigIssue } from "../../src/config/config-error.ts";
import { loadWorkspaceConfig, parseWorkspaceConfig } from "../../src/config/load-workspace.ts";

// Every case starts from a valid file and breaks one thing, so each test shows exactly which
// mistake produces which report. Line numbers refer to tests/fixtures/config/minimal.yaml.
const FILE = "switchboard.yaml";
const VALID = readFileSync("tests/fixtures/config/minimal.yaml", "utf8");

function withEdit(find: string, replace: string): string {
  if (!VALID.includes(find)) throw new Error(`fixture has no ${JSON.stringify(find)}`);
  return VALID.replace(find, replace);
}

// The fixture plus an escalation ladder and people, appended after its last line (35), so
// the fixture's own line numbers still hold. Lines are noted for the cases below.
const WITH_LADDER = `${VALID}escalation:
  executivesChannel: "#sb-exec"
  warnings:
    - at: 50%
      notify: thread
    - at: 80%
      notify: owner
  breach:
    notify: leads
  escalate:
    - after: 30m
      notify: executives
people:
  - user: U0123ABCD
    calendar: office
  - user: U0456EFGH
`;
// escalation: 36, executivesChannel: 37, warnings[0]: 39, warnings[1]: 41, escalate[0]: 46,
// people[0]: 49, people[1]: 51.

function withLadderEdit(find: string, replace: string): string {
  const ladder = WITH_LADDER.slice(VALID.length);
  if (!ladder.includes(find)) throw new Error(`ladder has no ${JSON.stringify(find)}`);
  return VALID + ladder.replace(find, replace);
}

function configErrorFrom(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

interface Expectation {
  path: string;
  line?: number;
  message: RegExp;
  expected?: RegExp;
}

/** Asserts the issue is there and that the printed report names file, line, key and fix. */
function expectIssue(yamlText: string, want: Expectation): ConfigIssue {
  const error = configErrorFrom(() => parseWorkspaceConfig(yamlText, FILE));
  const issue = error.issues.find((candidate) => candidate.path === want.path);
  expect(issue, `no issue at ${want.path} in:\n${error.message}`).toBeDefined();
  if (!issue) throw new Error("unreachable");
  expect(issue.file).toBe(FILE);
  expect(issue.message).toMatch(want.message);
  expect(issue.example).toBeTruthy();
  if (want.line !== undefined) {
    expect(issue.line).toBe(want.line);
    expect(error.message).toContain(`${FILE}:${want.line}:`);
  }
  if (want.expected) expect(issue.expected).toMatch(want.expected);
  expect(error.message).toContain(want.path);
  expect(error.message).toContain("Expected:");
  expect(error.message).toContain("Example:");
  return issue;
}

describe("workspace config errors", () => {
  it("the fixture itself is valid", () => {
    expect(() => parseWorkspaceConfig(VALID, FILE)).not.toThrow();
  });

  it("names a missing key and points at its parent's line", () => {
    expectIssue(withEdit("    name: Baggage\n", ""), {
      path: "departments[1].name",
      line: 6,
      message: /Missing required key "name"/,
      expected: /display name/,
    });
  });

  it("reports a value of the wrong type", () => {
    expectIssue(withEdit("leads: [U0456EFGH]", "leads: U0456EFGH"), {
      path: "departments[1].leads",
      line: 9,
      message: /Expected a list, found "U0456EFGH"/,
      expected: /list of Slack member IDs/,
    });
  });

  it("reports an unknown department in a routing rule, with a suggestion", () => {
    const issue = expectIssue(withEdit("department: baggage", "department: bagage"), {
      path: "routing.rules[0].department",
      line: 15,
      message: /Unknown department "bagage" \(did you mean "baggage"\?\)/,
      expected: /service, baggage/,
    });
    expect(issue.example).toContain("department:");
  });

  it("blames a capitalised department key, not the rules that spell it right", () => {
    const error = configErrorFrom(() =>
      parseWorkspaceConfig(withEdit("key: baggage", "key: Baggage"), FILE),
    );
    expect(error.issues.map((issue) => [issue.path, issue.message])).toEqual([
      ["departments[1].key", '"Baggage" is not a lowercase key: write "baggage".'],
    ]);
    expect(error.message).not.toContain('did you mean "Baggage"');
  });

  it("suggests the channel a name without # or in capitals means", () => {
    for (const [written, meant] of [
      ["sb-service", "#sb-service"],
      ["#SB-Service", "#sb-service"],
      ["#sb service", "#sb-service"],
    ]) {
      expectIssue(withEdit('channel: "#sb-service"', `channel: "${written}"`), {
        path: "departments[0].channel",
        line: 4,
        message: new RegExp(
          `^"${written}" is not a channel name or ID \\(did you mean "${meant}"\\?\\)`,
        ),
      });
    }
  });

  it("reports an unknown routing.default", () => {
    expectIssue(withEdit("default: service", "default: helpdesk"), {
      path: "routing.default",
      line: 12,
      message: /Unknown department "helpdesk"/,
      expected: /one of the department keys: service, baggage/,
    });
  });

  it("reports a bad duration", () => {
    expectIssue(withEdit("P2: { firstResponse: 1h }", "P2: { firstResponse: 1 hour }"), {
      path: "sla.P2.firstResponse",
      line: 27,
      message: /"1 hour" is not a duration \(did you mean "1h"\?\)/,
      expected: /number and a unit/,
    });
  });

  it("suggests the short form of a duration written with words, and nothing for a decimal", () => {
    for (const [written, meant] of [
      ["2 days", "2d"],
      ["90min", "90m"],
      ["1 hour 30 minutes", "1h30m"],
    ]) {
      expectIssue(withEdit("P2: { firstResponse: 1h }", `P2: { firstResponse: ${written} }`), {
        path: "sla.P2.firstResponse",
        message: new RegExp(`^"${written}" is not a duration \\(did you mean "${meant}"\\?\\);`),
      });
    }
    expectIssue(withEdit("P2: { firstResponse: 1h }", "P2: { firstResponse: 1.5d }"), {
      path: "sla.P2.firstResponse",
      message: /^"1\.5d" is not a duration; write a number and a unit/,
    });
  });

  it("reports a duration longer than a year, which would overflow the clocks' dates", () => {
    expectIssue(withEdit("P1: { firstResponse: 15m }", "P1: { firstResponse: 99999999d }"), {
      path: "sla.P1.firstResponse",
      message: /"99999999d" is longer than a year; write at most 366d/,
    });
  });

  it("gives an example for the window the duration is for", () => {
    const issue = expectIssue(
      withEdit("P1: { firstResponse: 15m }", "P1: { firstResponse: 15m, claim: 5 min }"),
      {
        path: "sla.P1.claim",
        message: /"5 min" is not a duration/,
      },
    );
    expect(issue.example).toBe("claim: 15m   # also 90s, 4h, 2d, 1h30m");
  });

  it("reports a duration written as a bare number", () => {
    expectIssue(withEdit("P4: { firstResponse: 1d }", "P4: { firstResponse: 24 }"), {
      path: "sla.P4.firstResponse",
      line: 29,
      message: /^24 has no unit: write 24s, 24m, 24h or 24d \(seconds, minutes, hours or days\)/,
      expected: /duration/,
    });
  });

  it("explains a number written with a thousands separator inside braces", () => {
    const error = configErrorFrom(() =>
      parseWorkspaceConfig(
        withEdit("match: { phrases: [unsafe] }", "match: { minFollowers: 10,000 }"),
        FILE,
      ),
    );
    expect(error.issues.map((i) => [i.path, i.message])).toEqual([
      [
        "priority.rules[0].match.0",
        'Unknown key "0": inside { } a comma separates entries, so a number written with a thousands separator (10,000) is cut there; write 10000.',
      ],
    ]);
  });

  it("reports an unknown time zone", () => {
    expectIssue(withEdit("timezone: Europe/London", "timezone: Europe/Londn"), {
      path: "calendars.office.timezone",
      line: 32,
      message: /"Europe\/Londn" is not a known IANA time zone \(did you mean "Europe\/London"\?\)/,
      expected: /IANA time zone/,
    });
  });

  it("suggests the short day key for a day written in full", () => {
    expectIssue(withEdit("      mon: [", "      monday: ["), {
      path: "calendars.office.hours.monday",
      line: 34,
      message: /^Unknown key "monday" \(did you mean "mon"\?\)/,
    });
  });

  it("suggests the time zone of a city written alone", () => {
    expectIssue(withEdit("timezone: Europe/London", "timezone: London"), {
      path: "calendars.office.timezone",
      line: 32,
      message: /^"London" is not a known IANA time zone \(did you mean "Europe\/London"\?\)/,
    });
  });

  it("reports a regular expression that does not compile", () => {
    expectIssue(withEdit("'\\bsuitcase\\b'", "'(suitcase'"), {
      path: "routing.rules[0].match.patterns[0]",
      line: 18,
      message: /does not compile.*Unterminated group/,
      expected: /regular expression/,
    });
  });

  it("reports a pattern written in double quotes, whose \\b YAML turned into a backspace", () => {
    expectIssue(withEdit("'\\bsuitcase\\b'", '"\\bsuitcase\\b"'), {
      path: "routing.rules[0].match.patterns[0]",
      line: 18,
      message: /control character.*single quotes, such as '\\bbag\\b'/,
      expected: /regular expression/,
    });
  });

  it("reports an empty list of phrases, which would make the rule never match", () => {
    expectIssue(withEdit("phrases: [lost bag]", "phrases: []"), {
      path: "routing.rules[0].match.phrases",
      line: 17,
      message:
        /The list is empty, so the rule could never match: add an entry or leave the key out/,
    });
  });

  it("reports a calendar whose every day is closed: its SLA clocks could never run", () => {
    expectIssue(withEdit('mon: ["13:30-17:30", "09:00-12:30"]', "mon: []"), {
      path: "calendars.office.hours",
      message: /Every day is closed.*mon: \["09:00-17:00"\]/,
    });
  });

  it("reports the same executive listed twice", () => {
    const twice = `${VALID}executives:
  - { user: U0EXEC1, name: Ana, timezone: UTC, digest: "08:00" }
  - { user: U0EXEC1, name: Ana again, timezone: UTC }
`;
    expectIssue(twice, {
      path: "executives[1].user",
      message: /Duplicate executive "U0EXEC1"; executives\[0\] already uses it/,
    });
  });

  it("reports overlapping time slots", () => {
    expectIssue(withEdit('"13:30-17:30", "09:00-12:30"', '"09:00-12:30", "12:00-17:30"'), {
      path: "calendars.office.hours.mon[1]",
      line: 34,
      message: /12:00-17:30 overlaps an earlier slot/,
      expected: /not overlapping/,
    });
  });

  it("reports a slot that is not HH:MM-HH:MM, and one that ends before it starts", () => {
    const yamlText = withEdit('"13:30-17:30", "09:00-12:30"', '"9-5", "17:30-09:00"');
    expectIssue(yamlText, {
      path: "calendars.office.hours.mon[0]",
      line: 34,
      message: /"9-5" is not a time slot written as "HH:MM-HH:MM"/,
    });
    expectIssue(yamlText, {
      path: "calendars.office.hours.mon[1]",
      line: 34,
      message: /starts at or after it ends/,
    });
  });

  it("reports a duplicate department key", () => {
    expectIssue(withEdit("  - key: baggage", "  - key: service"), {
      path: "departments[1].key",
      line: 6,
      message: /Duplicate department key "service"; departments\[0\] already uses it/,
      expected: /no other entry uses/,
    });
  });

  it("reports a YAML syntax error with line and column", () => {
    const error = configErrorFrom(() =>
      parseWorkspaceConfig(withEdit("name: Baggage", "name: Baggage: services"), FILE),
    );
    const [issue] = error.issues;
    expect(issue).toMatchObject({ file: FILE, line: 7, column: expect.any(Number) });
    expect(issue?.message).toMatch(/YAML syntax error/);
    expect(error.message).toMatch(/switchboard\.yaml:7:\d+/);
    expect(error.message).toContain("Expected: valid YAML");
  });

  it("names a key written twice, and for a backslash in double quotes says to use single quotes", () => {
    const twice = configErrorFrom(() =>
      parseWorkspaceConfig(`${VALID}admins: [U0AAAA]\nadmins: [U0BBBB]\n`, FILE),
    );
    expect(twice.issues).toMatchObject([
      {
        message: 'YAML syntax error: the key "admins" is written twice in one mapping',
        expected: "each key once in its mapping: merge the two entries, or delete one",
      },
    ]);
    const badEscape = configErrorFrom(() =>
      parseWorkspaceConfig(withEdit("'\\bsuitcase\\b'", '"\\bsuit\\w*"'), FILE),
    );
    expect(badEscape.issues[0]?.line).toBe(18);
    expect(badEscape.issues[0]?.message).toBe("YAML syntax error: Invalid escape sequence \\w");
    expect(badEscape.issues[0]?.expected).toMatch(/write regular expressions in single quotes/);
  });

  it("names the missing file, SWITCHBOARD_CONFIG and the example to copy", () => {
    const error = configErrorFrom(() => loadWorkspaceConfig("tests/fixtures/config/nope.yaml"));
    expect(error.issues).toHaveLength(1);
    expect(error.message).toContain("tests/fixtures/config/nope.yaml");
    expect(error.message).toContain("not found");
    expect(error.message).toContain("SWITCHBOARD_CONFIG");
    expect(error.message).toContain("cp switchboard.example.yaml switchboard.yaml");
  });

  it("reports an unknown calendar", () => {
    expectIssue(withEdit("calendar: office", "calendar: ofice"), {
      path: "departments[1].calendar",
      line: 10,
      message: /Unknown calendar "ofice" \(did you mean "office"\?\)/,
      expected: /calendar keys: office/,
    });
  });

  it("reports a holiday that is not a real date", () => {
    expectIssue(withEdit('holidays: ["2026-12-25"]', 'holidays: ["2026-02-30"]'), {
      path: "calendars.office.holidays[0]",
      line: 35,
      message: /"2026-02-30" is not a date/,
      expected: /YYYY-MM-DD/,
    });
  });

  it("reports Slack IDs in the wrong format", () => {
    expectIssue(withEdit("leads: [U0123ABCD]", "leads: [priya]"), {
      path: "departments[0].leads[0]",
      line: 5,
      message: /"priya" is not a Slack member ID/,
      expected: /member ID \(U… or W…/,
    });
    expectIssue(withEdit("channel: C0123ABCD", "channel: baggage-team"), {
      path: "departments[1].channel",
      line: 8,
      message: /not a channel name or ID/,
    });
  });

  it("explains that an unquoted #channel is a YAML comment", () => {
    expectIssue(withEdit('channel: "#sb-service"', "channel: #sb-service"), {
      path: "departments[0].channel",
      line: 4,
      message: /bare # starts a comment/,
    });
  });

  it("rejects an empty department list", () => {
    const departments = VALID.slice(0, VALID.indexOf("routing:"));
    expectIssue(VALID.replace(departments, "departments: []\n"), {
      path: "departments",
      line: 1,
      message: /Needs at least one entry/,
      expected: /at least one department/,
    });
  });

  it("names a misspelt key and suggests the right one", () => {
    expectIssue(withEdit("P1: { firstResponse: 15m }", "P1: { firstReponse: 15m }"), {
      path: "sla.P1.firstReponse",
      line: 26,
      message: /Unknown key "firstReponse" \(did you mean "firstResponse"\?\)/,
      expected: /claim, firstResponse, nextResponse, resolution/,
    });
  });

  it("requires exactly one of set or raise on a priority rule", () => {
    expectIssue(withEdit("      set: P1", "      set: P1\n      raise: 1"), {
      path: "priority.rules[0]",
      line: 22,
      message: /both set and raise/,
    });
    expectIssue(withEdit("      set: P1", ""), {
      path: "priority.rules[0]",
      message: /neither set nor raise/,
    });
  });

  it("rejects a rule whose match has no conditions", () => {
    expectIssue(withEdit("match: { phrases: [unsafe] }", "match: {}"), {
      path: "priority.rules[0].match",
      line: 23,
      message: /no conditions/,
    });
  });

  it("rejects a match with only excludePhrases, saying what they are for", () => {
    expectIssue(withEdit("match: { phrases: [unsafe] }", "match: { excludePhrases: [unsafe] }"), {
      path: "priority.rules[0].match",
      line: 23,
      message: /excludePhrases only narrows a rule: add phrases, patterns or another condition/,
      expected: /excludePhrases to narrow/,
    });
  });

  it("reports an excluded phrase that is not text", () => {
    expectIssue(
      withEdit("match: { phrases: [unsafe] }", "match: { phrases: [unsafe], excludePhrases: [1] }"),
      {
        path: "priority.rules[0].match.excludePhrases[0]",
        line: 23,
        message: /Expected text/,
        expected: /word or phrase/,
      },
    );
  });

  it("lists every problem at once, in file order", () => {
    const yamlText = withEdit("department: baggage", "department: bagage")
      .replace("P2: { firstResponse: 1h }", "P2: { firstResponse: soon }")
      .replace("timezone: Europe/London", "timezone: Mars/Olympus");
    const error = configErrorFrom(() => parseWorkspaceConfig(yamlText, FILE));
    expect(error.issues.map((issue) => issue.path)).toEqual([
      "routing.rules[0].department",
      "sla.P2.firstResponse",
      "calendars.office.timezone",
    ]);
    expect(error.message).toMatch(/^Invalid configuration in switchboard\.yaml \(3 problems\):/);
  });

  it("accepts the fixture with an escalation ladder and people", () => {
    expect(() => parseWorkspaceConfig(WITH_LADDER, FILE)).not.toThrow();
  });

  it("reports a warning share that is not a percentage between 0% and 100%", () => {
    expectIssue(withLadderEdit("at: 80%", "at: 120%"), {
      path: "escalation.warnings[1].at",
      line: 41,
      message: /"120%" is not strictly between 0% and 100%/,
      expected: /strictly between 0% and 100%/,
    });
    expectIssue(withLadderEdit("at: 80%", "at: 80"), {
      path: "escalation.warnings[1].at",
      line: 41,
      message: /80 would be 8000% of the window; write 80% or 0\.8/,
      expected: /a percentage \(80%\) or a fraction \(0\.8\)/,
    });
    expectIssue(withLadderEdit("at: 50%", "at: most"), {
      path: "escalation.warnings[0].at",
      line: 39,
      message: /"most" is not a percentage/,
    });
  });

  it("reports two warnings at the same share, however each is written", () => {
    expectIssue(withLadderEdit("at: 80%", "at: 0.5"), {
      path: "escalation.warnings[1].at",
      line: 41,
      message: /Another warning is already at 50% \(escalation\.warnings\[0\]\)/,
      expected: /each warning at its own share/,
    });
  });

  it("requires executivesChannel when there are escalation steps", () => {
    const issue = expectIssue(withLadderEdit('  executivesChannel: "#sb-exec"\n', ""), {
      path: "escalation.executivesChannel",
      line: 36,
      message: /Missing required key "executivesChannel": escalation\.escalate has a step/,
      expected: /channel where escalations are posted.*escalate: \[\]/,
    });
    expect(issue.example).toBe('executivesChannel: "#sb-exec"');
    // Left out, escalate keeps the default step, which needs a channel just the same.
    const defaulted = withLadderEdit('  executivesChannel: "#sb-exec"\n', "").replace(
      / {2}escalate:\n.*\n.*\n/,
      "",
    );
    expectIssue(defaulted, {
      path: "escalation.executivesChannel",
      line: 36,
      message: /escalate is left out, so the default applies \(escalating 1h after a breach\)/,
    });
    // With no escalations there is nothing to post.
    const none = withLadderEdit('  executivesChannel: "#sb-exec"\n', "").replace(
      / {2}escalate:\n.*\n.*\n/,
      "  escalate: []\n",
    );
    expect(() => parseWorkspaceConfig(none, FILE)).not.toThrow();
  });

  it("explains that an unquoted executivesChannel is a YAML comment", () => {
    expectIssue(withLadderEdit('executivesChannel: "#sb-exec"', "executivesChannel: #sb-exec"), {
      path: "escalation.executivesChannel",
      line: 37,
      message: /bare # starts a comment, so write executivesChannel: "#name"/,
      expected: /channel name in quotes/,
    });
  });

  it("reports a bad duration in an escalation step", () => {
    expectIssue(withLadderEdit("after: 30m", "after: half an hour"), {
      path: "escalation.escalate[0].after",
      line: 46,
      message: /"half an hour" is not a duration/,
      expected: /duration after the breach/,
    });
  });

  it("reports two escalations at the same delay", () => {
    const twice = withLadderEdit(
      "      notify: executives\n",
      "      notify: executives\n    - after: 0h30m\n      notify: executives\n",
    );
    expectIssue(twice, {
      path: "escalation.escalate[1].after",
      line: 48,
      message: /Another escalation is already 30m after the breach \(escalation\.escalate\[0\]\)/,
      expected: /each escalation at its own delay/,
    });
  });

  it("reports an unknown notify target", () => {
    expectIssue(withLadderEdit("notify: owner", "notify: manager"), {
      path: "escalation.warnings[1].notify",
      line: 42,
      message: /"manager" is not allowed here; use one of thread, owner/,
      expected: /DM to the owner/,
    });
  });

  it("reports an unknown calendar for a person, with a suggestion", () => {
    expectIssue(withLadderEdit("calendar: office", "calendar: ofice"), {
      path: "people[0].calendar",
      line: 50,
      message: /Unknown calendar "ofice" \(did you mean "office"\?\)/,
      expected: /calendar keys: office/,
    });
  });

  it("reports a person listed twice", () => {
    expectIssue(withLadderEdit("  - user: U0456EFGH", "  - user: U0123ABCD"), {
      path: "people[1].user",
      line: 51,
      message: /Duplicate user "U0123ABCD"; people\[0\] already uses it/,
      expected: /no other entry uses/,
    });
  });

  it("reports an empty file plainly", () => {
    const error = configErrorFrom(() => parseWorkspaceConfig("# nothing yet\n", FILE));
    expect(error.message).toContain("The file is empty");
  });
});
