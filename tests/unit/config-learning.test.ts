import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.ts";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";

const VALID = readFileSync("tests/fixtures/config/minimal.yaml", "utf8");

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

describe("routing.learned", () => {
  it("is on by default, follows guesses from 0.8, and trains from 30 threads by hand", () => {
    expect(parseWorkspaceConfig(VALID, "x").learning).toEqual({
      routing: { enabled: true, minConfidence: 0.8 },
      kinds: { enabled: true, minConfidence: 0.9 },
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
      kinds: { enabled: true, minConfidence: 0.9 },
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
