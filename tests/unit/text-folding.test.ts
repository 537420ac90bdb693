import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldForMatching } from "../../src/domain/text-folding.ts";
import { containsPhrase, findByRegExp, findPhrase } from "../../src/domain/text-match.ts";

describe("foldForMatching", () => {
  it("leaves ASCII text as it is", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii" }), (text) => {
        expect(foldForMatching(text)).toBe(text);
      }),
    );
  });

  it.each([
    ["Café", "Cafe"],
    ["Cafe\u0301", "Cafe"],
    ["cancelación", "cancelacion"],
    ["Việt Nam", "Viet Nam"],
    ["İstanbul", "Istanbul"],
    ["ＷｉＦｉ", "WiFi"],
    ["ﾌﾗｲﾄ", "フライト"],
    ["𝗟𝗢𝗦𝗧", "LOST"],
    ["ﬁnally", "finally"],
    ["q\u0303", "q"],
  ])("reads %j as %j", (text, folded) => {
    expect(foldForMatching(text)).toBe(folded);
  });

  it.each([
    ["a mark that is part of a Japanese letter", "ガ"],
    ["Thai vowels and tones", "ล่าช้า"],
    ["Devanagari vowel signs", "सामान"],
    ["a symbol beside a word (NFKC would make it 'DeltaTM')", "Delta™"],
    ["letters that are not a letter and an accent", "Straße, Łeba"],
  ])("keeps %s", (_, text) => {
    expect(foldForMatching(text)).toBe(text);
  });
});

describe("phrases against text as people type it", () => {
  it.each([
    // Accented Latin: either side may carry the accents, composed or not.
    ["Café closed at gate 12", "cafe"],
    ["the cafe at gate 12", "café"],
    ["CAFE\u0301 closed", "café"],
    ["Mes bagages egares", "bagages égarés"],
    ["cancelación del vuelo", "cancelacion"],
    // Compatibility forms: full-width Latin, half-width katakana, "fancy" letters.
    ["ＷｉＦｉが使えない", "wifi"],
    ["wifi down again", "ＷｉＦｉ"],
    ["ﾌﾗｲﾄが遅延", "フライト"],
    ["𝗟𝗢𝗦𝗧 𝗕𝗔𝗚 again", "lost bag"],
    // Scripts without spaces: a phrase inside a sentence.
    ["フライトが遅延しました", "遅延"],
    ["航班延误了三个小时", "延误"],
    ["เที่ยวบินล่าช้ามาก", "ล่าช้า"],
  ])("finds in %j the phrase %j", (text, phrase) => {
    expect(containsPhrase(text, phrase)).toBe(true);
    expect(findPhrase(text, [phrase])).toBe(findByRegExp(text, [phrase]));
  });

  it.each([
    ["a Japanese letter without its mark (カ is not ガ)", "カラス", "ガラス"],
    ["a longer word", "cafeteria closed", "café"],
    ["a symbol glued on by NFKC", "Delta™ again", "deltatm"],
  ])("does not match %s", (_, text, phrase) => {
    expect(containsPhrase(text, phrase)).toBe(false);
  });
});
