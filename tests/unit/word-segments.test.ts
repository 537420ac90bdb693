import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize } from "../../src/domain/text-match.ts";
import { segmentWords } from "../../src/domain/word-segments.ts";

describe("segmentWords", () => {
  it("reads ASCII text exactly as the older tokenize did", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii" }), (text) => {
        expect(segmentWords(text)).toEqual(tokenize(text));
      }),
    );
    expect(segmentWords("Wi-Fi down!! Flight AA123")).toEqual([
      "wi",
      "fi",
      "down",
      "flight",
      "aa123",
    ]);
  });

  it.each([
    ["Japanese", "フライトが遅延しました", ["フライト", "が", "遅延", "しま", "した"]],
    ["Chinese", "我的行李丢了", ["我的", "行李", "丢", "了"]],
    ["Thai", "เที่ยวบินล่าช้ามาก", ["เที่ยว", "บิน", "ล่าช้า", "มาก"]],
    ["Japanese beside Latin letters", "WiFiが使えない", ["wifi", "が", "使", "え", "ない"]],
  ])("finds the words of a sentence in %s, which has no spaces", (_, text, words) => {
    expect(segmentWords(text)).toEqual(words);
  });

  it("reads a sentence in a script without spaces as words, where tokenize saw one", () => {
    expect(tokenize("荷物が届きません")).toEqual(["荷物が届きません"]);
    expect(segmentWords("荷物が届きません")).toContain("荷物");
  });

  it.each([
    [
      "accented Latin, composed or not",
      "Café CAFE\u0301 cancelación",
      ["cafe", "cafe", "cancelacion"],
    ],
    ["full-width letters", "ＷｉＦｉ ＪＡＬ１２３", ["wifi", "jal123"]],
    ["half-width katakana", "ﾌﾗｲﾄ", ["フライト"]],
    ["styled letters", "𝗟𝗢𝗦𝗧 𝗕𝗔𝗚", ["lost", "bag"]],
  ])("folds %s as phrase rules do", (_, text, words) => {
    expect(segmentWords(text)).toEqual(words);
  });

  it("keeps the marks that are part of a letter outside Latin", () => {
    expect(segmentWords("ガラス सामान")).toEqual(["ガラス", "सामान"]);
  });
});
