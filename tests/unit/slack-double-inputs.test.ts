import { describe, expect, it } from "vitest";
import { modalViewProblems } from "../../src/slack-double/index.ts";
import { submissionValues } from "../../src/slack-double/submission-values.ts";
import type { StoredView } from "../../src/slack-double/types.ts";

// The Slack double checks the heads-up modal's elements as Slack does (docs.slack.dev, Block
// Kit → Block elements): a datetime picker's initial_date_time is whole UNIX seconds, a number
// input needs is_decimal_allowed and numeric bounds, a multi-select's options follow a static
// select's rules. A clean result only means something if these are refused.

const modal = (
  element: Record<string, unknown>,
  container: "input" | "section" | "actions" = "input",
) => ({
  type: "modal",
  title: { type: "plain_text", text: "T" },
  submit: { type: "plain_text", text: "Go" },
  blocks: [
    container === "input"
      ? {
          type: "input",
          block_id: "b",
          label: { type: "plain_text", text: "L" },
          element: { action_id: "a", ...element },
        }
      : container === "section"
        ? {
            type: "section",
            block_id: "b",
            text: { type: "mrkdwn", text: "x" },
            accessory: { action_id: "a", ...element },
          }
        : { type: "actions", block_id: "b", elements: [{ action_id: "a", ...element }] },
  ],
});

describe("the double's checks of modal input elements", () => {
  it.each([
    [{ type: "datetimepicker", initial_date_time: 1_795_773_600 }, "input"],
    [{ type: "datetimepicker" }, "actions"],
    [
      { type: "number_input", is_decimal_allowed: false, min_value: "0", initial_value: "10" },
      "input",
    ],
    [
      { type: "number_input", is_decimal_allowed: true, min_value: "-1.5", max_value: "2.25" },
      "input",
    ],
    [{ type: "url_text_input", initial_value: "https://x.y" }, "input"],
    [
      {
        type: "multi_static_select",
        options: [{ text: { type: "plain_text", text: "A" }, value: "a" }],
        initial_options: [{ text: { type: "plain_text", text: "A" }, value: "a" }],
        max_selected_items: 1,
      },
      "input",
    ],
  ] as const)("accept %j in %s blocks", (element, container) => {
    expect(modalViewProblems(modal(element, container))).toEqual([]);
  });

  it.each([
    [{ type: "datetimepicker", initial_date_time: 1_795_773_600_000 }, "initial_date_time"],
    [{ type: "datetimepicker", initial_date_time: "2026-11-27T10:00:00Z" }, "initial_date_time"],
    [{ type: "datetimepicker", initial_date_time: 1.5 }, "initial_date_time"],
    [{ type: "number_input" }, "is_decimal_allowed"],
    [{ type: "number_input", is_decimal_allowed: "no" }, "is_decimal_allowed"],
    [{ type: "number_input", is_decimal_allowed: false, initial_value: "1.5" }, "initial_value"],
    [{ type: "number_input", is_decimal_allowed: false, min_value: 0 }, "min_value"],
    [
      { type: "number_input", is_decimal_allowed: false, min_value: "5", max_value: "1" },
      "min_value",
    ],
    [
      { type: "number_input", is_decimal_allowed: false, min_value: "5", initial_value: "1" },
      "initial_value",
    ],
    [{ type: "url_text_input", initial_value: 42 }, "initial_value"],
    [{ type: "multi_static_select" }, "options"],
    [
      {
        type: "multi_static_select",
        options: [{ text: { type: "plain_text", text: "A" }, value: "a" }],
        max_selected_items: 0,
      },
      "max_selected_items",
    ],
    [
      {
        type: "multi_static_select",
        options: [{ text: { type: "plain_text", text: "A" }, value: "a" }],
        initial_options: [{ text: { type: "plain_text", text: "B" }, value: "b" }],
      },
      "initial_options",
    ],
  ])("refuse %j, naming %s", (element, field) => {
    const problems = modalViewProblems(modal(element));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join("\n")).toContain(field);
  });

  it("refuse a datetime picker as a section accessory and a multi-select in an actions block", () => {
    expect(modalViewProblems(modal({ type: "datetimepicker" }, "section")).join()).toContain(
      "unsupported type: datetimepicker",
    );
    const multi = {
      type: "multi_static_select",
      options: [{ text: { type: "plain_text", text: "A" }, value: "a" }],
    };
    expect(modalViewProblems(modal(multi, "actions")).join()).toContain(
      "unsupported type: multi_static_select",
    );
  });
});

describe("the double's submissions of those elements", () => {
  const view = (element: Record<string, unknown>, optional = false) =>
    ({
      id: "V1",
      blocks: [
        {
          type: "input",
          block_id: "b",
          optional,
          label: { type: "plain_text", text: "L" },
          element: { action_id: "a", ...element },
        },
      ],
      state: { values: {} },
    }) as unknown as StoredView;

  it("report a datetime picker's choice as whole UNIX seconds, from a Date or the seconds", () => {
    const picked = submissionValues(
      view({ type: "datetimepicker" }),
      { b: { a: new Date("2026-11-27T10:00:00Z") } },
      false,
    );
    expect(picked).toEqual({
      b: { a: { type: "datetimepicker", selected_date_time: 1_795_773_600 } },
    });
    expect(() =>
      submissionValues(view({ type: "datetimepicker" }), { b: { a: "tomorrow" } }, false),
    ).toThrow(/UNIX seconds/);
    expect(() => submissionValues(view({ type: "datetimepicker" }), {}, false)).toThrow(
      /required input "b" is empty/,
    );
  });

  it("refuse to submit a number input holding text, a decimal or a number out of range, as Slack's client does", () => {
    const number = view(
      { type: "number_input", is_decimal_allowed: false, min_value: "0", max_value: "100" },
      true,
    );
    expect(submissionValues(number, { b: { a: "42" } }, false)).toEqual({
      b: { a: { type: "number_input", value: "42" } },
    });
    for (const bad of ["lots", "1.5", "-1", "101"])
      expect(() => submissionValues(number, { b: { a: bad } }, false)).toThrow(
        /not an allowed number/,
      );
    expect(submissionValues(number, { b: { a: "lots" } }, true)).toEqual({
      b: { a: { type: "number_input", value: "lots" } },
    });
  });
});
