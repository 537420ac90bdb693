import type { AnyBlock, InputBlock, KnownBlock, ModalView } from "@slack/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DISMISS_REASONS } from "../../src/domain/thread-lifecycle.ts";
import { buildDismissModal } from "../../src/slack/views/dismiss-modal.ts";
import {
  describeDue,
  describeDueMrkdwn,
  describeWhen,
  formatSpan,
} from "../../src/slack/views/due-line.ts";
import { buildHandOverModal } from "../../src/slack/views/handover-modal.ts";
import { buildHelpMessage, COMMANDS } from "../../src/slack/views/help-message.ts";
import {
  DISMISS_INPUTS,
  encodeModalMetadata,
  HAND_OVER_INPUTS,
  MODAL_CALLBACK_IDS,
  NUDGE_BLOCK_IDS,
  parseCampaignModalMetadata,
  parseModalMetadata,
  parseThreadAction,
  RESPONDED_INPUTS,
  THREAD_ACTION_ID_PATTERN,
  THREAD_ACTION_IDS,
  threadActionOf,
} from "../../src/slack/views/ids.ts";
import { buildMineList, type MineListItem } from "../../src/slack/views/mine-list.ts";
import {
  parseDismissSubmission,
  parseHandOverSubmission,
  parseRespondedSubmission,
} from "../../src/slack/views/modal-submissions.ts";
import {
  buildNudge,
  describeSettled,
  type NudgeInput,
} from "../../src/slack/views/nudge-message.ts";
import { buildOwnerGoneNote } from "../../src/slack/views/owner-gone-note.ts";
import { buildAlreadyOwnedNotice, buildNotice } from "../../src/slack/views/private-notice.ts";
import { buildRespondedModal } from "../../src/slack/views/responded-modal.ts";
import { buildTimeline, type TimelineEvent } from "../../src/slack/views/timeline.ts";
import { messageBlockProblems, modalViewProblems } from "../../src/slack-double/index.ts";

/** Monday 2 March 2026, 13:53 in London (GMT until 29 March). */
const NOW = new Date("2026-03-02T13:53:00Z");
const LONDON = "Europe/London";
const THREAD = "0b6f3c1e-8f7a-4d2b-9a41-5c2d7e9f0a13";
const at = (iso: string) => new Date(iso);
const minutes = (n: number) => n * 60_000;

type Message = { text: string; blocks: AnyBlock[] };

/** Every text object in blocks, as Slack would render it. */
function allTexts(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) allTexts(item, into);
  else if (node && typeof node === "object") {
    const record = node as Record<string, unknown>;
    if (
      (record.type === "mrkdwn" || record.type === "plain_text") &&
      typeof record.text === "string"
    )
      into.push(record.text);
    for (const value of Object.values(record)) allTexts(value, into);
  }
  return into;
}

/** Block Kit limits from SLACK.md §7, for messages (50 blocks) and modals (100 blocks). */
function expectBlocksWithinLimits(blocks: AnyBlock[], maxBlocks: number): void {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  const ids = blocks.map((block) => block.block_id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const block of blocks as KnownBlock[]) {
    expect(block.block_id?.length ?? 0).toBeLessThanOrEqual(255);
    if (block.type === "section") {
      expect(block.text?.text.length ?? 0).toBeGreaterThan(0);
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    } else if (block.type === "context") {
      expect(block.elements.length).toBeLessThanOrEqual(10);
      for (const element of block.elements) {
        if ("text" in element) expect(element.text.length).toBeLessThanOrEqual(3000);
      }
    } else if (block.type === "actions") {
      expect(block.elements.length).toBeLessThanOrEqual(25);
      for (const element of block.elements) {
        if (element.type !== "button") throw new Error(`unexpected element ${element.type}`);
        expect(element.text.text.length).toBeLessThanOrEqual(75);
        expect(element.action_id?.length ?? 0).toBeLessThanOrEqual(255);
        expect(element.value?.length ?? 0).toBeLessThanOrEqual(2000);
      }
    } else if (block.type === "input") {
      expect(block.label.text.length).toBeLessThanOrEqual(2000);
      expect(block.hint?.text.length ?? 0).toBeLessThanOrEqual(2000);
      const element = block.element;
      expect(element.action_id?.length ?? 0).toBeLessThanOrEqual(255);
      if ("placeholder" in element) {
        expect(element.placeholder?.text.length ?? 0).toBeLessThanOrEqual(150);
      }
      const options = optionsOf(block);
      expect(options.length).toBeLessThanOrEqual(element.type === "static_select" ? 100 : 10);
      for (const [value, text] of options) {
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThanOrEqual(75);
        expect(value.length).toBeLessThanOrEqual(150);
      }
      if (element.type === "plain_text_input" && element.max_length !== undefined) {
        expect(element.max_length).toBeLessThanOrEqual(3000);
      }
    } else {
      throw new Error(`unexpected block type ${block.type}`);
    }
  }
}

/** A modal's input block by id; fails the test when it is missing. */
function inputOf(view: ModalView, blockId: string): InputBlock {
  const block = (view.blocks as KnownBlock[]).find((b) => b.block_id === blockId);
  if (block?.type !== "input") throw new Error(`no input block ${blockId}`);
  return block;
}

/** An input's options as [value, text] pairs. */
function optionsOf(block: InputBlock): Array<[string, string]> {
  const element = block.element;
  const options = "options" in element && Array.isArray(element.options) ? element.options : [];
  return options.map((option): [string, string] => [option.value ?? "", option.text.text]);
}

function expectMessageWithinLimits(message: Message): void {
  expect(messageBlockProblems(message.blocks)).toEqual([]);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(4000);
  expectBlocksWithinLimits(message.blocks, 50);
  const size = allTexts(message.blocks).reduce((sum, text) => sum + text.length, 0);
  expect(size).toBeLessThan(13_000);
}

function expectModalWithinLimits(view: ModalView): void {
  expect(modalViewProblems(view)).toEqual([]);
  expect(view.title.text.length).toBeLessThanOrEqual(24);
  expect(view.submit?.text.length ?? 0).toBeLessThanOrEqual(24);
  expect(view.close?.text.length ?? 0).toBeLessThanOrEqual(24);
  expect(view.callback_id?.length ?? 0).toBeLessThanOrEqual(255);
  expect(view.private_metadata?.length ?? 0).toBeLessThanOrEqual(3000);
  if (view.blocks.some((block) => block.type === "input")) expect(view.submit).toBeDefined();
  expectBlocksWithinLimits(view.blocks, 100);
  expect(JSON.stringify(view).length).toBeLessThan(250_000);
}

/** Only the markup the views add: dates, safe links and the listed mentions. */
function expectNoInjectedMarkup(
  message: { text: string; blocks: AnyBlock[] },
  allowed: string[] = [],
) {
  for (const text of [message.text, ...allTexts(message.blocks)]) {
    for (const [token] of text.matchAll(/<[^>]*>/g)) {
      const ours =
        /^<!date\^\d+\^(\{date_short_pretty\} )?\{time\}\|[A-Za-z0-9 :+-]+>$/.test(token) ||
        /^<https:\/\/[^\s<>|]+\|[^<>]*>$/.test(token) ||
        allowed.includes(token);
      expect(ours, `unexpected markup ${token}`).toBe(true);
    }
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
}

function sectionText(message: { blocks: AnyBlock[] }, blockId: string): string {
  const block = message.blocks.find((b) => b.block_id === blockId) as
    | { type: string; text?: { text: string } }
    | undefined;
  return block?.type === "section" ? (block.text?.text ?? "") : "";
}

function buttonsOf(message: { blocks: AnyBlock[] }) {
  return message.blocks.flatMap((block) =>
    block.type === "actions"
      ? (
          block as {
            elements: Array<{
              action_id: string;
              text: { text: string };
              value: string;
              style?: string;
            }>;
          }
        ).elements
      : [],
  );
}

describe("describeDue", () => {
  const due = (iso: string, paused = false, timezone = LONDON) =>
    describeDue("firstResponse", at(iso), NOW, timezone, paused);

  it("phrases a deadline later today with the time left", () => {
    expect(due("2026-03-02T14:05:00Z")).toBe("First response due 14:05 (in 12 min)");
    expect(due("2026-03-02T14:53:00Z")).toBe("First response due 14:53 (in 1 h)");
    expect(due("2026-03-02T15:23:59Z")).toBe("First response due 15:23 (in 1 h 30 min)");
    expect(due("2026-03-02T13:53:30Z")).toBe("First response due 13:53 (in less than a minute)");
  });

  it("says tomorrow, a weekday name later in the week, and a date beyond", () => {
    expect(describeDue("claim", at("2026-03-03T09:30:00Z"), NOW, LONDON, true)).toBe(
      "Claim due 09:30 tomorrow (paused while waiting on the customer)",
    );
    expect(due("2026-03-03T09:30:00Z")).toBe("First response due 09:30 tomorrow (in 19 h 37 min)");
    expect(due("2026-03-06T17:00:00Z")).toBe("First response due 17:00 Friday (in 4 days 3 h)");
    expect(due("2026-03-08T23:59:00Z")).toBe("First response due 23:59 Sunday (in 6 days 10 h)");
    expect(due("2026-03-09T09:00:00Z")).toBe("First response due 09:00 on 9 Mar (in 6 days 19 h)");
    expect(due("2027-01-05T09:00:00Z")).toMatch(/^First response due 09:00 on 5 Jan 2027 \(in /);
  });

  it("says how much office time is left beside the wall time, when it differs", () => {
    const friday = at("2026-03-06T17:00:00Z");
    const monday = at("2026-03-09T09:30:00Z");
    const options = (workingLeftMs: number) => ({ workingLeftMs });
    expect(describeDue("claim", monday, friday, LONDON, false, options(90 * 60_000))).toBe(
      "Claim due 09:30 Monday (in 2 days 16 h; 1 h 30 min of office hours left)",
    );
    expect(describeDueMrkdwn("claim", monday, friday, LONDON, false, options(90 * 60_000))).toMatch(
      /^Claim due <!date\^\d+\^\{date_short_pretty\} \{time\}\|09:30 Monday GMT> \(in 2 days 16 h; 1 h 30 min of office hours left\)$/,
    );
    // Inside office hours the two agree: the line stays as it was.
    expect(due("2026-03-02T14:05:00Z")).toBe("First response due 14:05 (in 12 min)");
    expect(
      describeDue(
        "firstResponse",
        at("2026-03-02T14:05:00Z"),
        NOW,
        LONDON,
        false,
        options(12 * 60_000),
      ),
    ).toBe("First response due 14:05 (in 12 min)");
    // Paused or overdue lines have no time left to tell.
    expect(describeDue("claim", monday, friday, LONDON, true, options(90 * 60_000))).toBe(
      "Claim due 09:30 Monday (paused while waiting on the customer)",
    );
  });

  it("counts days in the department's zone, not UTC", () => {
    const late = at("2026-03-02T23:30:00Z");
    const soon = at("2026-03-03T00:10:00Z");
    expect(describeDue("claim", soon, late, LONDON, false)).toBe(
      "Claim due 00:10 tomorrow (in 40 min)",
    );
    expect(describeDue("claim", soon, late, "America/New_York", false)).toBe(
      "Claim due 19:10 (in 40 min)",
    );
    expect(describeDue("claim", soon, late, "Asia/Tokyo", false)).toBe(
      "Claim due 09:10 (in 40 min)",
    );
    // London moves to BST on 29 March 2026: 08:30 UTC on the 30th is 09:30 there.
    const saturday = at("2026-03-28T12:00:00Z");
    expect(describeDue("resolution", at("2026-03-30T08:30:00Z"), saturday, LONDON, false)).toBe(
      "Resolution due 09:30 Monday (in 1 day 20 h)",
    );
  });

  it("says how overdue a deadline is", () => {
    expect(describeDue("resolution", at("2026-03-02T13:28:00Z"), NOW, LONDON, false)).toBe(
      "Resolution overdue by 25 min",
    );
    expect(describeDue("resolution", at("2026-03-02T12:53:00Z"), NOW, LONDON, false)).toBe(
      "Resolution overdue by 1 h",
    );
    expect(describeDue("nextResponse", NOW, NOW, LONDON, false)).toBe(
      "Next response overdue by less than a minute",
    );
    expect(describeDue("claim", at("2026-02-27T13:53:00Z"), NOW, LONDON, false)).toBe(
      "Claim overdue by 3 days",
    );
  });

  it("says a clock without a deadline is paused", () => {
    expect(describeDue("resolution", null, NOW, LONDON, true)).toBe(
      "Resolution paused while waiting on the customer",
    );
    expect(describeDue("resolution", null, NOW, LONDON, false)).toBe("Resolution paused");
    expect(describeDue("claim", null, NOW, LONDON, true, { breached: true })).toBe(
      "Claim overdue (paused while waiting on the customer)",
    );
  });

  it("falls back to UTC for a zone Intl does not know", () => {
    expect(due("2026-03-02T14:05:00Z", false, "Mars/Olympus")).toBe(
      "First response due 14:05 (in 12 min)",
    );
  });

  it("gives viewers their own time in the mrkdwn form", () => {
    expect(
      describeDueMrkdwn("firstResponse", at("2026-03-02T14:05:00Z"), NOW, "Europe/Paris", false),
    ).toBe(
      "First response due <!date^1772460300^{date_short_pretty} {time}|15:05 CET> (in 12 min)",
    );
    expect(describeDueMrkdwn("claim", at("2026-03-06T17:00:00Z"), NOW, LONDON, false)).toBe(
      "Claim due <!date^1772816400^{date_short_pretty} {time}|17:00 Friday GMT> (in 4 days 3 h)",
    );
  });

  it("formats spans cut to the minute, and times in the past", () => {
    expect(formatSpan(minutes(59) + 59_999)).toBe("59 min");
    expect(formatSpan(-minutes(61))).toBe("1 h 1 min");
    expect(formatSpan(86_400_000)).toBe("1 day");
    expect(formatSpan(Number.NaN)).toBe("less than a minute");
    expect(describeWhen(at("2026-03-01T16:40:00Z"), NOW, LONDON)).toBe("16:40 yesterday");
    expect(describeWhen(at("2026-02-27T08:00:00Z"), NOW, LONDON)).toBe("08:00 Friday");
  });
});

describe("modal private_metadata", () => {
  const ID = "0b9f3c1e-5d2a-4f6b-8c7d-9e0a1b2c3d4e";
  it("round-trips thread, channel and message", () => {
    const metadata = { threadId: THREAD, channelId: "C0123ABCD", messageTs: "1772460300.000100" };
    const encoded = encodeModalMetadata(metadata);
    expect(encoded.length).toBeLessThanOrEqual(3000);
    expect(parseModalMetadata(encoded)).toEqual(metadata);
    expect(parseModalMetadata(encodeModalMetadata({ threadId: "42" }))).toEqual({ threadId: "42" });
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/),
        fc.option(fc.stringMatching(/^[CDG][A-Z0-9]{2,30}$/), { nil: undefined }),
        (threadId, channelId) => {
          const value = channelId ? { threadId, channelId } : { threadId };
          expect(parseModalMetadata(encodeModalMetadata(value))).toEqual(value);
        },
      ),
    );
  });

  it("drops a field it does not know (a form from a newer version) and checks the ones it does", () => {
    const newer = { threadId: "42", handOvers: 2, openedFrom: "home", draft: { note: "x" } };
    expect(parseModalMetadata(JSON.stringify(newer))).toEqual({ threadId: "42", handOvers: 2 });
    expect(parseModalMetadata(JSON.stringify({ ...newer, handOvers: "2" }))).toBeNull();
    expect(parseCampaignModalMetadata(JSON.stringify({ campaignId: ID, revision: 3 }))).toEqual({
      campaignId: ID,
    });
    expect(parseCampaignModalMetadata(JSON.stringify({ campaignId: "x", revision: 3 }))).toBeNull();
  });

  it("rejects junk", () => {
    const junk: unknown[] = [
      undefined,
      null,
      42,
      "",
      "{",
      "null",
      "[]",
      '"x"',
      "{}",
      JSON.stringify({ threadId: "../x" }),
      JSON.stringify({ threadId: "42", channelId: "<!channel>" }),
      JSON.stringify({ threadId: "42", messageTs: "yesterday" }),
      JSON.stringify({ threadId: 42 }),
      JSON.stringify({ threadId: "42", pad: "x".repeat(3000) }),
      `${JSON.stringify({ threadId: "42" })}${" ".repeat(3000)}`,
    ];
    for (const raw of junk) expect(parseModalMetadata(raw), String(raw)).toBeNull();
    expect(() => encodeModalMetadata({ threadId: "a b" })).toThrow(RangeError);
    expect(() => encodeModalMetadata({ threadId: "42", channelId: "#general" })).toThrow(
      RangeError,
    );
  });
});

describe("thread modals", () => {
  const metadata = { threadId: THREAD, channelId: "C0123ABCD", messageTs: "1772460300.000100" };
  const departments = [
    { key: "baggage", name: "Baggage" },
    { key: "bookings", name: "Bookings & Sales" },
    { key: "loyalty", name: "Loyalty" },
  ];

  it("hand-over offers a person, the other departments and a note", () => {
    const view = buildHandOverModal({ metadata, departments, currentDepartment: "baggage" });
    expect(view.callback_id).toBe(MODAL_CALLBACK_IDS.handOver);
    expect(parseModalMetadata(view.private_metadata)).toEqual(metadata);
    expect(view.title.text).toBe("Hand over thread");
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      HAND_OVER_INPUTS.person.blockId,
      HAND_OVER_INPUTS.department.blockId,
      HAND_OVER_INPUTS.note.blockId,
    ]);
    const person = inputOf(view, HAND_OVER_INPUTS.person.blockId);
    const department = inputOf(view, HAND_OVER_INPUTS.department.blockId);
    const note = inputOf(view, HAND_OVER_INPUTS.note.blockId);
    expect(person.label.text).toBe("Hand to a person");
    expect(person.optional).toBe(true);
    expect(person.element).toMatchObject({
      type: "users_select",
      action_id: HAND_OVER_INPUTS.person.actionId,
    });
    expect(department.label.text).toBe("…or to another department");
    expect(department.element.type).toBe("static_select");
    expect(optionsOf(department)).toEqual([
      ["bookings", "Bookings & Sales"],
      ["loyalty", "Loyalty"],
    ]);
    expect(note.element).toMatchObject({ multiline: true, max_length: 1000 });
    expect(note.optional).toBe(true);
    expectModalWithinLimits(view);
  });

  it("hand-over keeps to 100 short options and drops the picker when nowhere else exists", () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      key: i === 7 ? "k".repeat(151) : `dept-${i}`,
      name: `${"N".repeat(200)} ${i}`,
    }));
    const view = buildHandOverModal({
      metadata,
      departments: [...many, ...many],
      currentDepartment: "dept-0",
      excerpt: "<!channel> ".repeat(1000),
    });
    expectModalWithinLimits(view);
    const options = optionsOf(inputOf(view, HAND_OVER_INPUTS.department.blockId));
    expect(options).toHaveLength(100);
    expect(options[0]?.[0]).toBe("dept-1");
    expect(options.map(([value]) => value)).not.toContain("k".repeat(151));
    expectNoInjectedMarkup({ text: "x", blocks: view.blocks });
    const alone = buildHandOverModal({
      metadata,
      departments: [departments[0] as { key: string; name: string }],
      currentDepartment: "baggage",
    });
    expect(alone.blocks.map((b) => b.block_id)).toEqual([
      HAND_OVER_INPUTS.person.blockId,
      HAND_OVER_INPUTS.note.blockId,
    ]);
  });

  it("dismiss asks for one of the four reasons, and an optional note", () => {
    const view = buildDismissModal({ metadata, excerpt: "spam & <!here>" });
    expect(view.callback_id).toBe(MODAL_CALLBACK_IDS.dismiss);
    expectModalWithinLimits(view);
    const reason = inputOf(view, DISMISS_INPUTS.reason.blockId);
    expect(reason.optional).toBeFalsy();
    expect(reason.element.type).toBe("radio_buttons");
    expect(optionsOf(reason)).toEqual([
      ["spam", "Spam or bot"],
      ["duplicate", "Duplicate of another thread"],
      ["not_ours", "Not about us / not our department"],
      ["no_response_needed", "No response needed"],
    ]);
    expect(optionsOf(reason).map(([value]) => value)).toEqual([...DISMISS_REASONS]);
    expect(allTexts(view.blocks)).toContain("> spam &amp; &lt;!here&gt;");
  });

  it("responded asks for a link or a private-reply tick", () => {
    const view = buildRespondedModal({ metadata });
    expect(view.callback_id).toBe(MODAL_CALLBACK_IDS.responded);
    expectModalWithinLimits(view);
    const link = inputOf(view, RESPONDED_INPUTS.link.blockId);
    const privately = inputOf(view, RESPONDED_INPUTS.private.blockId);
    expect(link.label.text).toBe("Link to the public reply");
    expect(link.element.type).toBe("url_text_input");
    expect(link.optional).toBe(true);
    expect(privately.element.type).toBe("checkboxes");
    expect(optionsOf(privately)).toEqual([["private", "Replied privately (DM, email, phone)"]]);
  });
});

describe("modal submissions", () => {
  const state = (blockId: string, actionId: string, value: Record<string, unknown>) => ({
    [blockId]: { [actionId]: value },
  });
  const person = (user: string | null) =>
    state(HAND_OVER_INPUTS.person.blockId, HAND_OVER_INPUTS.person.actionId, {
      type: "users_select",
      selected_user: user,
    });
  const department = (key: string | null) =>
    state(HAND_OVER_INPUTS.department.blockId, HAND_OVER_INPUTS.department.actionId, {
      type: "static_select",
      selected_option: key ? { text: { type: "plain_text", text: key }, value: key } : null,
    });
  const note = (blockId: string, actionId: string, value: string | null) =>
    state(blockId, actionId, { type: "plain_text_input", value });

  it("hand-over takes a person or a department, with a trimmed note", () => {
    expect(
      parseHandOverSubmission({
        ...person("U0123ABCD"),
        ...department(null),
        ...note(HAND_OVER_INPUTS.note.blockId, HAND_OVER_INPUTS.note.actionId, "  over to you "),
      }),
    ).toEqual({
      ok: true,
      value: { type: "hand_over_person", to: "U0123ABCD", note: "over to you" },
    });
    expect(
      parseHandOverSubmission({
        ...person(null),
        ...department("bookings"),
        ...note(HAND_OVER_INPUTS.note.blockId, HAND_OVER_INPUTS.note.actionId, "   "),
      }),
    ).toEqual({ ok: true, value: { type: "hand_over_department", to: "bookings" } });
  });

  it("hand-over refuses both, neither, a bad user and a long note", () => {
    expect(parseHandOverSubmission({ ...person("U0123ABCD"), ...department("bookings") })).toEqual({
      ok: false,
      errors: { [HAND_OVER_INPUTS.department.blockId]: "Pick a person or a department, not both" },
    });
    for (const values of [{ ...person(null), ...department(null) }, {}, null, "x", [1], 42]) {
      expect(parseHandOverSubmission(values)).toEqual({
        ok: false,
        errors: { [HAND_OVER_INPUTS.person.blockId]: "Pick a person or a department" },
      });
    }
    expect(parseHandOverSubmission(person("<!channel>"))).toEqual({
      ok: false,
      errors: { [HAND_OVER_INPUTS.person.blockId]: "Pick a person from the list" },
    });
    const long = parseHandOverSubmission({
      ...person("U0123ABCD"),
      ...note(HAND_OVER_INPUTS.note.blockId, HAND_OVER_INPUTS.note.actionId, "x".repeat(1001)),
    });
    expect(long).toEqual({
      ok: false,
      errors: { [HAND_OVER_INPUTS.note.blockId]: "Keep the note to 1,000 characters" },
    });
  });

  const link = (value: string | null) =>
    state(RESPONDED_INPUTS.link.blockId, RESPONDED_INPUTS.link.actionId, {
      type: "url_text_input",
      value,
    });
  const ticked = (yes: boolean) =>
    state(RESPONDED_INPUTS.private.blockId, RESPONDED_INPUTS.private.actionId, {
      type: "checkboxes",
      selected_options: yes ? [{ text: { type: "plain_text", text: "x" }, value: "private" }] : [],
    });

  it("responded takes an http(s) link or the private tick; the link wins over both", () => {
    const url = "https://twitter.com/united/status/9";
    expect(parseRespondedSubmission({ ...link(` ${url} `), ...ticked(false) })).toEqual({
      ok: true,
      value: { reply: { kind: "public", url } },
    });
    expect(parseRespondedSubmission({ ...link(null), ...ticked(true) })).toEqual({
      ok: true,
      value: { reply: { kind: "private" } },
    });
    expect(parseRespondedSubmission({ ...link(url), ...ticked(true) })).toEqual({
      ok: true,
      value: { reply: { kind: "public", url } },
    });
  });

  it("responded refuses neither, and links that are not plain http(s)", () => {
    const neither = parseRespondedSubmission({ ...link(""), ...ticked(false) });
    expect(neither).toEqual({
      ok: false,
      errors: {
        [RESPONDED_INPUTS.link.blockId]:
          "Paste the link to the public reply, or tick “Replied privately”",
      },
    });
    for (const bad of [
      "javascript:alert(1)",
      "ftp://example.com/x",
      "twitter.com/x",
      "https://a.example/x y",
      "https://a.example/<!channel>",
      "https://a.example/a|b",
      `https://a.example/${"x".repeat(3000)}`,
    ]) {
      const result = parseRespondedSubmission({ ...link(bad), ...ticked(true) });
      expect(result.ok, bad).toBe(false);
      if (!result.ok) expect(Object.keys(result.errors)).toEqual([RESPONDED_INPUTS.link.blockId]);
    }
  });

  const reason = (value: string | null) =>
    state(DISMISS_INPUTS.reason.blockId, DISMISS_INPUTS.reason.actionId, {
      type: "radio_buttons",
      selected_option: value ? { text: { type: "plain_text", text: value }, value } : null,
    });

  it("dismiss needs a known reason", () => {
    expect(
      parseDismissSubmission({
        ...reason("duplicate"),
        ...note(DISMISS_INPUTS.note.blockId, DISMISS_INPUTS.note.actionId, "same as #41"),
      }),
    ).toEqual({ ok: true, value: { reason: "duplicate", note: "same as #41" } });
    expect(parseDismissSubmission(reason("spam"))).toEqual({
      ok: true,
      value: { reason: "spam" },
    });
    for (const values of [reason(null), reason("other"), {}]) {
      expect(parseDismissSubmission(values)).toEqual({
        ok: false,
        errors: { [DISMISS_INPUTS.reason.blockId]: "Pick a reason" },
      });
    }
  });
});

describe("buildNudge", () => {
  const input = (overrides: Partial<NudgeInput> = {}): NudgeInput => ({
    threadId: THREAD,
    step: "warning",
    clockKind: "firstResponse",
    dueAt: at("2026-03-02T14:05:00Z"),
    now: at("2026-03-02T13:59:00Z"),
    timezone: LONDON,
    department: { name: "Baggage" },
    priority: "P2",
    excerpt: "lost my bag & nobody answers",
    ...overrides,
  });

  it("warns what is due and when, and offers Claim while nobody owns it", () => {
    const nudge = buildNudge(input({ cardLink: "https://acme.slack.com/archives/C1/p1" }));
    expect(nudge.text).toBe(
      "First response for this P2 Baggage complaint is due 14:05 GMT (in 6 min)",
    );
    expect(sectionText(nudge, NUDGE_BLOCK_IDS.headline)).toBe(
      ":hourglass_flowing_sand: *First response* for this *P2 Baggage* complaint is due <!date^1772460300^{date_short_pretty} {time}|14:05 GMT> (in 6 min)",
    );
    expect(sectionText(nudge, NUDGE_BLOCK_IDS.excerpt)).toBe("> lost my bag &amp; nobody answers");
    expect(allTexts(nudge.blocks)).toContain(
      "Unclaimed · :point_right: <https://acme.slack.com/archives/C1/p1|Open the card>",
    );
    const buttons = buttonsOf(nudge);
    expect(buttons.map((b) => [b.action_id, b.style])).toEqual([
      [THREAD_ACTION_IDS.claim, "primary"],
      [THREAD_ACTION_IDS.handOver, undefined],
    ]);
    for (const b of buttons) expect(parseThreadAction(b.value)).toBe(THREAD);
    expectMessageWithinLimits(nudge);
    expectNoInjectedMarkup(nudge);
  });

  it("says a breach happened, mentions people and offers Responded to an owner", () => {
    const nudge = buildNudge(
      input({
        step: "breach",
        now: at("2026-03-02T14:07:00Z"),
        owner: "U0OWNER1",
        mention: ["U0OWNER1", "U0LEAD01", "U0OWNER1"],
      }),
    );
    expect(nudge.text).toBe(
      "<@U0OWNER1> <@U0LEAD01> First response for this P2 Baggage complaint breached 2 min ago",
    );
    expect(sectionText(nudge, NUDGE_BLOCK_IDS.headline)).toBe(
      "<@U0OWNER1> <@U0LEAD01>\n:red_circle: *First response* for this *P2 Baggage* complaint breached 2 min ago",
    );
    expect(buttonsOf(nudge).map((b) => b.action_id)).toEqual([
      THREAD_ACTION_IDS.responded,
      THREAD_ACTION_IDS.handOver,
    ]);
    const onTime = buildNudge(input({ step: "breach", now: at("2026-03-02T14:05:00Z") }));
    expect(onTime.text).toBe("First response for this P2 Baggage complaint breached just now");
    expectNoInjectedMarkup(nudge, ["<@U0OWNER1>", "<@U0LEAD01>"]);
  });

  it("once the Claim it offered is over, says what became of the thread instead of the buttons", () => {
    const redraw = (settled: Parameters<typeof describeSettled>[0]) =>
      buildNudge(
        input({
          cardLink: "https://acme.slack.com/archives/C1/p1",
          settled: describeSettled(settled),
        }),
      );
    const owned = redraw({ state: "claimed", owner: "U0OWNER1" });
    expect(owned.text).toBe(buildNudge(input()).text);
    expect(allTexts(owned.blocks)).toContain(
      ":white_check_mark: Owned by <@U0OWNER1> · :point_right: <https://acme.slack.com/archives/C1/p1|Open the card>",
    );
    expect(buttonsOf(owned)).toEqual([]);
    expect(allTexts(redraw({ state: "resolved", owner: "U0OWNER1" }).blocks)).toContain(
      ":white_check_mark: Resolved · :point_right: <https://acme.slack.com/archives/C1/p1|Open the card>",
    );
    expect(allTexts(redraw({ state: "dismissed" }).blocks).join()).toContain(
      ":heavy_multiplication_x: Dismissed",
    );
    const moved = redraw({ state: "open", movedTo: "<!channel> Lost & Found" });
    expect(allTexts(moved.blocks).join()).toContain(
      ":arrow_right_hook: Handed over to *&lt;!channel&gt; Lost &amp; Found*",
    );
    expectNoInjectedMarkup(moved);
  });

  it("says the office time left of a deadline after a weekend", () => {
    const nudge = buildNudge(
      input({
        clockKind: "claim",
        now: at("2026-03-06T17:00:00Z"),
        dueAt: at("2026-03-09T09:30:00Z"),
        workingLeftMs: 90 * 60_000,
      }),
    );
    expect(nudge.text).toBe(
      "Claim for this P2 Baggage complaint is due 09:30 Monday GMT (in 2 days 16 h; 1 h 30 min of office hours left)",
    );
  });

  it("escalates with how long it has been overdue", () => {
    const nudge = buildNudge(
      input({ step: "escalation", clockKind: "resolution", now: at("2026-03-02T15:05:00Z") }),
    );
    expect(nudge.text).toBe(
      "Escalation: resolution for this P2 Baggage complaint is overdue by 1 h",
    );
  });

  it("escapes and bounds everything it is given", () => {
    const nudge = buildNudge(
      input({
        department: { name: "<!channel> & co ".repeat(100) },
        excerpt: "<!everyone> &".repeat(2000),
        mention: Array.from({ length: 500 }, (_, i) => `U${String(i).padStart(8, "0")}`).concat(
          "<!here>",
        ),
        owner: "<!channel>",
        cardLink: "javascript:alert(1)",
      }),
    );
    expectMessageWithinLimits(nudge);
    const mentions = [...nudge.text.matchAll(/<@U\d+>/g)].map((m) => m[0]);
    expectNoInjectedMarkup(nudge, mentions);
    expect(sectionText(nudge, NUDGE_BLOCK_IDS.excerpt).length).toBeLessThanOrEqual(300);
    expect(sectionText(nudge, NUDGE_BLOCK_IDS.headline)).toMatch(/ and \d+ more\n/);
  });
});

describe("buildMineList", () => {
  const item = (overrides: Partial<MineListItem> = {}): MineListItem => ({
    threadId: THREAD,
    department: "Baggage",
    priority: "P2",
    state: "claimed",
    excerpt: "lost my bag & nobody answers",
    dueText: "First response due 14:05 (in 12 min)",
    link: "https://acme.slack.com/archives/C1/p1",
    ...overrides,
  });

  it("has an empty state", () => {
    const list = buildMineList([], NOW);
    expect(list.text).toBe("You own no open threads.");
    expect(allTexts(list.blocks)).toEqual(["You own no open threads."]);
  });

  it("lists each thread with its department, state, words and deadline", () => {
    const list = buildMineList(
      [item(), item({ state: "waiting_on_customer", dueText: undefined, link: undefined })],
      NOW,
    );
    expect(list.text).toBe("You own 2 open threads.");
    expect(allTexts(list.blocks)).toEqual([
      "*You own 2 open threads* · as of <!date^1772459580^{time}|13:53 UTC>",
      "*P2* · *Baggage* · Claimed · <https://acme.slack.com/archives/C1/p1|Open the card>\n> lost my bag &amp; nobody answers\n:stopwatch: First response due 14:05 (in 12 min)",
      "*P2* · *Baggage* · Waiting on customer\n> lost my bag &amp; nobody answers",
    ]);
    expectMessageWithinLimits(list);
  });

  it("shows the first ones and counts the rest, within limits, escaped", () => {
    const items = Array.from({ length: 200 }, (_, i) =>
      item({
        department: `<!channel> ${"D".repeat(500)}`,
        excerpt: `${i} <@U1> ${"&".repeat(5000)}`,
        dueText: `<!here> ${"x".repeat(1000)}`,
        link: `https://a.example/${"p".repeat(1900)}`,
      }),
    );
    const list = buildMineList(items, NOW);
    expectMessageWithinLimits(list);
    expectNoInjectedMarkup(list);
    const last = allTexts(list.blocks).at(-1);
    const shown = list.blocks.length - 2;
    expect(last).toBe(`_…and ${200 - shown} more._`);
    expect(list.text).toBe("You own 200 open threads.");
  });
});

describe("buildTimeline", () => {
  const event = (
    iso: string,
    actor: string,
    kind: string,
    details: Record<string, unknown> = {},
  ): TimelineEvent => ({ at: at(iso), actor, kind, details });

  it("tells the history in words, with times in the department's zone", () => {
    const timeline = buildTimeline(
      [
        event("2026-03-02T14:10:00Z", "slack:U1AAAAAA", "hand_over_department", {
          by: "U1AAAAAA",
          department: "bookings",
          note: "they sold the ticket",
        }),
        event("2026-03-02T14:02:00Z", "slack:U1AAAAAA", "claim", { owner: "U1AAAAAA" }),
        event("2026-03-02T13:58:00Z", "intake:token#1", "thread.opened", {
          department: "baggage",
          priority: "P3",
        }),
        event("2026-03-02T14:20:00Z", "intake:token#1", "thread.priority_raised", {
          from: "P3",
          to: "P1",
        }),
        event("2026-03-02T14:30:00Z", "system", "breach", { clock: "firstResponse" }),
        event("2026-03-03T09:00:00Z", "slack:U2BBBBBB", "respond", {
          reply: "https://twitter.com/united/status/9",
        }),
        event("2026-03-03T09:05:00Z", "slack:U2BBBBBB", "dismiss", { reason: "spam" }),
        event("2026-03-03T09:06:00Z", "slack:U2BBBBBB", "thread.something_new"),
      ],
      LONDON,
      { departmentNames: { bookings: "Bookings", baggage: "Baggage" } },
    );
    expect(allTexts(timeline.blocks)).toEqual([
      "*Timeline* · times in Europe/London",
      "*Mon 2 Mar 2026* 13:58 opened in Baggage as P3",
      "14:02 <@U1AAAAAA> claimed it",
      "14:10 handed over to Bookings by <@U1AAAAAA>: they sold the ticket",
      "14:20 priority raised P3 → P1",
      "14:30 breach: first response",
      "*Tue 3 Mar 2026* 09:00 responded publicly (<https://twitter.com/united/status/9|the reply>) by <@U2BBBBBB>",
      "09:05 dismissed as spam by <@U2BBBBBB>",
      "09:06 something new by <@U2BBBBBB>",
    ]);
    expect(timeline.text).toBe("Timeline of this thread (8 events)");
    expectMessageWithinLimits(timeline);
  });

  it("keeps the latest events within 50 blocks and says how many were left out", () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      event(new Date(NOW.getTime() + minutes(i)).toISOString(), "slack:<!channel>", "resolve", {
        note: `${i} <!channel> & ${"n".repeat(2000)}`,
      }),
    );
    const timeline = buildTimeline(events, LONDON);
    expectMessageWithinLimits(timeline);
    expectNoInjectedMarkup(timeline);
    const texts = allTexts(timeline.blocks);
    const shown = timeline.blocks.length - 2;
    expect(texts[1]).toBe(`_${(1000 - shown).toLocaleString("en-US")} earlier events not shown._`);
    expect(texts.at(-1)).toMatch(
      /^06:32 resolved by &lt;!channel&gt;: 999 &lt;!channel&gt; &amp; n+…$/,
    );
    expect(texts[2]).toMatch(/^\*\w{3} \d+ Mar 2026\* \d\d:\d\d resolved by &lt;!channel&gt;: /);

    const few = buildTimeline(
      events.slice(0, 60).map((e) => ({ ...e, details: {} })),
      LONDON,
    );
    expect(few.blocks).toHaveLength(50);
    expect(allTexts(few.blocks)[1]).toBe("_12 earlier events not shown._");
  });

  it("says when nothing has happened", () => {
    expect(buildTimeline([], "UTC").text).toBe("Nothing has happened to this thread yet.");
  });

  it("tells a warning held while waiting on the customer on that warning, and its re-send as sent", () => {
    const key = "resolution@2026-03-02T09:00:00.000Z:warn:0.8";
    const warning = { clock: "resolution", key };
    const timeline = buildTimeline(
      [
        event("2026-03-02T10:00:00Z", "system", "sla.warning", warning),
        event("2026-03-02T11:00:00Z", "system", "sla.held", { step: "warning", ...warning }),
        event("2026-03-02T12:00:00Z", "system", "sla.warning", { ...warning, resent: true }),
        event("2026-03-02T13:00:00Z", "system", "sla.held", { step: "warning", ...warning }),
        event("2026-03-02T14:00:00Z", "system", "sla.warning", { ...warning, resent: true }),
      ],
      "UTC",
    );
    // Each hold is told on the sending it held, the latest one before it.
    expect(allTexts(timeline.blocks).slice(1)).toEqual([
      "*Mon 2 Mar 2026* 10:00 warning: resolution due soon, held while waiting on the customer",
      "12:00 warning: resolution due soon, held while waiting on the customer",
      "14:00 warning sent: resolution due soon (held while waiting on the customer)",
    ]);
    expect(timeline.text).toBe("Timeline of this thread (3 events)");
  });
});

describe("notices and help", () => {
  it("tells a clicker who already owns the thread and since when, in the reader's zone", () => {
    const notice = buildAlreadyOwnedNotice({
      owner: "U0123ABCD",
      since: at("2026-03-02T14:02:00Z"),
      now: at("2026-03-02T14:30:00Z"),
      timezone: LONDON,
    });
    const stamp = Date.parse("2026-03-02T14:02:00Z") / 1000;
    expect(notice.text).toBe(
      `<@U0123ABCD> already owns this thread (since <!date^${stamp}^{date_short_pretty} {time}|14:02 GMT>).`,
    );
    expect(allTexts(notice.blocks)).toEqual([notice.text]);
    const unknown = { owner: "U0123ABCD", now: at("2026-03-02T14:30:00Z"), timezone: LONDON };
    expect(buildAlreadyOwnedNotice(unknown).text).toBe("<@U0123ABCD> already owns this thread.");
    expectMessageWithinLimits(buildNotice("x".repeat(10_000)));
  });

  it("lists mine, the campaign and admin commands and help; the timeline is a button, not a command", () => {
    expect(COMMANDS.map((c) => c.usage)).toEqual([
      "/switchboard mine",
      "/switchboard digest",
      "/switchboard status",
      "/switchboard retry <outbox id|all-failed>",
      "/switchboard headsup",
      "/switchboard campaigns",
      "/switchboard help",
    ]);
    expect(COMMANDS[0]?.description).toBe("List the open threads you own, with their due times");
    expect(buildHelpMessage().text).toContain("`/switchboard mine`");
    expect(buildHelpMessage("<!channel>").text).toContain("&lt;!channel&gt;");
    // Slack reads <…|…> as a link even inside code, so the usage is escaped too.
    expect(buildHelpMessage().text).toContain("`/switchboard retry &lt;outbox id|all-failed&gt;`");
  });

  it("names every new button by its action id", () => {
    for (const [action, id] of Object.entries(THREAD_ACTION_IDS)) {
      expect(threadActionOf(id)).toBe(action);
      expect(id).toMatch(THREAD_ACTION_ID_PATTERN);
    }
    expect(THREAD_ACTION_IDS.waitOnCustomer).toBe("thread.wait");
    for (const id of Object.values(MODAL_CALLBACK_IDS)) {
      expect(THREAD_ACTION_ID_PATTERN.test(id)).toBe(false);
    }
  });
});

describe("the Slack double's Block Kit checks used above", () => {
  it("refuse what Slack refuses, so a clean result means something", () => {
    const longButton = {
      type: "button",
      action_id: "a",
      text: { type: "plain_text", text: "x".repeat(76) },
    };
    expect(messageBlockProblems([{ type: "actions", elements: [longButton] }])).not.toEqual([]);
    expect(
      messageBlockProblems(Array.from({ length: 51 }, () => ({ type: "divider" }))),
    ).not.toEqual([]);
    expect(
      modalViewProblems({
        type: "modal",
        title: { type: "plain_text", text: "x".repeat(25) },
        blocks: [],
      }),
    ).not.toEqual([]);
  });
});

describe("the note for a deactivated new owner", () => {
  it("mentions the department's user group, or @here, and says how the thread reached them", () => {
    expect(buildOwnerGoneNote({ owner: "U0BOB" }).text).toBe(
      "<!here> This thread was handed to <@U0BOB>, whose Slack account is deactivated: it needs a new owner.",
    );
    const note = buildOwnerGoneNote({ owner: "U0BOB", usergroup: "S0BAGS", reopened: true });
    expect(note.text).toBe(
      "<!subteam^S0BAGS> This thread went back to <@U0BOB>, whose Slack account is deactivated: it needs a new owner.",
    );
    expect(note.blocks).toEqual([
      expect.objectContaining({ block_id: "handover.owner_gone", type: "section" }),
    ]);
  });
});
