import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import { loadWorkspaceConfig, parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { departmentByKey, type SlaWindows } from "../../src/config/workspace-types.ts";
import { DEFAULT_NUDGE_POLICY, nudgePolicyProblems } from "../../src/domain/escalation-plan.ts";
import type { ClockWindows } from "../../src/domain/sla-clock.ts";

const FIXTURE = "tests/fixtures/config/minimal.yaml";

describe("loadWorkspaceConfig", () => {
  const config = loadWorkspaceConfig(FIXTURE);

  it("keeps departments as written, calendar and all", () => {
    expect(config.departments.map((department) => department.key)).toEqual(["service", "baggage"]);
    expect(departmentByKey(config, "baggage")).toMatchObject({
      name: "Baggage",
      channel: "C0123ABCD",
      leads: ["U0456EFGH"],
      calendar: "office",
    });
    expect(departmentByKey(config, "nobody")).toBeUndefined();
  });

  it("builds the routing policy with patterns compiled case-insensitively", () => {
    expect(config.routing.defaultDepartment).toBe("service");
    const [rule] = config.routing.rules;
    expect(rule?.department).toBe("baggage");
    expect(rule?.match.phrases).toEqual(["lost bag"]);
    const pattern = rule?.match.patterns?.[0];
    expect(pattern).toBeInstanceOf(RegExp);
    expect(pattern?.flags).toBe("i");
    expect(pattern?.test("My SUITCASE is gone")).toBe(true);
  });

  it("converts SLA durations to milliseconds, leaving absent windows undefined", () => {
    expect(config.sla.P1).toEqual({
      claimMs: undefined,
      firstResponseMs: 15 * 60_000,
      nextResponseMs: undefined,
      resolutionMs: undefined,
    });
    expect(config.sla.P3.claimMs).toBe(3_600_000);
    expect(config.sla.P4.firstResponseMs).toBe(86_400_000);
  });

  it("fills a whole week of sorted slots in minutes; missing days are closed", () => {
    const office = config.calendars.office;
    expect(office?.timezone).toBe("Europe/London");
    expect(office?.week.mon).toEqual([
      { startMinute: 540, endMinute: 750 },
      { startMinute: 810, endMinute: 1050 },
    ]);
    expect(office?.week.sun).toEqual([]);
    expect(Object.keys(office?.week ?? {})).toEqual([
      "mon",
      "tue",
      "wed",
      "thu",
      "fri",
      "sat",
      "sun",
    ]);
    expect(office?.holidays).toEqual(["2026-12-25"]);
  });

  it("defaults the optional sections", () => {
    expect(config.executives).toEqual([]);
    expect(config.admins).toEqual([]);
    expect(config.nudges).toEqual(DEFAULT_NUDGE_POLICY);
    expect(config.nudges).not.toBe(DEFAULT_NUDGE_POLICY);
    expect(config.executivesChannel).toBeUndefined();
    expect(config.people).toEqual({});
    const text = readFileSync(FIXTURE, "utf8");
    const withoutPriority = text.replace(/priority:[\s\S]*?(?=sla:)/, "");
    expect(parseWorkspaceConfig(withoutPriority, "x.yaml").priority).toEqual({
      default: "P3",
      rules: [],
    });
  });

  it("strips a leading @ from author handles and accepts a slot ending at 24:00", () => {
    const text = readFileSync(FIXTURE, "utf8")
      .replace("phrases: [lost bag]", "authors: ['@BBCNews']")
      .replace('"13:30-17:30"', '"13:30-24:00"');
    const parsed = parseWorkspaceConfig(text, "x.yaml");
    expect(parsed.routing.rules[0]?.match.authors).toEqual(["BBCNews"]);
    expect(parsed.calendars.office?.week.mon.at(-1)).toEqual({ startMinute: 810, endMinute: 1440 });
  });

  it("uses the domain's ClockWindows for SLA windows", () => {
    expectTypeOf<SlaWindows>().toEqualTypeOf<ClockWindows>();
  });
});

describe("escalation and people", () => {
  const fixture = readFileSync(FIXTURE, "utf8");
  const parse = (extra: string) => parseWorkspaceConfig(`${fixture}${extra}`, "x.yaml");

  it("converts the escalation ladder into the domain's nudge policy", () => {
    const parsed = parse(`escalation:
  executivesChannel: "#sb-exec"
  warnings:
    - at: 50%
      notify: thread
    - at: 0.8
      notify: owner
  breach:
    notify: leads
  escalate:
    - after: 30m
      notify: executives
    - after: 0m
      notify: executives
`);
    expect(parsed.executivesChannel).toBe("#sb-exec");
    expect(parsed.nudges).toEqual({
      warnings: [
        { atFraction: 0.5, target: "thread" },
        { atFraction: 0.8, target: "owner_or_channel" },
      ],
      breach: { notify: "leads" },
      escalate: [
        { afterBreachMs: 30 * 60_000, target: "executives_channel" },
        { afterBreachMs: 0, target: "executives_channel" },
      ],
    });
    expect(nudgePolicyProblems(parsed.nudges)).toEqual([]);
  });

  it("reads percentages exactly, so 29% is the fraction 0.29", () => {
    const parsed = parse(`escalation:
  warnings:
    - at: 29%
      notify: thread
    - at: 33.3%
      notify: owner
  escalate: []
`);
    expect(parsed.nudges.warnings.map((warning) => warning.atFraction)).toEqual([0.29, 0.333]);
  });

  it("keeps the default for each key left out of the section", () => {
    const parsed = parse(`escalation:
  executivesChannel: C0EXEC001
  warnings: []
`);
    expect(parsed.executivesChannel).toBe("C0EXEC001");
    expect(parsed.nudges).toEqual({ ...DEFAULT_NUDGE_POLICY, warnings: [] });
  });

  it("needs no executives channel when nothing escalates", () => {
    const parsed = parse("escalation:\n  escalate: []\n");
    expect(parsed.executivesChannel).toBeUndefined();
    expect(parsed.nudges.escalate).toEqual([]);
    expect(parsed.nudges.warnings).toEqual(DEFAULT_NUDGE_POLICY.warnings);
  });

  it("keys people by member ID, with their calendars", () => {
    const parsed = parse(`people:
  - user: U0123ABCD
    calendar: office
  - user: W0456EFGH
`);
    expect(parsed.people).toEqual({
      U0123ABCD: { calendar: "office" },
      W0456EFGH: { calendar: undefined },
    });
  });
});
