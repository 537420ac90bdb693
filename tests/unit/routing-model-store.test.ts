import { describe, expect, it } from "vitest";
import { parseRouterModels } from "../../src/db/routing-model-store.ts";
import { trainClassifier } from "../../src/domain/text-classifier.ts";

const COUNTS = {
  labels: ["baggage", "operations"],
  alpha: 0.5,
  documents: [3, 2],
  totals: [4, 2],
  counts: { bag: [3, 0], late: [1, 2] },
};

describe("parseRouterModels", () => {
  it("reads a version trained today and one stored before word pieces", () => {
    const today = trainClassifier([
      { text: "lost bag", label: "baggage" },
      { text: "late flight", label: "operations" },
    ]);
    const before = { format: "naive-bayes/1", ...COUNTS };
    const parsed = parseRouterModels({ departments: today, kinds: before });
    expect(parsed).toEqual({ ok: true, models: { departments: today, kinds: before } });
  });

  it("reads a version stored before words were found in Chinese, Japanese and Thai", () => {
    const before = { format: "naive-bayes/2", ...COUNTS, temperature: 2 };
    const parsed = parseRouterModels({ departments: before, kinds: null });
    expect(parsed).toEqual({ ok: true, models: { departments: before, kinds: null } });
  });

  it.each([
    [{ format: "naive-bayes/2", ...COUNTS }, "departments.temperature"],
    [{ format: "naive-bayes/2", ...COUNTS, temperature: 0 }, "departments.temperature"],
    [{ format: "naive-bayes/1", ...COUNTS, temperature: 2 }, "departments"],
    [{ format: "naive-bayes/3", ...COUNTS }, "departments.temperature"],
    [{ format: "naive-bayes/4", ...COUNTS, temperature: 2 }, "departments.format"],
    [{ format: "naive-bayes/2", ...COUNTS, temperature: 2, documents: [3] }, "departments"],
  ])("refuses %j, naming %s", (departments, path) => {
    const parsed = parseRouterModels({ departments, kinds: null });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.split(":")[0]).toBe(path);
  });
});
