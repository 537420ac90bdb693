import type { KnownBlock } from "@slack/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ThreadState } from "../../src/domain/thread-lifecycle.ts";
import {
  buildComplaintCard,
  buildFollowUpReply,
  type ComplaintCardModel,
} from "../../src/slack/views/complaint-card.ts";
import {
  CARD_BLOCK_IDS,
  encodeThreadAction,
  FOLLOW_UP_BLOCK_IDS,
  parseThreadAction,
  THREAD_ACTION_ID_PATTERN,
  THREAD_ACTION_IDS,
  threadActionOf,
} from "../../src/slack/views/ids.ts";
import { messageBlockProblems } from "../../src/slack-double/index.ts";

function buildModel(overrides: Partial<ComplaintCardModel> = {}): ComplaintCardModel {
  return {
    threadId: "0b6f3c1e-8f7a-4d2b-9a41-5c2d7e9f0a13",
    source: "twitter",
    text: "@united you lost my bag at ORD & nobody answers",
    url: "https://twitter.com/jane/status/570306133677760513",
    author: { handle: "@jane", name: "Jane Doe", followers: 12_400, verified: true },
    metrics: { shares: 52, likes: 300, replies: 4 },
    postedAt: new Date("2015-02-24T19:35:52Z"),
    priority: "P1",
    priorityReasons: ['rule "big-reach" raised 1: followers 12,400 ≥ 10,000'],
    department: { key: "baggage", name: "Baggage" },
    routing: {
      department: "baggage",
      rule: "lost-bag",
      reason: 'rule "lost-bag": phrase "lost bag"',
    },
    state: "open",
    dues: [],
    now: NOW,
    timezone: "Europe/London",
    ...overrides,
  };
}

/** Monday 2 March 2026, 13:53 in London (GMT until 29 March). */
const NOW = new Date("2026-03-02T13:53:00Z");

type Message = { text: string; blocks: KnownBlock[] };

/** Every text in the message that Slack renders as mrkdwn or plain text. */
function allTexts(message: Message): string[] {
  const texts: string[] = [message.text];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (
        (record.type === "mrkdwn" || record.type === "plain_text") &&
        typeof record.text === "string"
      ) {
        texts.push(record.text);
      }
      Object.values(record).forEach(visit);
    }
  };
  visit(message.blocks);
  return texts;
}

function blockById(message: Message, blockId: string): KnownBlock | undefined {
  return message.blocks.find((block) => block.block_id === blockId);
}

function sectionText(message: Message, blockId: string): string {
  const block = blockById(message, blockId);
  return block?.type === "section" ? (block.text?.text ?? "") : "";
}

function contextTexts(message: Message, blockId: string): string[] {
  const block = blockById(message, blockId);
  if (block?.type !== "context") return [];
  return block.elements.map((element) => ("text" in element ? element.text : ""));
}

function buttons(message: Message) {
  const block = blockById(message, CARD_BLOCK_IDS.actions);
  if (block?.type !== "actions") return [];
  return block.elements.flatMap((element) => (element.type === "button" ? [element] : []));
}

/** Block Kit limits from SLACK.md §7, checked on every block type the views use. */
function expectWithinLimits(message: Message): void {
  // The Slack double's own checks, the ones chat.postMessage enforces in the e2e tests.
  expect(messageBlockProblems(message.blocks)).toEqual([]);
  expect(message.text.length).toBeLessThanOrEqual(4000);
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  const blockIds = message.blocks.map((block) => block.block_id);
  expect(new Set(blockIds).size).toBe(blockIds.length);
  for (const block of message.blocks) {
    expect(block.block_id?.length ?? 0).toBeLessThanOrEqual(255);
    if (block.type === "section") {
      expect(block.text || block.fields).toBeTruthy();
      if (block.text) expect(block.text.text.length).toBeGreaterThan(0);
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    } else if (block.type === "context") {
      expect(block.elements.length).toBeLessThanOrEqual(10);
      for (const element of block.elements) {
        if ("text" in element) expect(element.text.length).toBeLessThanOrEqual(3000);
      }
    } else if (block.type === "actions") {
      expect(block.elements.length).toBeLessThanOrEqual(25);
      for (const element of block.elements) {
        if (element.type !== "button") continue;
        expect(element.text.text.length).toBeLessThanOrEqual(75);
        expect(element.action_id?.length ?? 0).toBeLessThanOrEqual(255);
        expect(element.value?.length ?? 0).toBeLessThanOrEqual(2000);
        if (element.confirm) {
          expect(element.confirm.title?.text.length ?? 0).toBeLessThanOrEqual(100);
          expect(element.confirm.text.text.length).toBeLessThanOrEqual(300);
          expect(element.confirm.confirm?.text.length ?? 0).toBeLessThanOrEqual(30);
          expect(element.confirm.deny?.text.length ?? 0).toBeLessThanOrEqual(30);
        }
      }
    } else {
      throw new Error(`unexpected block type ${block.type}`);
    }
  }
}

/** No text may hold a Slack control sequence except the dates, links and owner mention we add. */
function expectNoInjectedMarkup(message: Message, allowedMentions: string[] = []): void {
  for (const text of allTexts(message)) {
    for (const [token] of text.matchAll(/<[^>]*>/g)) {
      const ours =
        /^<!date\^\d+\^\{date_short_pretty\} \{time\}\|[0-9TZ:-]+>$/.test(token) ||
        // Deadlines: the viewer's own time, with the department-zone phrase as fallback.
        /^<!date\^\d+\^(\{date_short_pretty\} )?\{time\}\|[A-Za-z0-9 :+-]+>$/.test(token) ||
        /^<https:\/\/[^\s<>|]+\|[^<>]*>$/.test(token) ||
        allowedMentions.includes(token);
      expect(ours, `unexpected markup ${token}`).toBe(true);
    }
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  }
}

describe("buildComplaintCard", () => {
  it("shows priority, source, author, reach and the customer's words", () => {
    const card = buildComplaintCard(buildModel());
    expect(sectionText(card, CARD_BLOCK_IDS.summary)).toBe(
      ":rotating_light: *P1* · new complaint on *twitter*",
    );
    const author = sectionText(card, CARD_BLOCK_IDS.author);
    expect(author).toContain("*Jane Doe* (@jane)");
    expect(author).toContain(":white_check_mark: verified");
    expect(author).toContain("12,400 followers · 52 shares · 300 likes · 4 replies");
    expect(author).toContain(
      "posted <!date^1424806552^{date_short_pretty} {time}|2015-02-24T19:35:52Z>",
    );
    expect(sectionText(card, CARD_BLOCK_IDS.text)).toBe(
      "> @united you lost my bag at ORD &amp; nobody answers",
    );
    expect(sectionText(card, CARD_BLOCK_IDS.link)).toBe(
      ":link: <https://twitter.com/jane/status/570306133677760513|View the post on twitter>",
    );
    expectWithinLimits(card);
    expectNoInjectedMarkup(card);
  });

  it("lists priority, department, state and owner as fields", () => {
    const card = buildComplaintCard(buildModel({ owner: "U0123ABCD", followUps: 3 }));
    const block = blockById(card, CARD_BLOCK_IDS.fields);
    const fields = block?.type === "section" ? block.fields?.map((f) => f.text) : [];
    expect(fields).toEqual([
      "*Priority*\n:rotating_light: P1",
      "*Department*\nBaggage",
      "*State*\nOpen",
      "*Owner*\n<@U0123ABCD>",
      "*Follow-ups*\n3",
    ]);
    expectNoInjectedMarkup(card, ["<@U0123ABCD>"]);
  });

  it("says why it went where it went and why it has its priority", () => {
    const card = buildComplaintCard(buildModel());
    expect(contextTexts(card, CARD_BLOCK_IDS.context)).toEqual([
      '*Routed:* rule "lost-bag": phrase "lost bag"',
      '*P1:* rule "big-reach" raised 1: followers 12,400 ≥ 10,000',
    ]);
    const plain = buildComplaintCard(buildModel({ priority: "P3", priorityReasons: [] }));
    expect(contextTexts(plain, CARD_BLOCK_IDS.context)[1]).toBe("*P3:* default level");
  });

  const BUTTONS_BY_STATE: Record<ThreadState, string[]> = {
    open: ["Claim", "Hand over", "Responded", "Resolve", "Dismiss", "Timeline"],
    claimed: ["Responded", "Hand over", "Resolve", "Dismiss", "Timeline"],
    responded: ["Waiting on customer", "Responded", "Hand over", "Resolve", "Timeline"],
    waiting_on_customer: ["Hand over", "Resolve", "Timeline"],
    resolved: ["Reopen", "Timeline"],
    dismissed: ["Reopen", "Timeline"],
  };

  it.each(Object.entries(BUTTONS_BY_STATE))("offers the right buttons when %s", (state, labels) => {
    const model = buildModel({ state: state as ThreadState, owner: "U0123ABCD" });
    const card = buildComplaintCard(model);
    const found = buttons(card);
    expect(found.map((b) => b.text.text)).toEqual(labels);
    for (const b of found) {
      expect(parseThreadAction(b.value)).toBe(model.threadId);
      expect(b.action_id).toMatch(THREAD_ACTION_ID_PATTERN);
    }
    expectWithinLimits(card);
  });

  it("styles and ids the buttons: Claim/Responded primary, Dismiss red with a confirm", () => {
    const open = buttons(buildComplaintCard(buildModel()));
    expect(open.map((b) => [b.action_id, b.style])).toEqual([
      [THREAD_ACTION_IDS.claim, "primary"],
      [THREAD_ACTION_IDS.handOver, undefined],
      [THREAD_ACTION_IDS.responded, undefined],
      [THREAD_ACTION_IDS.resolve, undefined],
      [THREAD_ACTION_IDS.dismiss, "danger"],
      [THREAD_ACTION_IDS.timeline, undefined],
    ]);
    expect(open[4]?.confirm?.confirm?.text).toBe("Dismiss");
    expect(open[4]?.confirm?.title?.text).toBe("Dismiss this complaint?");
    // A question's confirmation says so.
    const question = buttons(
      buildComplaintCard(buildModel({ kind: { kind: "question", reason: "rule questions" } })),
    );
    const dismiss = question.find((b) => b.action_id === THREAD_ACTION_IDS.dismiss);
    expect(dismiss?.confirm?.title?.text).toBe("Dismiss this question?");
    const claimed = buttons(buildComplaintCard(buildModel({ state: "claimed", owner: "U1AB" })));
    expect(claimed.map((b) => [b.action_id, b.style])).toEqual([
      [THREAD_ACTION_IDS.responded, "primary"],
      [THREAD_ACTION_IDS.handOver, undefined],
      [THREAD_ACTION_IDS.resolve, undefined],
      [THREAD_ACTION_IDS.dismiss, "danger"],
      [THREAD_ACTION_IDS.timeline, undefined],
    ]);
    const resolved = buttons(buildComplaintCard(buildModel({ state: "resolved" })));
    expect(resolved.map((b) => b.action_id)).toEqual([
      THREAD_ACTION_IDS.reopen,
      THREAD_ACTION_IDS.timeline,
    ]);
  });

  it("says it was handed over, from which department, by whom and why, and where routing sent it", () => {
    const card = buildComplaintCard(
      buildModel({
        department: { key: "bookings", name: "Bookings & Refunds" },
        handedOver: {
          from: "Customer Service",
          by: "U0ALICE01",
          note: "A refund question:\nover to Bookings",
          at: NOW,
        },
        routedTo: "Customer Service",
        routing: {
          department: "service",
          rule: "phone-hold-and-staff",
          reason: 'rule "phone-hold-and-staff": phrase "agent"',
        },
      }),
    );
    const blocks = card.blocks.map((b) => b.block_id);
    expect(blocks.indexOf(CARD_BLOCK_IDS.handOver)).toBe(blocks.indexOf(CARD_BLOCK_IDS.status) + 1);
    expect(sectionText(card, CARD_BLOCK_IDS.handOver)).toBe(
      ":arrow_right_hook: Handed over from *Customer Service* by <@U0ALICE01> · " +
        "<!date^1772459580^{date_short_pretty} {time}|2026-03-02T13:53:00Z>\n" +
        "> A refund question:\n> over to Bookings",
    );
    expect(contextTexts(card, CARD_BLOCK_IDS.context)[0]).toBe(
      '*Routed to Customer Service:* rule "phone-hold-and-staff": phrase "agent"',
    );
    expectWithinLimits(card);

    // Handed over by the system, with no note: the line alone. Never handed over: no line.
    const quiet = buildComplaintCard(buildModel({ handedOver: { from: "Customer Service" } }));
    expect(sectionText(quiet, CARD_BLOCK_IDS.handOver)).toBe(
      ":arrow_right_hook: Handed over from *Customer Service*",
    );
    const plain = buildComplaintCard(buildModel());
    expect(plain.blocks.some((b) => b.block_id === CARD_BLOCK_IDS.handOver)).toBe(false);
    expect(contextTexts(plain, CARD_BLOCK_IDS.context)[0]).toBe(
      '*Routed:* rule "lost-bag": phrase "lost bag"',
    );
  });

  it("says who owns it and where it stands, in words", () => {
    const status = (overrides: Partial<ComplaintCardModel>) =>
      sectionText(buildComplaintCard(buildModel(overrides)), CARD_BLOCK_IDS.status);
    expect(status({})).toBe(":inbox_tray: *Open* · unclaimed");
    expect(status({ suggestedOwner: "U0PREV01" })).toBe(
      ":inbox_tray: *Open* · unclaimed · last owned by <@U0PREV01>",
    );
    expect(status({ state: "claimed", owner: "U0123ABCD" })).toBe(
      ":raising_hand: *Claimed* by <@U0123ABCD>",
    );
    expect(
      status({
        state: "responded",
        owner: "U0123ABCD",
        responseUrl: "https://twitter.com/united/status/9",
      }),
    ).toBe(
      ":speech_balloon: *Responded* · owner <@U0123ABCD> · <https://twitter.com/united/status/9|public reply>",
    );
    // Handed to someone after the reply, it is theirs, but the reply was not theirs.
    expect(status({ state: "responded", owner: "U0NEWOWN1" })).not.toContain("by <@U0NEWOWN1>");
    expect(status({ state: "waiting_on_customer", owner: "U0123ABCD" })).toBe(
      ":hourglass: *Waiting on customer* · owner <@U0123ABCD>",
    );
    expect(status({ state: "resolved", owner: "U0123ABCD" })).toBe(
      ":white_check_mark: *Resolved* · owner <@U0123ABCD>",
    );
    expect(status({ state: "dismissed", dismissReason: "not_ours" })).toBe(
      ":no_entry_sign: *Dismissed*: not about us / not our department",
    );
    expect(status({ state: "dismissed", dismissReason: "spam" })).toBe(
      ":no_entry_sign: *Dismissed*: spam or bot",
    );
    // Someone other than its owner closed it, or handed it to them: the card says who.
    expect(status({ state: "resolved", owner: "U0123ABCD", changedBy: "U0CAROL01" })).toBe(
      ":white_check_mark: *Resolved* by <@U0CAROL01> · owner <@U0123ABCD>",
    );
    expect(status({ state: "resolved", owner: "U0123ABCD", changedBy: "U0123ABCD" })).toBe(
      ":white_check_mark: *Resolved* · owner <@U0123ABCD>",
    );
    expect(status({ state: "dismissed", dismissReason: "spam", changedBy: "U0CAROL01" })).toBe(
      ":no_entry_sign: *Dismissed* by <@U0CAROL01>: spam or bot",
    );
    expect(status({ state: "claimed", owner: "U0123ABCD", changedBy: "U0CAROL01" })).toBe(
      ":raising_hand: *Claimed* by <@U0123ABCD> · handed over by <@U0CAROL01>",
    );
    expect(status({ state: "claimed", owner: "U0123ABCD", changedBy: "U0123ABCD" })).toBe(
      ":raising_hand: *Claimed* by <@U0123ABCD>",
    );
    const claimed = buildComplaintCard(buildModel({ state: "claimed", owner: "U0123ABCD" }));
    expect(sectionText(claimed, CARD_BLOCK_IDS.summary)).toBe(
      ":rotating_light: *P1* · complaint on *twitter*",
    );
  });

  it("shows a due line per clock, in the department's zone and the viewer's own", () => {
    const card = buildComplaintCard(
      buildModel({
        state: "claimed",
        owner: "U0123ABCD",
        dues: [
          { kind: "firstResponse", dueAt: new Date("2026-03-02T14:05:00Z"), breached: false },
          { kind: "resolution", dueAt: new Date("2026-03-02T13:28:00Z"), breached: true },
          { kind: "nextResponse", dueAt: new Date("2026-03-03T09:30:00Z"), breached: false },
        ],
      }),
    );
    expect(sectionText(card, CARD_BLOCK_IDS.dues).split("\n")).toEqual([
      ":stopwatch: First response due <!date^1772460300^{date_short_pretty} {time}|14:05 GMT> (in 12 min)",
      ":red_circle: Resolution overdue by 25 min",
      ":stopwatch: Next response due <!date^1772530200^{date_short_pretty} {time}|09:30 tomorrow GMT> (in 19 h 37 min)",
    ]);
    expectWithinLimits(card);
    expectNoInjectedMarkup(card, ["<@U0123ABCD>"]);
  });

  it("says clocks are paused while waiting on the customer", () => {
    const card = buildComplaintCard(
      buildModel({
        state: "waiting_on_customer",
        owner: "U0123ABCD",
        dues: [
          { kind: "claim", dueAt: new Date("2026-03-03T09:30:00Z"), breached: false },
          { kind: "resolution", dueAt: null, breached: false },
          { kind: "firstResponse", dueAt: null, breached: true },
        ],
      }),
    );
    expect(sectionText(card, CARD_BLOCK_IDS.dues).split("\n")).toEqual([
      ":double_vertical_bar: Claim due <!date^1772530200^{date_short_pretty} {time}|09:30 tomorrow GMT> (paused while waiting on the customer)",
      ":double_vertical_bar: Resolution paused while waiting on the customer",
      ":red_circle: First response overdue (paused while waiting on the customer)",
    ]);
  });

  it("has no due block when no clock runs", () => {
    const card = buildComplaintCard(buildModel({ state: "resolved" }));
    expect(blockById(card, CARD_BLOCK_IDS.dues)).toBeUndefined();
  });

  it("gives a plain fallback with priority, department, author and the start of the text", () => {
    const text = `${"word ".repeat(60)}END`;
    const card = buildComplaintCard(buildModel({ text }));
    expect(card.text).toMatch(/^P1 · Baggage · twitter from @jane: word word/);
    expect(card.text).not.toContain("END");
    expect(card.text.length).toBeLessThan(250);
  });

  it("copes with no author, link, metrics or date", () => {
    const card = buildComplaintCard(
      buildModel({ author: undefined, url: undefined, metrics: undefined, postedAt: undefined }),
    );
    expect(sectionText(card, CARD_BLOCK_IDS.author)).toBe("_unknown author_");
    expect(blockById(card, CARD_BLOCK_IDS.link)).toBeUndefined();
    expect(card.text).toMatch(/^P1 · Baggage · twitter: @united/);
    expectWithinLimits(card);
  });

  it("shows empty text as such", () => {
    const card = buildComplaintCard(buildModel({ text: "  \n " }));
    expect(sectionText(card, CARD_BLOCK_IDS.text)).toBe("> _(no text)_");
    expect(card.text).toContain("(no text)");
    expectWithinLimits(card);
  });

  it("quotes every line, so a line cannot escape the quote", () => {
    const card = buildComplaintCard(buildModel({ text: "first\n>second\r\nthird" }));
    expect(sectionText(card, CARD_BLOCK_IDS.text)).toBe("> first\n> &gt;second\n> third");
  });

  it("escapes mentions and markup in everything the customer or config controls", () => {
    const card = buildComplaintCard(
      buildModel({
        text: "<!channel> look <@U123> & <https://evil.example|click> <!date^1^{date}|x>",
        author: { handle: "<!here>", name: "<!everyone> & co" },
        url: "https://ok.example/a|<!channel>",
        priorityReasons: ['rule "x" set P1: phrase "<@U999>"'],
        routing: { department: "d", rule: "r", reason: "<!subteam^S1> & co" },
        department: { key: "d", name: "<#C123>" },
        source: "<!channel>",
        owner: "<!channel>",
        suggestedOwner: "<!here>",
        handedOver: { from: "<!channel> & <@U1>", by: "<!here>", note: "<!channel> see <@U2>" },
        routedTo: "<#C9>",
      }),
    );
    expectWithinLimits(card);
    expectNoInjectedMarkup(card);
    expect(sectionText(card, CARD_BLOCK_IDS.text)).toContain(
      "&lt;!channel&gt; look &lt;@U123&gt; &amp;",
    );
    expect(card.text).toContain("&lt;!channel&gt;");
    expect(sectionText(card, CARD_BLOCK_IDS.status)).toContain("last owned by &lt;!here&gt;");
    expect(sectionText(card, CARD_BLOCK_IDS.handOver)).toBe(
      ":arrow_right_hook: Handed over from *&lt;!channel&gt; &amp; &lt;@U1&gt;* by &lt;!here&gt;\n> &lt;!channel&gt; see &lt;@U2&gt;",
    );
    const responded = buildComplaintCard(
      buildModel({ state: "responded", owner: "U1AB", responseUrl: "javascript:<!channel>" }),
    );
    expectNoInjectedMarkup(responded, ["<@U1AB>"]);
    expect(() => buildComplaintCard(buildModel({ state: "<@U1>" as ThreadState }))).not.toThrow();
    const unknown = buildComplaintCard(buildModel({ state: "<@U1>" as ThreadState }));
    expectNoInjectedMarkup(unknown);
    expect(buttons(unknown).map((b) => b.text.text)).toEqual(["Timeline"]);
  });

  it("shows an unsafe URL as text instead of a link", () => {
    for (const url of [
      "javascript:alert(1)",
      "https://a.example/x y",
      `https://a.example/${"x".repeat(3000)}`,
    ]) {
      const link = sectionText(buildComplaintCard(buildModel({ url })), CARD_BLOCK_IDS.link);
      expect(link).not.toContain("<");
      expect(link.length).toBeLessThan(400);
    }
  });

  it("keeps every Block Kit limit with huge inputs", () => {
    const card = buildComplaintCard(
      buildModel({
        text: "x".repeat(10_000),
        author: { handle: "h".repeat(500), name: "N".repeat(500), followers: 1e15, verified: true },
        metrics: { shares: 1e15, likes: 1e15, replies: 1e15 },
        priorityReasons: Array.from(
          { length: 40 },
          (_, i) => `rule "r${i}" set P1: ${"why ".repeat(50)}`,
        ),
        routing: { department: "d", rule: "r", reason: "because ".repeat(1000) },
        department: { key: "d", name: "D".repeat(1000) },
        source: "s".repeat(500),
        state: "responded",
        owner: "U0123ABCD",
        handedOver: { from: "M".repeat(5000), by: "U0123ABCD", note: "n".repeat(5000), at: NOW },
        routedTo: "R".repeat(5000),
        responseUrl: `https://a.example/${"r".repeat(1900)}`,
        dues: Array.from({ length: 40 }, (_, i) => ({
          kind: "resolution" as const,
          dueAt: new Date(NOW.getTime() + i * 86_400_000 * 40),
          breached: false,
        })),
        url: `https://a.example/${"p".repeat(1900)}`,
      }),
    );
    expectWithinLimits(card);
    expectNoInjectedMarkup(card, ["<@U0123ABCD>"]);
    expect(sectionText(card, CARD_BLOCK_IDS.text)).toMatch(
      /^> x{100}.* … _\(truncated; 10,000 characters in full\)_$/,
    );
    expect(sectionText(card, CARD_BLOCK_IDS.author)).toContain("N".repeat(79));
    expect(contextTexts(card, CARD_BLOCK_IDS.context)[1]).toMatch(/; and \d+ more$/);
    expect(sectionText(card, CARD_BLOCK_IDS.dues).split("\n")).toHaveLength(8);
  });

  it("never cuts an entity or an emoji in half", () => {
    for (const text of [
      "&".repeat(10_000),
      "<>".repeat(5_000),
      "😡".repeat(5_000),
      `a${"😡".repeat(5_000)}`,
    ]) {
      const card = buildComplaintCard(buildModel({ text }));
      expectWithinLimits(card);
      expectNoInjectedMarkup(card);
    }
  });

  it("keeps its limits and escapes for any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 4000 }), fc.string(), (text, name) => {
        const card = buildComplaintCard(buildModel({ text, author: { handle: name, name } }));
        expectWithinLimits(card);
        expectNoInjectedMarkup(card);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses a thread id that could not be parsed back", () => {
    expect(() => buildComplaintCard(buildModel({ threadId: "../x" }))).toThrow(RangeError);
  });
});

describe("buildFollowUpReply", () => {
  it("quotes the later message with who wrote it and when", () => {
    const reply = buildFollowUpReply({
      text: "Still no bag <!channel>",
      author: { handle: "jane", name: "Jane Doe" },
      url: "https://twitter.com/jane/status/2",
      postedAt: new Date("2015-02-24T20:00:00Z"),
      source: "twitter",
    });
    expect(contextTexts(reply, FOLLOW_UP_BLOCK_IDS.context)).toEqual([
      ":speech_balloon: Follow-up from *Jane Doe* (@jane) on *twitter* · <!date^1424808000^{date_short_pretty} {time}|2015-02-24T20:00:00Z>",
    ]);
    expect(sectionText(reply, FOLLOW_UP_BLOCK_IDS.text)).toBe("> Still no bag &lt;!channel&gt;");
    expect(sectionText(reply, FOLLOW_UP_BLOCK_IDS.link)).toContain(
      "<https://twitter.com/jane/status/2|",
    );
    expect(reply.text).toBe("Follow-up from @jane on twitter: Still no bag &lt;!channel&gt;");
    expectNoInjectedMarkup(reply);
  });

  it("keeps limits with huge inputs and no author", () => {
    const reply = buildFollowUpReply({ text: "<".repeat(10_000), source: "x".repeat(1000) });
    expectWithinLimits(reply);
    expectNoInjectedMarkup(reply);
    expect(contextTexts(reply, FOLLOW_UP_BLOCK_IDS.context)[0]).toContain("_unknown author_");
  });
});

describe("thread action ids", () => {
  it("round-trips thread ids through button values", () => {
    const threadId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/);
    fc.assert(
      fc.property(threadId, (id) => {
        expect(parseThreadAction(encodeThreadAction(id))).toBe(id);
      }),
    );
    expect(parseThreadAction(encodeThreadAction("42"))).toBe("42");
  });

  it("rejects values that are missing, foreign or malformed", () => {
    const bad = [
      undefined,
      null,
      42,
      "",
      "42",
      "thread:v1:",
      "thread:v1:../etc",
      "thread:v1:a b",
      `thread:v1:${"a".repeat(129)}`,
      "thread:v2:42",
    ];
    for (const value of bad) expect(parseThreadAction(value)).toBeNull();
    expect(() => encodeThreadAction("")).toThrow(RangeError);
    expect(() => encodeThreadAction("a/b")).toThrow(RangeError);
  });

  it("names each button by its action id", () => {
    const ids = Object.values(THREAD_ACTION_IDS);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [action, id] of Object.entries(THREAD_ACTION_IDS)) {
      expect(threadActionOf(id)).toBe(action);
      expect(id).toMatch(THREAD_ACTION_ID_PATTERN);
      expect(id.length).toBeLessThanOrEqual(255);
    }
    expect(threadActionOf("thread.unknown")).toBeNull();
    expect(THREAD_ACTION_ID_PATTERN.test("thread.claimx")).toBe(false);
  });

  it("keeps block ids unique and short", () => {
    const ids = [...Object.values(CARD_BLOCK_IDS), ...Object.values(FOLLOW_UP_BLOCK_IDS)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(255);
  });
});
