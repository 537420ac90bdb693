import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadWorkspaceConfig, parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { departmentByKey } from "../../src/config/workspace-types.ts";

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
});
