import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classifyText,
  type LabelledText,
  type TextClassifier,
  textFeatures,
  trainClassifier,
  trainingSteps,
} from "../../src/domain/text-classifier.ts";

// Hand-written posts in the style customers use; nothing here comes from a real data set.
const HISTORY: LabelledText[] = [
  { text: "three hours on the tarmac and still delayed", label: "operations" },
  { text: "flight delayed again, stuck on the tarmac", label: "operations" },
  { text: "delayed two hours, the pilot never showed", label: "operations" },
  { text: "diverted to Leeds and delayed overnight", label: "operations" },
  { text: "my suitcase never arrived in Denver", label: "baggage" },
  { text: "the suitcase came back with a broken handle", label: "baggage" },
  { text: "still no sign of my suitcase after three days", label: "baggage" },
  { text: "seat would not recline and the food was cold", label: "cabin" },
  { text: "the food was cold and the screen broken", label: "cabin" },
];

describe("textFeatures", () => {
  it("counts each word and each pair of adjacent words once, like the phrase matcher reads them", () => {
    expect(textFeatures("Wi-Fi down, wi-fi DOWN!")).toEqual([
      "wi",
      "fi",
      "down",
      "wi fi",
      "fi down",
      "down wi",
    ]);
  });

  it("leaves out @handles and links, which say who and where, not what", () => {
    expect(textFeatures("@SkylineAir late again https://t.co/abc")).toEqual([
      "late",
      "again",
      "late again",
    ]);
  });
});

describe("trainClassifier", () => {
  it("gives the same model whatever order the history comes in", () => {
    const reference = JSON.stringify(trainClassifier(HISTORY));
    fc.assert(
      fc.property(fc.shuffledSubarray(HISTORY, { minLength: HISTORY.length }), (shuffled) => {
        expect(JSON.stringify(trainClassifier(shuffled))).toBe(reference);
      }),
    );
  });

  it("trains in steps of a few hundred posts, to the same model", () => {
    const large = Array.from({ length: 100 }, (_, i) =>
      HISTORY.map((e) => ({ ...e, text: `${e.text} ${i}` })),
    ).flat();
    const steps = trainingSteps(large);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      step = steps.next();
    }
    // 900 posts: featured, tallied, and five folds tallied and scored, a pause every 250.
    expect(pauses).toBeGreaterThan(10);
    expect(JSON.stringify(step.value)).toBe(JSON.stringify(trainClassifier(large)));
  });

  it("cuts word pieces between characters, never inside one, so the model can be stored", () => {
    // Letters beyond the BMP (Gothic here; "fancy" mathematical letters are read as plain
    // ones) are two UTF-16 units each; a piece holding half of one is a lone surrogate, which
    // PostgreSQL refuses in jsonb.
    const gothic = Array.from({ length: 3 }, (_, i) => [
      { text: `𐌻𐌰𐌿𐍃 bag number ${i}`, label: "baggage" },
      { text: `late flight number ${i}`, label: "operations" },
    ]).flat();
    const model = trainClassifier(gothic);
    // Three letters, not three code units.
    expect(model.counts["~<𐌻𐌰"]).toEqual([3, 0]);
    expect(model.counts["~𐌻𐌰𐌿"]).toEqual([3, 0]);
    const malformed = Object.keys(model.counts).filter((f) => /\p{Cs}/u.test(f));
    expect(malformed).toEqual([]);
  });

  it("keeps only features seen in at least minCount posts", () => {
    const model = trainClassifier(HISTORY, { minCount: 2 });
    expect(model.counts.tarmac).toEqual([0, 0, 2]);
    expect(model.counts.pilot).toBeUndefined();
    expect(trainClassifier(HISTORY, { minCount: 1 }).counts.pilot).toEqual([0, 0, 1]);
  });

  it("refuses a history with a single label: there would be nothing to decide", () => {
    expect(() => trainClassifier([{ text: "late", label: "operations" }])).toThrow(RangeError);
  });
});

describe("classifyText", () => {
  // Nine posts: keep what occurs twice, or little of this history would be left.
  const model = trainClassifier(HISTORY, { minCount: 2 });

  it.each([
    ["we have been delayed on the tarmac for an hour", "operations", "tarmac"],
    ["where is my suitcase", "baggage", "suitcase"],
    ["cold food again", "cabin", "food"],
  ])("labels %j as %s, citing %j", (text, label, word) => {
    const result = classifyText(model, text);
    expect(result.label).toBe(label);
    expect(result.evidence).toContain(word);
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.confidence).toBeLessThanOrEqual(1);
  });

  it("is unsure about a post with no word it knows", () => {
    const result = classifyText(model, "hello there");
    expect(result.evidence).toEqual([]);
    expect(result.confidence).toBeLessThan(0.5);
  });

  it("returns a probability for any text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const { confidence, label } = classifyText(model, text);
        expect(confidence).toBeGreaterThan(0);
        expect(confidence).toBeLessThanOrEqual(1);
        expect(model.labels).toContain(label);
      }),
    );
  });
});

describe("the fitted temperature", () => {
  // Sixty posts whose labels have nothing to do with their words (which label a post gets
  // follows a pattern unrelated to the words it is built of).
  const WORDS = ["flight", "gate", "seat", "crew", "bag", "hold", "app", "fare", "meal", "queue"];
  const NOISE: LabelledText[] = Array.from({ length: 60 }, (_, i) => ({
    text: [WORDS[i % 10], WORDS[(i * 3 + 1) % 10], WORDS[(i * 7 + 4) % 10]].join(" "),
    label: (i * 37) % 11 < 5 ? "operations" : "cabin",
  }));

  it("leaves confident a model whose held-out guesses were right", () => {
    const clear = Array.from({ length: 4 }, () => HISTORY).flat();
    const model = trainClassifier(clear);
    expect(model.temperature).toBe(1);
    expect(classifyText(model, "stuck on the tarmac, delayed").confidence).toBeGreaterThan(0.9);
  });

  it("cools a model whose words do not tell the labels apart, so it is rarely sure", () => {
    const model = trainClassifier(NOISE);
    expect(model.temperature).toBeGreaterThan(4);
    expect(classifyText(model, "flight gate seat").confidence).toBeLessThan(0.6);
    // Taken as they are, the same scores would claim near certainty.
    expect(
      classifyText({ ...model, temperature: 1 }, "flight gate seat").confidence,
    ).toBeGreaterThan(0.9);
  });
});

describe("posts in languages beyond English", () => {
  // Hand-written, as customers write; "荷物" is luggage, "遅延" delay; "行李" luggage, "延误"
  // delay; "กระเป๋า" bag, "ล่าช้า" late. No two posts share a sentence, only those words.
  const MIXED: LabelledText[] = [
    { text: "荷物が届きません", label: "baggage" },
    { text: "空港で荷物をなくしました", label: "baggage" },
    { text: "荷物が壊れていました", label: "baggage" },
    { text: "フライトが遅延しました", label: "operations" },
    { text: "出発が三時間遅延", label: "operations" },
    { text: "また遅延です。説明してください", label: "operations" },
    { text: "我的行李丢了", label: "baggage" },
    { text: "行李还没到", label: "baggage" },
    { text: "航班延误了三个小时", label: "operations" },
    { text: "又延误了", label: "operations" },
    { text: "กระเป๋าหายครับ", label: "baggage" },
    { text: "กระเป๋าเสียหาย", label: "baggage" },
    { text: "เที่ยวบินล่าช้ามาก", label: "operations" },
    { text: "ล่าช้าอีกแล้ว", label: "operations" },
    { text: "Mi maleta llegó rota", label: "baggage" },
    { text: "maleta perdida en Madrid", label: "baggage" },
    { text: "vuelo cancelado sin explicación", label: "operations" },
    { text: "otro vuelo cancelado", label: "operations" },
  ];
  const model = trainClassifier(MIXED, { minCount: 2 });

  it.each([
    ["Japanese", "荷物はどこですか", "baggage", "荷物"],
    ["Japanese", "今日も遅延しています", "operations", "遅延"],
    ["Chinese", "行李在哪里", "baggage", "行李"],
    ["Chinese", "航班又延误", "operations", "延误"],
    ["Thai", "กระเป๋าของฉันอยู่ที่ไหน", "baggage", "กระเป๋า"],
    ["Thai", "เครื่องล่าช้า", "operations", "ล่าช้า"],
    ["Spanish without its accents", "mi maleta llego tarde", "baggage", "maleta"],
  ])(
    "labels a post in %s by the words it shares with the history: %j → %s, citing %j",
    (_, text, label, word) => {
      const result = classifyText(model, text);
      expect(result.label).toBe(label);
      expect(result.evidence).toContain(word);
    },
  );

  it("counts a word, not a sentence: 荷物 is one feature in three posts", () => {
    expect(model.counts.荷物).toEqual([3, 0]);
    expect(model.counts.遅延).toEqual([0, 3]);
  });

  it("takes an accented word and the same word typed without accents for one", () => {
    const accents = trainClassifier(
      [
        { text: "cancelación del vuelo", label: "operations" },
        { text: "cancelacion otra vez", label: "operations" },
        { text: "maleta rota", label: "baggage" },
        { text: "maleta perdida", label: "baggage" },
      ],
      { minCount: 2 },
    );
    expect(accents.counts.cancelacion).toEqual([0, 2]);
    expect(classifyText(accents, "¡CANCELACIÓN!").evidence).toEqual(["cancelacion"]);
  });

  it("scores with a stored model's own reading of a post: a format 2 model kept whole sentences", () => {
    // As a model trained before words were found in Japanese was stored: the sentence is one word.
    const before: TextClassifier = {
      format: "naive-bayes/2",
      labels: ["baggage", "operations"],
      alpha: 0.5,
      documents: [3, 3],
      totals: [3, 3],
      counts: { 荷物が届きません: [3, 0], 遅延です: [0, 3] },
      temperature: 1,
    };
    const result = classifyText(before, "荷物が届きません");
    expect(result.label).toBe("baggage");
    expect(result.evidence).toEqual(["荷物が届きません"]);
  });
});
