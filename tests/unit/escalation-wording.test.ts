import { describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { describeLadder } from "../../src/sandbox/sandbox-info.ts";
import { describeConfig } from "../../src/slack/views/config-summary.ts";
import { TEST_WORKSPACE_YAML, testWorkspace } from "../helpers/workspace-fixture.ts";

/** Where the summaries say escalations go: the executives, or the department's own channel. */

const withoutSection = () =>
  parseWorkspaceConfig(
    TEST_WORKSPACE_YAML.replace(/^escalation:\n(?: {2}.*\n)+/m, ""),
    "no-escalation.yaml",
  );

describe("the escalation step, as summaries word it", () => {
  it("goes to the executives' channel when the workspace names one", () => {
    expect(describeLadder(testWorkspace()).at(-1)).toBe(
      "30m after the breach: a post in the executives' channel.",
    );
    expect(describeConfig(testWorkspace()).at(-1)).toContain("30m after a breach → executives");
  });

  it("goes to the department's channel, for its leads, with no escalation section", () => {
    expect(describeLadder(withoutSection()).at(-1)).toBe(
      "1h after the breach: the department's channel, in the card's thread and the channel, for its leads.",
    );
    expect(describeConfig(withoutSection()).at(-1)).toContain(
      "1h after a breach → department channel, leads",
    );
  });
});
