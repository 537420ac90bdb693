import { describe, expect, it } from "vitest";
import { timezoneOf } from "../../src/services/workspace-lookups.ts";
import { testWorkspace } from "../helpers/workspace-fixture.ts";

describe("a department's time zone", () => {
  it("is its calendar's, or UTC for a department open around the clock or not configured", () => {
    const config = testWorkspace(); // baggage keeps London office hours; service has no calendar
    expect(timezoneOf(config, "baggage")).toBe("Europe/London");
    expect(timezoneOf(config, "service")).toBe("UTC");
    expect(timezoneOf(config, "gone")).toBe("UTC");
  });
});
