import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findByRegExp, findPhrase } from "../../src/domain/text-match.ts";

/**
 * findPhrase compares words for ASCII phrases and runs the compiled regexes only for other
 * phrases and for texts with the two characters that case folding maps onto ASCII letters.
 * The two paths must never disagree: the regex is the definition of a match.
 */

// Few distinct words, so phrases and texts share them often; separators of every kind.
const word = fc.constantFrom(
  "late",
  "LATE",
  "Late",
  "bag",
  "bags",
  "lost",
  "on",
  "hold",
  "a",
  "x1",
  "24",
);
const separator = fc.constantFrom(" ", "  ", "-", "!!", ", ", "\n", "#", "_", "'", "");
const asciiText = fc
  .array(fc.tuple(word, separator), { maxLength: 12 })
  .map((parts) => parts.map(([w, s]) => w + s).join(""));
const phrase = fc.oneof(
  fc
    .array(fc.tuple(word, separator), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.map(([w, s]) => w + s).join("")),
  // No word characters: matched literally. Blank: never matches.
  fc.constantFrom(":(", "!!", "  ", "", "--"),
);

describe("phrase matching by words", () => {
  it("property: gives the regex's answer for any ASCII text and phrase list", () => {
    fc.assert(
      fc.property(asciiText, fc.array(phrase, { minLength: 1, maxLength: 6 }), (text, phrases) => {
        expect(findPhrase(text, phrases)).toBe(findByRegExp(text, phrases));
      }),
      { numRuns: 1_000 },
    );
  });

  it("property: gives the regex's answer for texts and phrases beyond ASCII", () => {
    // The Kelvin sign folds to k and the long s to s: a regex with the i and u flags matches
    // them against k and s, which lowercasing does not. Accents, composed or not, and marks
    // are word characters; emoji are not.
    const unusual = fc.constantFrom(
      "\u212A",
      "\u017F",
      "é",
      "e\u0301",
      "İ",
      "ß",
      "❤️",
      "’",
      "\u00A0",
      // Folded before matching: full-width, half-width katakana, "fancy" letters, a ligature.
      "\uFF2C",
      "\uFF76\uFF9E",
      "𝗟",
      "ﬁ",
      "á",
    );
    const mixed = fc.tuple(asciiText, unusual, asciiText).map(([a, u, b]) => `${a}${u}${b}`);
    fc.assert(
      fc.property(
        fc.oneof(asciiText, mixed),
        fc.array(
          fc.oneof(
            phrase,
            unusual.map((u) => `ba${u}`),
            fc.constant("\u212Aey"),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (text, phrases) => {
          expect(findPhrase(text, phrases)).toBe(findByRegExp(text, phrases));
        },
      ),
      { numRuns: 600 },
    );
  });

  it("answers by words: consecutive words in any case, whole words only, first phrase listed", () => {
    const phrases = ["lost bag", "on hold", "late"];
    expect(findPhrase("ON HOLD for an hour, then my bag was LOST", phrases)).toBe("on hold");
    expect(findPhrase("Lost -- bag!! and late", phrases)).toBe("lost bag");
    expect(findPhrase("lost baggage, lately", phrases)).toBeUndefined();
    expect(findPhrase("#lostbag", phrases)).toBeUndefined();
    expect(findPhrase("the key is \u212Aey", ["key"])).toBe(
      findByRegExp("the key is \u212Aey", ["key"]),
    );
  });
});
