import { afterEach, describe, expect, it } from "vitest";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { KIND_CHANNELS, KINDS_DOUBLE, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { complaintBody } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

describe("a long review in #kudos", () => {
  it("keeps its link to the post whole, however long the review", async () => {
    e2e = await startE2E({
      workspace: kindsWorkspace(),
      double: KINDS_DOUBLE,
    });
    const url =
      "https://www.trustpilot.com/reviews/6650a1b2c3d4e5f60718293a?utm_source=listening-tool&utm_medium=feed";
    const review = `Thank you to the whole crew. ${"The flight to Lisbon was smooth, the seats were comfortable and the cabin staff went out of their way. ".repeat(30)}`;
    const res = await e2e.request("/api/v1/complaints", {
      body: complaintBody({ source: "trustpilot", text: review, url }),
    });
    expect(res.json.kind).toBe("praise");
    const note = await eventually(
      () => e2e.double.messages(KIND_CHANNELS.kudos).find((m) => !m.threadTs),
      "the note in #kudos",
    );
    const shown = JSON.stringify(note.blocks);
    expect(shown).toContain(`<${url.replaceAll("&", "&amp;")}|View the post on trustpilot>`);
    expect(shown).toContain("_(truncated; ");
  });
});
