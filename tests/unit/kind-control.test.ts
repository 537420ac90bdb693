import { describe, expect, it } from "vitest";
import { describeKindReason } from "../../src/slack/views/kind-control.ts";

describe("the Kind line on cards and notes", () => {
  it("shows who changed the kind as a mention Slack renders as their name", () => {
    expect(describeKindReason({ kind: "praise", reason: "changed by <@U0SBMKT001>" })).toBe(
      "*Kind:* changed by <@U0SBMKT001>",
    );
  });

  it("escapes any other reason, so config text can never mention or link", () => {
    expect(
      describeKindReason({ kind: "praise", reason: 'rule "hi": phrase "<@U1> & <!here>"' }),
    ).toBe('*Kind:* rule "hi": phrase "&lt;@U1&gt; &amp; &lt;!here&gt;"');
    expect(describeKindReason({ kind: "praise", reason: "changed by <@U1> <!channel>" })).toBe(
      "*Kind:* changed by &lt;@U1&gt; &lt;!channel&gt;",
    );
    expect(describeKindReason({ kind: "complaint" })).toBeUndefined();
  });
});
