import { describe, expect, it } from "vitest";
import {
  batchConversationOf,
  blanksAsAbsent,
  ComplaintInput,
  describeIssues,
} from "../../src/services/complaint-input.ts";

/** The intake body's own rules: what it normalises, and the edges of what it takes. */
const body = (overrides: Record<string, unknown> = {}) => ({
  source: "twitter",
  externalId: "1",
  text: "where is my bag",
  ...overrides,
});
const issuesOf = (raw: unknown) => {
  const parsed = ComplaintInput.safeParse(raw);
  return parsed.success ? [] : describeIssues(parsed.error).map((i) => `${i.path}: ${i.message}`);
};

describe("the complaint body", () => {
  it("lower-cases the source and drops the @ before a handle", () => {
    const parsed = ComplaintInput.parse(
      body({ source: " TwItTeR ", author: { handle: "@skyfan@home" } }),
    );
    expect(parsed.source).toBe("twitter");
    expect(parsed.author?.handle).toBe("skyfan@home"); // only the leading one
    expect(ComplaintInput.parse(body({ author: { handle: "sky@fan" } })).author?.handle).toBe(
      "sky@fan",
    );
  });

  it("takes postedAt from year 0001 to 9999 in UTC, to the millisecond, and nothing beyond", () => {
    for (const at of [
      "0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59.999Z",
      "2026-11-30T10:00:00+01:00",
    ]) {
      expect(issuesOf(body({ postedAt: at }))).toEqual([]);
    }
    const outside =
      "postedAt: must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (in UTC)";
    // 0001-01-01T00:00:00+00:01 is still year 0000 in UTC; 9999-12-31T23:59:59.999-00:01 is year 10000.
    expect(issuesOf(body({ postedAt: "0001-01-01T00:00:00+00:01" }))).toEqual([outside]);
    expect(issuesOf(body({ postedAt: "9999-12-31T23:59:59.999-00:01" }))).toEqual([outside]);
  });

  it("says one thing per bad field: what is wrong first, not everything that follows from it", () => {
    expect(
      issuesOf(
        body({
          url: `https://skyline.example/${"x".repeat(2_100)}`,
          postedAt: "+010000-01-01T00:00:00Z",
          metrics: { likes: 1e300 },
        }),
      ),
    ).toEqual([
      "url: must be at most 2,048 characters",
      "postedAt: must be an ISO 8601 date-time with an offset, e.g. 2026-11-24T08:15:00Z",
      "metrics.likes: must be a whole number no larger than 9007199254740991",
    ]);
    expect(issuesOf(body({ url: "ftp://skyline.example/" }))).toEqual([
      "url: must be an http(s) URL",
    ]);
  });

  it("names a bad body as a whole, and nested fields by their path", () => {
    expect(issuesOf("not an object")).toEqual([expect.stringMatching(/^\(body\): /)]);
    expect(issuesOf(body({ author: { handle: "x", followers: -1 } }))).toEqual([
      expect.stringMatching(/^author\.followers: /),
    ]);
  });
});

describe("an author sent with nothing mapped to it", () => {
  it("is no author when every field is blank or null, or it has none", () => {
    for (const author of [{ handle: "", name: " ", followers: null, verified: "" }, {}, null]) {
      expect(blanksAsAbsent(body({ author }))).toEqual(body());
    }
  });

  it("is still refused with an unknown field, even a blank one, or a blank handle beside a given field", () => {
    expect(issuesOf(blanksAsAbsent(body({ author: { handel: "" } })))).toEqual([
      expect.stringMatching(/^author\.handle: is needed when other author fields are given/),
      expect.stringMatching(/^author\.handel: unknown field \(did you mean "handle"\?\)/),
    ]);
    expect(issuesOf(blanksAsAbsent(body({ author: { handle: "", verified: false } })))).toEqual([
      expect.stringMatching(/^author\.handle: is needed when other author fields are given/),
    ]);
  });
});

describe("a batch item's conversation, for filing a conversation's posts in order", () => {
  it("is the thread the post will join, as the body is read (blank id absent, trimmed, source lower-cased)", () => {
    const opener = batchConversationOf(body({ externalId: "900", conversationId: "" }));
    // A reply to it, and the same conversation written as tools send it.
    expect(batchConversationOf(body({ externalId: "901", conversationId: "900" }))).toBe(opener);
    expect(batchConversationOf(body({ externalId: "902", conversationId: " 900 " }))).toBe(opener);
    expect(
      batchConversationOf(body({ source: "Twitter", externalId: "903", conversationId: "900" })),
    ).toBe(opener);
    expect(batchConversationOf(body({ externalId: "900", conversationId: null }))).toBe(opener);
    // Two openers with a blank conversation id are two conversations, not one.
    expect(batchConversationOf(body({ externalId: "904", conversationId: "  " }))).not.toBe(opener);
  });
});
