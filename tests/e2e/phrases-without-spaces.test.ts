import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, startE2E } from "../helpers/e2e-harness.ts";
import { complaintBody, testWorkspace } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({
    workspace: testWorkspace((c) => {
      c.routing.rules.push({
        name: "bags-ja",
        department: "baggage",
        match: { phrases: ["荷物", "حقيبة"] },
      } as never);
    }),
  });
});
afterAll(() => e2e.stop());

describe("phrases in scripts written without spaces", () => {
  it("routes a Japanese post by a Japanese phrase (no spaces between words)", async () => {
    const res = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text: "荷物が届きません。どうなっていますか", language: "ja" }),
    });
    expect(res.status).toBe(202);
    expect(res.json.department).toBe("baggage");
  });
});
