import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, type ConfigIssue } from "../../src/config/config-error.ts";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";

const VALID = readFileSync("tests/fixtures/config/minimal.yaml", "utf8");

function issuesOf(yaml: string): readonly ConfigIssue[] {
  try {
    parseWorkspaceConfig(yaml, "switchboard.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

const withExecutive = (lines: string) => `${VALID}executives:
  - user: U0EXEC001
    name: Ana Ruiz
    timezone: Europe/London
${lines}`;

describe("executives in the workspace file", () => {
  it("accepts a digest time or cron and a list of departments", () => {
    const config = parseWorkspaceConfig(
      withExecutive('    digest: "0 7 * * mon-fri"\n    departments: [baggage]\n'),
      "switchboard.yaml",
    );
    expect(config.executives[0]).toMatchObject({
      digest: "0 7 * * mon-fri",
      departments: ["baggage"],
    });
  });

  it("names the file, line, key, what was expected and an example for a bad schedule", () => {
    const [issue] = issuesOf(withExecutive('    digest: "0 25 * * *"\n'));
    expect(issue).toMatchObject({
      file: "switchboard.yaml",
      path: "executives[0].digest",
      line: expect.any(Number),
      message: expect.stringContaining('"0 25 * * *" has "25" in its hour field'),
      expected: expect.stringContaining("five-field cron"),
      example: expect.stringContaining('digest: "08:00"'),
    });
  });

  it("refuses an unknown department, suggesting the closest one", () => {
    const [issue] = issuesOf(withExecutive("    departments: [bagage]\n"));
    expect(issue).toMatchObject({
      path: "executives[0].departments[0]",
      message: expect.stringContaining('Unknown department "bagage" (did you mean "baggage"?)'),
      expected: expect.stringContaining("one of the department keys"),
    });
    expect(issuesOf(withExecutive("    departments: []\n"))[0]).toMatchObject({
      path: "executives[0].departments",
      example: "departments: [baggage, service]",
    });
  });
});
