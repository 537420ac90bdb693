import { describe, expect, it } from "vitest";
import { asPlainText } from "../../src/slack/listeners/views/thread-modals.ts";

// A form's errors are plain text in Slack: a mention there reads as its raw ID.
describe("a refusal shown inside a form", () => {
  it("names nobody by raw ID: the owner is on the card, the person picked in the picker", () => {
    expect(
      asPlainText(
        "<@U0SBLEAD01> owns this thread: only they, a lead of Baggage or an admin can do that.",
      ),
    ).toBe(
      "Someone else owns this thread (see the card): only they, a lead of Baggage or an admin can do that.",
    );
    expect(
      asPlainText("<@U0SBBKG001> is not a member of Baggage (its channel or user group)"),
    ).toBe("The person you picked is not a member of Baggage (its channel or user group)");
    expect(asPlainText("ask <@U1> or <@W2>")).toBe("ask someone or someone");
    expect(asPlainText("This thread is resolved; reopen it first.")).toBe(
      "This thread is resolved; reopen it first.",
    );
  });
});
