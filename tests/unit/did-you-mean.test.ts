import { describe, expect, it } from "vitest";
import {
  closestTimeZone,
  didYouMean,
  meantHint,
  notWithHint,
} from "../../src/config/closest-match.ts";
import { TimeZone } from "../../src/config/workspace-schema.ts";

/** The one "did you mean" hint that channels, time zones, durations and keys share. */

describe("the did-you-mean hint", () => {
  it("is worded once: a suggestion in quotes, or nothing", () => {
    expect(meantHint("#sb-pr")).toBe(' (did you mean "#sb-pr"?)');
    expect(meantHint(undefined)).toBe("");
    expect(didYouMean("pepole", ["people", "channels"])).toBe(meantHint("people"));
  });

  it("names the value, what it is not, and the fix its suggester finds", () => {
    const notAZone = notWithHint("a known IANA time zone", closestTimeZone);
    expect(notAZone({ input: "London" })).toBe(
      '"London" is not a known IANA time zone (did you mean "Europe/London"?)',
    );
    expect(notAZone({ input: "Atlantis/Nowhere" })).toBe(
      '"Atlantis/Nowhere" is not a known IANA time zone',
    );
    // A value that is not a string gets no suggestion, and is still named.
    expect(notAZone({ input: 42 })).toBe('"42" is not a known IANA time zone');
  });

  it("is what the workspace schema says for a mistyped zone", () => {
    const result = TimeZone.safeParse("Europe/Londn");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      '"Europe/Londn" is not a known IANA time zone (did you mean "Europe/London"?)',
    );
  });
});
