import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { complaintBody, testWorkspace } from "../helpers/workspace-fixture.ts";

const OPS_CHANNEL = "C0OPS";

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({
    workspace: testWorkspace((c) => {
      c.departments.push({
        key: "operations",
        name: "Operations",
        channel: OPS_CHANNEL,
        leads: [],
      });
      c.routing.rules.push(
        { name: "bags-ja", department: "baggage", match: { phrases: ["荷物", "حقيبة"] } },
        { name: "delays-cjk", department: "operations", match: { phrases: ["遅延", "延误"] } },
        { name: "bags-fr", department: "baggage", match: { phrases: ["bagages égarés"] } },
      );
    }),
  });
  e2e.double.addChannel({ id: OPS_CHANNEL, name: "sb-operations", members: [] });
});
afterAll(() => e2e.stop());

/** Posts `text` and returns what the department's channel shows for it, once it is there. */
async function cardFor(text: string, language: string, channel: string) {
  const res = await e2e.request("/api/v1/complaints", { body: complaintBody({ text, language }) });
  expect(res.status).toBe(202);
  const card = await eventually(
    () => e2e.double.messages(channel).find((m) => JSON.stringify(m.blocks).includes(text)),
    `the card for ${JSON.stringify(text)} in ${channel}`,
  );
  return JSON.stringify(card.blocks);
}

describe("phrases in scripts written without spaces", () => {
  it("puts a Japanese post on the desk a Japanese phrase routes it to, naming the phrase", async () => {
    const card = await cardFor("フライトが遅延しました。いつ出発しますか", "ja", OPS_CHANNEL);
    expect(card).toContain('rule \\"delays-cjk\\": phrase \\"遅延\\"');
  });

  it("routes a Chinese post by a Chinese phrase", async () => {
    const card = await cardFor("航班延误了三个小时", "zh", OPS_CHANNEL);
    expect(card).toContain('rule \\"delays-cjk\\": phrase \\"延误\\"');
  });

  it("routes a Japanese post by a Japanese phrase (no spaces between words)", async () => {
    const card = await cardFor("荷物が届きません。どうなっていますか", "ja", "C0BAGGAGE");
    expect(card).toContain('rule \\"bags-ja\\": phrase \\"荷物\\"');
  });
});

describe("phrases against text as people type it", () => {
  it("matches an English phrase written in full-width letters, as Japanese keyboards type it", async () => {
    const card = await cardFor("ＳＵＩＴＣＡＳＥが壊れていました", "ja", "C0BAGGAGE");
    expect(card).toContain('rule \\"bags\\": phrase \\"suitcase\\"');
  });

  it("matches an accented phrase in a post written without its accents", async () => {
    const card = await cardFor("Mes bagages egares depuis lundi a CDG", "fr", "C0BAGGAGE");
    expect(card).toContain('rule \\"bags-fr\\": phrase \\"bagages égarés\\"');
  });
});
