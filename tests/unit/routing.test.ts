import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ComplaintFacts, RoutingPolicy } from "../../src/domain/complaint.ts";
import { explainMatch, matchConditions } from "../../src/domain/match-conditions.ts";
import { DEFAULT_ROUTE_REASON, routeComplaint } from "../../src/domain/routing.ts";
import { compilePhrase, containsPhrase, matchesPattern } from "../../src/domain/text-match.ts";

const policy: RoutingPolicy = {
  defaultDepartment: "service",
  rules: [
    { name: "vip-press", department: "comms", match: { authors: ["nytimes", "@CNN"] } },
    { name: "safety", department: "safety", match: { phrases: ["injured", "emergency landing"] } },
    {
      name: "lost-bag",
      department: "baggage",
      match: { phrases: ["lost bag", "lost luggage"], patterns: [/\bsuitcases?\b/gi] },
    },
    {
      name: "lost-bag-text",
      department: "baggage",
      match: { phrases: ["lost bag", "lost luggage"] },
    },
    { name: "french-bag", department: "baggage", match: { phrases: ["bagage perdu", "équipage"] } },
    { name: "refunds", department: "bookings", match: { patterns: [/refund(s|ed)?/gi] } },
    { name: "reviews", department: "reviews", match: { sources: ["Trustpilot"] } },
    { name: "spanish", department: "spanish-desk", match: { languages: ["es"] } },
    {
      name: "big-reach",
      department: "comms",
      match: { minFollowers: 10_000, verified: true },
    },
    { name: "viral", department: "comms", match: { minShares: 500 } },
  ],
};

type Row = [label: string, facts: Partial<ComplaintFacts>, department: string, rule: string | null];

const rows: Row[] = [
  ["plain phrase", { text: "@united lost bag at ORD" }, "baggage", "lost-bag"],
  ["case and whitespace runs", { text: "LOST   bag!!" }, "baggage", "lost-bag"],
  ["newline between words", { text: "lost\n\tbag" }, "baggage", "lost-bag"],
  ["punctuation between words", { text: "lost... bag?" }, "baggage", "lost-bag"],
  ["hashtag is one word", { text: "#lostbag again" }, "service", null],
  ["words not adjacent", { text: "@united lost my bag" }, "service", null],
  ["no partial words", { text: "where is my lost baggage" }, "service", null],
  ["phrase or global regex", { text: "Lost bag: a blue suitcase" }, "baggage", "lost-bag"],
  ["regex alone is enough", { text: "they broke my suitcase" }, "baggage", "lost-bag"],
  [
    "global regex, again (lastIndex reset)",
    { text: "they broke my suitcase" },
    "baggage",
    "lost-bag",
  ],
  ["second phrase in list", { text: "Lost luggage, third time" }, "baggage", "lost-bag"],
  ["empty text", { text: "" }, "service", null],
  ["whitespace only", { text: "   \n " }, "service", null],
  ["whole word", { text: "Passenger INJURED on board" }, "safety", "safety"],
  ["word inside a longer word", { text: "uninjured, thankfully" }, "service", null],
  ["punctuation around word", { text: "(injured)!!!" }, "safety", "safety"],
  ["multi-word across newline", { text: "we made an EMERGENCY\nlanding" }, "safety", "safety"],
  ["first rule wins", { text: "injured, and a lost bag" }, "safety", "safety"],
  ["unicode phrase, case-insensitive", { text: "Mon BAGAGE PERDU à CDG" }, "baggage", "french-bag"],
  ["accented capital", { text: "Équipage impoli" }, "baggage", "french-bag"],
  ["unicode word boundary", { text: "déquipage" }, "service", null],
  ["decomposed accents", { text: "e\u0301quipage" }, "baggage", "french-bag"],
  ["global regex", { text: "I want a REFUND" }, "bookings", "refunds"],
  ["global regex again", { text: "I want a REFUND" }, "bookings", "refunds"],
  ["global regex, other form", { text: "refunded yet?" }, "bookings", "refunds"],
  ["source case-insensitive", { source: "trustpilot", text: "rude crew" }, "reviews", "reviews"],
  ["language primary subtag", { text: "el vuelo", language: "es-MX" }, "spanish-desk", "spanish"],
  ["other language", { text: "le vol", language: "fr" }, "service", null],
  ["author with @", { author: { handle: "@NYTimes" }, text: "hi" }, "comms", "vip-press"],
  ["author listed with @", { author: { handle: "cnn" }, text: "hi" }, "comms", "vip-press"],
  ["author prefix only", { author: { handle: "nytimes2" }, text: "hi" }, "service", null],
  [
    "reach and verified",
    { author: { handle: "a", followers: 12_400, verified: true }, text: "meh" },
    "comms",
    "big-reach",
  ],
  [
    "reach but not verified",
    { author: { handle: "a", followers: 12_400, verified: false }, text: "meh" },
    "service",
    null,
  ],
  [
    "verified, reach unknown",
    { author: { handle: "a", verified: true }, text: "meh" },
    "service",
    null,
  ],
  ["shares threshold", { metrics: { shares: 500 }, text: "meh" }, "comms", "viral"],
  ["below shares threshold", { metrics: { shares: 499 }, text: "meh" }, "service", null],
];

function facts(partial: Partial<ComplaintFacts>): ComplaintFacts {
  return { source: "twitter", text: "", ...partial };
}

describe("routeComplaint", () => {
  it.each(rows)("%s", (_label, partial, department, rule) => {
    const decision = routeComplaint(facts(partial), policy);
    expect({ department: decision.department, rule: decision.rule }).toEqual({ department, rule });
  });

  it("explains the matching rule", () => {
    const decision = routeComplaint(
      facts({ author: { handle: "a", followers: 12_400, verified: true }, text: "x" }),
      policy,
    );
    expect(decision.reason).toBe('rule "big-reach": verified author, followers 12,400 ≥ 10,000');
  });

  it("names the phrase that matched", () => {
    expect(routeComplaint(facts({ text: "LOST luggage" }), policy).reason).toBe(
      'rule "lost-bag": phrase "lost luggage"',
    );
  });

  it("lets a post an excluded phrase stopped go on to the next rule", () => {
    const ordered: RoutingPolicy = {
      defaultDepartment: "service",
      rules: [
        {
          name: "bags",
          department: "baggage",
          match: { phrases: ["bag"], excludePhrases: ["carry on"] },
        },
        { name: "boarding", department: "gate", match: { phrases: ["boarding", "carry on"] } },
      ],
    };
    expect(routeComplaint(facts({ text: "where is my bag" }), ordered).rule).toBe("bags");
    expect(routeComplaint(facts({ text: "made me check my carry on bag" }), ordered)).toMatchObject(
      { department: "gate", rule: "boarding" },
    );
    expect(routeComplaint(facts({ text: "carry on bag, no boarding" }), ordered).rule).toBe(
      "boarding",
    );
  });

  it("falls back to the default department", () => {
    expect(routeComplaint(facts({ text: "meh" }), policy)).toEqual({
      department: "service",
      rule: null,
      reason: DEFAULT_ROUTE_REASON,
    });
  });

  it("uses the default department when there are no rules", () => {
    const decision = routeComplaint(facts({ text: "lost bag" }), {
      rules: [],
      defaultDepartment: "triage",
    });
    expect(decision.department).toBe("triage");
  });

  it("routes the same text the same way whatever its case", () => {
    const word = fc.constantFrom("lost", "bag", "luggage", "refund", "injured", "my", "the", "a");
    const separator = fc.constantFrom(" ", "  ", "\n", ", ", "! ", "...");
    const text = fc
      .array(fc.tuple(word, separator), { maxLength: 8 })
      .map((parts) => parts.map(([w, s]) => w + s).join(""));
    fc.assert(
      fc.property(text, (t) => {
        const lower = routeComplaint(facts({ text: t.toLowerCase() }), policy);
        const upper = routeComplaint(facts({ text: t.toUpperCase() }), policy);
        expect(upper).toEqual(lower);
      }),
    );
  });
});

describe("matchConditions", () => {
  const text = "My lost bag";

  it("matches everything when there are no conditions", () => {
    expect(matchConditions(facts({ text }), {})).toEqual({ matched: true, because: [] });
    expect(explainMatch([])).toBe("matches everything");
  });

  it("requires every present condition (AND)", () => {
    const match = { phrases: ["lost bag"], sources: ["facebook"] };
    expect(matchConditions(facts({ text }), match).matched).toBe(false);
    expect(matchConditions(facts({ text, source: "Facebook" }), match)).toEqual({
      matched: true,
      because: ['source "Facebook"', 'phrase "lost bag"'],
    });
  });

  it("accepts any entry of a list (OR)", () => {
    expect(matchConditions(facts({ text }), { phrases: ["delay", "bag"] }).because).toEqual([
      'phrase "bag"',
    ]);
  });

  it("never matches an empty list", () => {
    expect(matchConditions(facts({ text }), { phrases: [] }).matched).toBe(false);
    expect(matchConditions(facts({ text }), { sources: [] }).matched).toBe(false);
  });

  it("matches unverified authors, treating unknown as unverified", () => {
    expect(matchConditions(facts({ text }), { verified: false }).because).toEqual([
      "unverified author",
    ]);
  });

  it("reads a language with a region as that region only; without one, as every region", () => {
    const inLanguage = (language: string, languages: string[]) =>
      matchConditions(facts({ text, language }), { languages }).matched;
    expect(inLanguage("en-GB", ["en"])).toBe(true);
    expect(inLanguage("en", ["en"])).toBe(true);
    expect(inLanguage("pt-BR", ["pt-BR"])).toBe(true);
    expect(inLanguage("pt_br", ["pt-BR"])).toBe(true);
    expect(inLanguage("pt-PT", ["pt-BR"])).toBe(false);
    expect(inLanguage("pt", ["pt-BR"])).toBe(false);
    expect(inLanguage("pt-PT", ["pt-BR", "pt-PT"])).toBe(true);
  });

  it("fails language and author conditions when the facts lack them", () => {
    expect(matchConditions(facts({ text }), { languages: ["en"] }).matched).toBe(false);
    expect(matchConditions(facts({ text }), { authors: ["x"] }).matched).toBe(false);
  });

  it("does not match when an excluded phrase is present, and says nothing of exclusions that held", () => {
    const match = { phrases: ["bag", "bags"], excludePhrases: ["carry on", "overhead bin"] };
    expect(matchConditions(facts({ text: "They lost my bag" }), match)).toEqual({
      matched: true,
      because: ['phrase "bag"'],
    });
    expect(matchConditions(facts({ text: "forced to check my carry-on bag" }), match).matched).toBe(
      false,
    );
    expect(
      matchConditions(facts({ text: "no room in the OVERHEAD  bins for bags" }), match),
    ).toEqual({ matched: true, because: ['phrase "bags"'] });
    expect(matchConditions(facts({ text: "no room in the overhead bin" }), match).matched).toBe(
      false,
    );
  });

  it("excludes whole words only, and excludes nothing with an empty list", () => {
    const match = { phrases: ["bag"], excludePhrases: ["crew"] };
    expect(matchConditions(facts({ text: "crewneck sweater in my bag" }), match).matched).toBe(
      true,
    );
    expect(matchConditions(facts({ text: "the crew lost my bag" }), match).matched).toBe(false);
    const none = { phrases: ["bag"], excludePhrases: [] };
    expect(matchConditions(facts({ text: "crew lost my bag" }), none).matched).toBe(true);
  });

  it("holds an exclusion against every other condition, not only the text", () => {
    const match = { sources: ["trustpilot"], excludePhrases: ["refund"] };
    expect(matchConditions(facts({ text: "rude", source: "trustpilot" }), match).matched).toBe(
      true,
    );
    const refund = facts({ text: "still no refund", source: "trustpilot" });
    expect(matchConditions(refund, match).matched).toBe(false);
  });

  it("shows the pattern that matched", () => {
    expect(matchConditions(facts({ text }), { patterns: [/lost\s+bag/i] }).because).toEqual([
      "pattern /lost\\s+bag/i",
    ]);
  });
});

describe("text matching", () => {
  it("gives the same answer on every call with a global or sticky regex", () => {
    const global = /bag/g;
    const sticky = /my/iy;
    for (let i = 0; i < 3; i++) {
      expect(matchesPattern("my bag", global)).toBe(true);
      expect(matchesPattern("my bag", sticky)).toBe(true);
    }
    expect(global.lastIndex).toBe(0);
    expect(sticky.lastIndex).toBe(0);
  });

  it("caches compiled phrases", () => {
    expect(compilePhrase("lost bag")).toBe(compilePhrase("lost bag"));
  });

  it("treats regex characters in phrases literally", () => {
    expect(containsPhrase("flight a.b delayed", "a.b")).toBe(true);
    expect(containsPhrase("flight axb delayed", "a.b")).toBe(false);
    expect(containsPhrase("wi fi is down", "wi-fi")).toBe(true);
  });

  it("finds phrases in scripts written without spaces, and Latin words beside them", () => {
    expect(containsPhrase("荷物が届きません", "荷物")).toBe(true);
    expect(containsPhrase("WiFiが使えない", "wifi")).toBe(true);
    expect(containsPhrase("กระเป๋าหายครับ", "กระเป๋า")).toBe(true);
    expect(containsPhrase("lostが bag", "lost bag")).toBe(false);
    expect(containsPhrase("حقيبتي ضاعت", "حقيبة")).toBe(false);
    expect(containsPhrase("ضاعت حقيبة السفر", "حقيبة")).toBe(true);
  });

  it("matches a phrase without word characters literally", () => {
    expect(containsPhrase("so angry 😡😡", "😡")).toBe(true);
    expect(containsPhrase("fine", "😡")).toBe(false);
  });

  it("tells emoji apart that share a variation selector (a mark, not a word)", () => {
    expect(containsPhrase("we ❤️ you", "❤️")).toBe(true);
    expect(containsPhrase("12 new routes ✈️", "❤️")).toBe(false);
    expect(containsPhrase("heads up ⚠️", "❤️")).toBe(false);
  });

  it("matches an emoji whether the post or the phrase writes its variation selector or not", () => {
    // U+2764 alone (text presentation) is how many keyboards send a heart.
    expect(containsPhrase("Skyline \u2764", "❤️")).toBe(true);
    expect(containsPhrase("Skyline \u2764\uFE0E", "❤️")).toBe(true);
    expect(containsPhrase("Skyline ❤️", "\u2764")).toBe(true);
    expect(containsPhrase("Skyline ❤️❤️", "❤️❤️")).toBe(true);
    expect(containsPhrase("Skyline \u2764\u2764", "❤️❤️")).toBe(true);
    expect(containsPhrase("12 new routes ✈️", "\u2764")).toBe(false);
  });

  it("never matches a blank phrase", () => {
    expect(compilePhrase("  ")).toBeNull();
    expect(containsPhrase("anything", "")).toBe(false);
  });

  it("finds a phrase joined by any separators, but not glued to another word", () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    const separator = fc.constantFrom(" ", "   ", "\n", "\t", ", ", "!! ", " - ");
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), separator, (words, sep) => {
        const phrase = words.join(" ");
        const text = words.join(sep).toUpperCase();
        expect(containsPhrase(`"${text}!"`, phrase)).toBe(true);
        expect(containsPhrase(`x${text}`, phrase)).toBe(false);
      }),
    );
  });
});
