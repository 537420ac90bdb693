import { describe, expect, it } from "vitest";
import type { SetupProblem } from "../../src/services/read-status.ts";
import { describeSlackSetup } from "../../src/slack/views/setup-problems.ts";
import { buildStatusMessage } from "../../src/slack/views/status-message.ts";
import { messageBlockProblems } from "../../src/slack-double/block-kit/validate.ts";

const SINCE = new Date("2026-03-02T09:00:00Z");
const DATE = "<!date^1772442000^{date_short_pretty} {time}|2026-03-02T09:00:00Z>";

const archived: SetupProblem = {
  kind: "channel_archived",
  subject: "#sb-service",
  label: "#sb-service",
  affects: "Customer Service",
  configKey: "departments[0].channel",
  firstSeen: SINCE,
  count: 1,
};

describe("the Slack setup section", () => {
  it("says no problems seen when none are open", () => {
    expect(describeSlackSetup({ open: 0, problems: [] })).toBe("*Slack setup:* no problems seen.");
  });

  it("gives each problem one line: what is wrong, what it affects, since when, the fix", () => {
    const text = describeSlackSetup({
      open: 5,
      problems: [
        archived,
        {
          kind: "usergroup_gone",
          subject: "S0BAGGAGE",
          label: null,
          affects: "Baggage",
          configKey: "departments[1].usergroup",
          firstSeen: SINCE,
          count: 3,
        },
        {
          kind: "user_deactivated",
          subject: "U0EXEC001",
          label: null,
          affects: "Ana Ruiz",
          configKey: "executives[0].user",
          firstSeen: SINCE,
          count: 1,
        },
        {
          kind: "not_in_channel",
          subject: "C0PR",
          label: "C0PR",
          affects: "PR",
          configKey: "departments[2].channel",
          firstSeen: SINCE,
          count: 1,
        },
        {
          kind: "missing_scope",
          subject: "groups:read thread.post_card",
          label: "groups:read",
          affects: "thread.post_card",
          configKey: null,
          firstSeen: SINCE,
          count: 1,
        },
      ],
    });
    expect(text.split("\n")).toEqual([
      "*Slack setup:* 5 problems",
      `• *#sb-service is archived* (affects Customer Service), since ${DATE}. Fix: unarchive #sb-service or change \`departments[0].channel\`, then Retry its failed deliveries.`,
      `• *user group \`S0BAGGAGE\` is deleted or disabled in Slack (the channel's members stand in)* (affects Baggage), since ${DATE}, 3 times. Fix: enable the group in Slack, or change \`departments[1].usergroup\`.`,
      `• *<@U0EXEC001>'s Slack account is deactivated* (affects Ana Ruiz), since ${DATE}. Fix: change \`executives[0].user\` in the workspace file.`,
      `• *the bot is not in <#C0PR>* (affects PR), since ${DATE}. Fix: invite the bot to <#C0PR>, or change \`departments[2].channel\`, then Retry its failed deliveries.`,
      `• *the app lacks the scope \`groups:read\`* (affects thread.post_card), since ${DATE}. Fix: add scope \`groups:read\` to the app (manifests/) and reinstall it.`,
    ]);
  });

  it("stays within a section's text limit however many problems are open, saying how many more", () => {
    const many = Array.from({ length: 10 }, (_, i) => ({
      ...archived,
      subject: `#${"x".repeat(70)}${i}`,
      label: `#${"x".repeat(70)}${i}`,
      affects: "y".repeat(200),
    }));
    const setup = { open: 40, problems: many };
    const text = describeSlackSetup(setup);
    expect(text.length).toBeLessThanOrEqual(2900);
    expect(text).toMatch(/…and 30 more\.$/);
    const status = buildStatusMessage(
      {
        database: { kind: "postgres", ok: true },
        delivery: { pending: 0, oldestPendingAt: null, failed: 0, failures: [] },
        timers: [],
        slackSetup: setup,
      },
      SINCE,
    );
    expect(messageBlockProblems(status.blocks)).toEqual([]);
    expect(status.text).toContain("Slack setup: 40 problems");
  });
});
