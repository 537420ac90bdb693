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
});
