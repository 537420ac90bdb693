import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  classifyPost,
  clocksForKindChange,
  DEFAULT_KIND_PROFILES,
  DEFAULT_KIND_REASON,
  isPostKind,
} from "../../src/domain/post-kinds.ts";

/* What a workspace gets without describing its kinds, and the words shown for a decision. */

describe("post kinds by default", () => {
  it("puts every kind on the desk, with the clocks each kind runs", () => {
    expect(DEFAULT_KIND_PROFILES).toStrictEqual({
      complaint: {
        clocks: ["claim", "firstResponse", "nextResponse", "resolution"],
        delivery: { to: "card" },
      },
      question: { clocks: ["claim", "firstResponse"], delivery: { to: "card" } },
      praise: { clocks: [], delivery: { to: "card" } },
      other: { clocks: [], delivery: { to: "card" } },
    });
    expect(DEFAULT_KIND_REASON).toBe("no kind rule matched; default kind");
  });

  it("knows the four kind names and nothing else", () => {
    for (const kind of ["complaint", "question", "praise", "other"]) {
      expect(isPostKind(kind)).toBe(true);
    }
    for (const value of ["Complaint", "spam", "", 2, null, undefined]) {
      expect(isPostKind(value)).toBe(false);
    }
  });

  it("says which rule decided, and why", () => {
    const decision = classifyPost(
      { source: "twitter", text: "Thanks, crew!" },
      {
        defaultKind: "complaint",
        rules: [{ name: "thanks", kind: "praise", match: { phrases: ["thanks"] } }],
      },
    );
    expect(decision).toStrictEqual({
      kind: "praise",
      rule: "thanks",
      reason: 'rule "thanks": phrase "thanks"',
    });
  });

  it("adds no clock to a dismissed thread that becomes a complaint", () => {
    expect(
      clocksForKindChange(
        [],
        DEFAULT_KIND_PROFILES.complaint,
        { state: "dismissed", answered: false },
        new Date("2026-11-24T10:00:00Z"),
        undefined,
        { claimMs: 3_600_000, firstResponseMs: 7_200_000, resolutionMs: 86_400_000 },
      ),
    ).toEqual([]);
  });
});

/* The documented defaults are what people rely on when they leave a profile out. */

const CLOCK_WORDS: Record<string, string> = {
  "`claim`": "claim",
  "`firstResponse`": "firstResponse",
  "`nextResponse`": "nextResponse",
  "`resolution`": "resolution",
};

/** The rows of docs/configuration.md's "Default `clocks`" table: kind → clocks, deliver. */
function documentedDefaults(): Record<string, { clocks: string[]; deliver: string }> {
  const doc = readFileSync("docs/configuration.md", "utf8");
  const table = doc.slice(doc.indexOf("| Kind        | Default `clocks`"));
  const rows = table.split("\n").slice(2);
  const ends = rows.findIndex((line) => !line.startsWith("|"));
  return Object.fromEntries(
    rows.slice(0, ends).map((line) => {
      const [kind, clocks, deliver] = line
        .split("|")
        .slice(1, 4)
        .map((cell) => cell.trim());
      const named = clocks === "none" ? [] : (clocks ?? "").split(", ").map((c) => CLOCK_WORDS[c]);
      return [kind?.replaceAll("`", ""), { clocks: named, deliver: deliver?.replaceAll("`", "") }];
    }),
  );
}

describe("the documented default profiles", () => {
  it("match the code's defaults, kind by kind", () => {
    const inCode = Object.fromEntries(
      Object.entries(DEFAULT_KIND_PROFILES).map(([kind, profile]) => [
        kind,
        { clocks: [...profile.clocks], deliver: profile.delivery.to },
      ]),
    );
    expect(documentedDefaults()).toStrictEqual(inCode);
  });

  it("are what the example file's comment lists", () => {
    const example = readFileSync("switchboard.example.yaml", "utf8");
    for (const [kind, profile] of Object.entries(DEFAULT_KIND_PROFILES)) {
      const named = profile.clocks.length === 0 ? "none" : profile.clocks.join(", ");
      expect(example).toMatch(new RegExp(`# {3}${kind} +${named}(\\n| \\()`));
    }
  });
});
