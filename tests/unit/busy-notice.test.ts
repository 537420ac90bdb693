import { describe, expect, it } from "vitest";
import { buildBusyNotice, describeSlackBusy } from "../../src/slack/views/private-notice.ts";
import { messageBlockProblems } from "../../src/slack-double/index.ts";

describe("the 'Slack is busy' notice", () => {
  it("says nothing changed and when to try again, from Slack's Retry-After", () => {
    expect(describeSlackBusy(undefined)).toBe(
      "Slack is busy right now, so nothing changed. Try again in a few seconds.",
    );
    expect(describeSlackBusy(3_000)).toContain("in a few seconds");
    expect(describeSlackBusy(60_000)).toContain("in 60 seconds");
    expect(describeSlackBusy(120_000)).toContain("in 2 minutes");
  });

  it("is a private notice with a text fallback that Slack accepts", () => {
    const notice = buildBusyNotice(30_000);
    expect(notice.text).toContain("Try again in 30 seconds");
    expect(messageBlockProblems(notice.blocks)).toEqual([]);
  });
});
