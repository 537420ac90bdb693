import { afterEach, describe, expect, it } from "vitest";
import { insertRouterModels } from "../../src/db/routing-model-store.ts";
import { trainClassifier } from "../../src/domain/text-classifier.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { CHANNELS, complaintBody, testWorkspace } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

describe("a card routed by the learned model", () => {
  it("says in Slack that the model chose the department, how sure it was and why", async () => {
    e2e = await startE2E({
      workspace: testWorkspace((c) => {
        c.learning.routing.minConfidence = 0.6;
      }),
    });
    // A model as `npm run routing:train` stores it: reporters' questions went to PR.
    const classifier = trainClassifier([
      { text: "deadline tonight, can you comment on the outage", label: "pr" },
      { text: "writing a piece on the outage, any comment", label: "pr" },
      { text: "filming a segment on the outage tomorrow", label: "pr" },
      { text: "the agent was rude to me", label: "service" },
      { text: "nobody at the desk helped", label: "service" },
      { text: "rude agent at the desk again", label: "service" },
    ]);
    await insertRouterModels(e2e.db.db, {
      trainedAt: new Date("2026-11-20T03:00:00Z"),
      examples: 6,
      fingerprint: "test",
      models: { departments: classifier, kinds: null },
    });

    const body = complaintBody({ text: "Any comment on the outage before our deadline?" });
    const { status, json } = await e2e.request("/api/v1/complaints", { body });
    expect(status).toBe(202);
    expect(json.department).toBe("pr");
    const card = await eventually(
      () => e2e.double.messages(CHANNELS.pr).find((m) => m.text.includes("deadline")),
      "the card in #sb-pr",
    );
    const shown = JSON.stringify(card.blocks);
    expect(shown).toMatch(/\*Routed:\* learned: pr 0\.\d\d — .*'outage'.* \(model v1\)/);
  });

  it("routes a Japanese post by the Japanese words it shares with the history, and names them", async () => {
    e2e = await startE2E({
      workspace: testWorkspace((c) => {
        c.learning.routing.minConfidence = 0.6;
      }),
    });
    // Posts people handed to baggage or PR; no two share a sentence, only words ("荷物":
    // luggage, "取材": press coverage).
    const classifier = trainClassifier(
      [
        { text: "荷物が届きません", label: "baggage" },
        { text: "空港で荷物をなくしました", label: "baggage" },
        { text: "荷物が壊れていました", label: "baggage" },
        { text: "取材のお願いです", label: "pr" },
        { text: "新聞社ですが取材できますか", label: "pr" },
        { text: "テレビ取材の件でご連絡しました", label: "pr" },
      ],
      { minCount: 2 },
    );
    await insertRouterModels(e2e.db.db, {
      trainedAt: new Date("2026-11-20T03:00:00Z"),
      examples: 6,
      fingerprint: "test",
      models: { departments: classifier, kinds: null },
    });

    const text = "成田で預けた荷物がまだ出てきません";
    const { status, json } = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ text, language: "ja" }),
    });
    expect(status).toBe(202);
    expect(json.department).toBe("baggage");
    const card = await eventually(
      () =>
        e2e.double.messages(CHANNELS.baggage).find((m) => JSON.stringify(m.blocks).includes(text)),
      "the card in #sb-baggage",
    );
    expect(JSON.stringify(card.blocks)).toMatch(
      /\*Routed:\* learned: baggage 0\.\d\d — '荷物'.* \(model v1\)/,
    );
  });
});
