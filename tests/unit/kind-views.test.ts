import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { POST_KINDS } from "../../src/domain/post-kinds.ts";
import {
  buildComplaintCard,
  type ComplaintCardModel,
} from "../../src/slack/views/complaint-card.ts";
import {
  encodeKindChoice,
  KIND_SELECT_ACTION_ID,
  parseKindChoice,
} from "../../src/slack/views/ids.ts";
import { buildKindNote, buildMovedNote } from "../../src/slack/views/kind-note.ts";
import { buildKindRollup, MAX_ROLLUP_ITEMS } from "../../src/slack/views/kind-rollup.ts";
import { buildMovedCard } from "../../src/slack/views/moved-card.ts";
import { describeEvent } from "../../src/slack/views/timeline.ts";
import { messageBlockProblems } from "../../src/slack-double/index.ts";

const THREAD = "0b6f3c1e-8f7a-4d2b-9a41-5c2d7e9f0a13";
const NOW = new Date("2026-03-02T13:53:00Z");

function card(overrides: Partial<ComplaintCardModel> = {}): ComplaintCardModel {
  return {
    threadId: THREAD,
    source: "twitter",
    text: "@SkylineAir what time does the bag drop open at Gatwick?",
    author: { handle: "jane" },
    priority: "P3",
    priorityReasons: [],
    department: { key: "service", name: "Customer Service" },
    routing: { department: "service", rule: null, reason: "no rule matched; default department" },
    state: "open",
    dues: [{ kind: "firstResponse", dueAt: new Date("2026-03-02T17:53:00Z"), breached: false }],
    now: NOW,
    timezone: "Europe/London",
    kind: { kind: "question", reason: 'rule "questions": pattern /\\?/' },
    ...overrides,
  };
}

/** Every element of every actions block, and every section's accessory. */
function controls(blocks: unknown[]): Array<Record<string, unknown>> {
  return (blocks as Array<Record<string, unknown>>).flatMap((b) => [
    ...((b.elements as Array<Record<string, unknown>> | undefined) ?? []).filter(
      (e) => "action_id" in e,
    ),
    ...(b.accessory ? [b.accessory as Record<string, unknown>] : []),
  ]);
}

describe("the kind on a card", () => {
  it("names the kind in the headline and fields, says why, and offers a picker set to it", () => {
    const message = buildComplaintCard(card());
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain("new question on *twitter*");
    expect(shown).toContain("*Kind*\\n:question: Question");
    expect(shown).toContain('*Kind:* rule \\"questions\\": pattern');
    const picker = controls(message.blocks).find((c) => c.action_id === KIND_SELECT_ACTION_ID);
    expect(picker?.type).toBe("static_select");
    const initial = picker?.initial_option as { value: string };
    expect(parseKindChoice(initial.value)).toEqual({ kind: "question", threadId: THREAD });
    expect(picker?.options).toHaveLength(POST_KINDS.length);
    expect(messageBlockProblems(message.blocks)).toEqual([]);
  });

  it("keeps a card without a kind exactly as it was (no picker)", () => {
    const message = buildComplaintCard(card({ kind: undefined }));
    expect(controls(message.blocks).some((c) => c.action_id === KIND_SELECT_ACTION_ID)).toBe(false);
    expect(JSON.stringify(message.blocks)).toContain("new complaint on");
  });
});

describe("a kind note (a post kept off the desk)", () => {
  it("shows who said what and why it is off the desk, with the picker and the timeline", () => {
    const message = buildKindNote({
      threadId: THREAD,
      source: "twitter",
      text: "@SkylineAir thank you Priya at Gatwick, you made our day <3",
      url: "https://x.com/jane/status/1",
      author: { handle: "@jane", name: "Jane Doe" },
      department: { name: "Customer Service" },
      kind: { kind: "praise", reason: 'rule "thanks-and-compliments": phrase "thank you"' },
      followUps: 2,
    });
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain(
      ":tada: Praise on *twitter* from *Jane Doe* (@jane) · for Customer Service",
    );
    expect(shown).toContain("No SLA clocks, not on the desk");
    expect(shown).toContain("2 later messages");
    expect(shown).toContain("&lt;3");
    expect(controls(message.blocks).map((c) => c.action_id)).toEqual([
      KIND_SELECT_ACTION_ID,
      "thread.timeline",
    ]);
    expect(message.text).toBe(
      "Praise from @jane on twitter: @SkylineAir thank you Priya at Gatwick, you made our day &lt;3",
    );
    expect(messageBlockProblems(message.blocks)).toEqual([]);
  });

  it("becomes a link to the desk card once its post is put on the desk", () => {
    const moved = buildMovedNote({
      kind: "a complaint",
      department: "Baggage",
      link: "https://slack.example/p1",
    });
    expect(moved.text).toBe(
      ":arrow_right: Marked a complaint and moved to <https://slack.example/p1|Baggage's desk>. Follow it there.",
    );
    expect(messageBlockProblems(moved.blocks)).toEqual([]);
  });

  it("says the desk card was deleted in Slack where its link would be", () => {
    const moved = buildMovedNote({
      kind: "a complaint",
      department: "Baggage",
      missingCard: "deleted",
    });
    expect(moved.text).toBe(
      ":arrow_right: Marked a complaint and moved to Baggage's desk (card deleted in Slack). Follow it there.",
    );
    const card = buildMovedCard({ from: "Service", to: "Baggage", missingCard: "deleted" });
    expect(card.text).toBe(
      ":arrow_right: Handed over from Service to Baggage (card deleted in Slack). Follow it there.",
    );
  });
});

describe("the daily roll-up", () => {
  const item = (i: number) => ({
    threadId: `thread-${i}`,
    kind: "other" as const,
    source: "twitter",
    text: `RT @SkylineAir: new route number ${i}`,
    authorHandle: `fan${i}`,
    department: "Customer Service",
  });

  it("counts every post by kind and department, lists the latest, and stays within Slack's limits", () => {
    const message = buildKindRollup({
      kinds: ["other"],
      periodStart: new Date("2026-03-01T17:00:00Z"),
      periodEnd: new Date("2026-03-02T17:00:00Z"),
      counts: [
        { kind: "other", department: "Baggage", threads: 5 },
        { kind: "other", department: "Customer Service", threads: 30 },
      ],
      items: Array.from({ length: 30 }, (_, i) => item(i)),
    });
    const shown = JSON.stringify(message.blocks);
    expect(message.text).toBe("Daily roll-up: 35 other posts");
    expect(shown).toContain(
      "35 posts kept off the desk. *Other* 35 (Baggage 5, Customer Service 30)",
    );
    expect(
      controls(message.blocks).filter((c) => c.action_id === KIND_SELECT_ACTION_ID),
    ).toHaveLength(MAX_ROLLUP_ITEMS);
    expect(shown).toContain("15 older posts are not listed here");
    expect(messageBlockProblems(message.blocks)).toEqual([]);
  });

  it("continues on further messages, so every post of a busy day can be reached", () => {
    const second = buildKindRollup({
      kinds: ["other"],
      periodStart: new Date("2026-03-01T17:00:00Z"),
      periodEnd: new Date("2026-03-02T17:00:00Z"),
      counts: [{ kind: "other", department: "Customer Service", threads: 45 }],
      items: Array.from({ length: 5 }, (_, i) => item(40 + i)),
      page: { index: 2, of: 3 },
    });
    expect(second.text).toBe("Daily roll-up (3 of 3): 45 other posts");
    const shown = JSON.stringify(second.blocks);
    expect(shown).not.toContain("kept off the desk."); // the counts are on the first message
    expect(shown).not.toContain("not listed here"); // 40 + 5 = every post listed
    expect(controls(second.blocks)).toHaveLength(5);
    expect(messageBlockProblems(second.blocks)).toEqual([]);
  });

  it("says so when nothing was kept off the desk", () => {
    const message = buildKindRollup({
      kinds: ["praise", "other"],
      periodStart: new Date("2026-03-01T17:00:00Z"),
      periodEnd: new Date("2026-03-02T17:00:00Z"),
      counts: [],
      items: [],
    });
    expect(message.text).toBe("Daily roll-up: no praise and other posts");
    expect(messageBlockProblems(message.blocks)).toEqual([]);
  });

  it("is a plain roll-up, not a daily one, when it runs on a cron schedule", () => {
    const message = buildKindRollup({
      kinds: ["other"],
      periodStart: new Date("2026-03-01T17:00:00Z"),
      periodEnd: new Date("2026-03-01T17:15:00Z"),
      counts: [{ kind: "other", department: "Customer Service", threads: 1 }],
      items: [item(0)],
      daily: false,
    });
    expect(message.text).toBe("Roll-up: 1 other post");
    expect(JSON.stringify(message.blocks)).toContain(":clipboard: *Roll-up: other*");
  });
});

describe("kind choices", () => {
  it("round-trip through an option value, and reject anything forged", () => {
    fc.assert(
      fc.property(fc.constantFrom(...POST_KINDS), fc.uuid(), (kind, threadId) => {
        const value = encodeKindChoice(kind, threadId);
        expect(value.length).toBeLessThanOrEqual(150); // Slack's limit on an option value
        expect(parseKindChoice(value)).toEqual({ kind, threadId });
      }),
    );
    expect(parseKindChoice("kind:v1:praise:")).toBeNull();
    expect(parseKindChoice("kind:v1::abc")).toBeNull();
    expect(parseKindChoice("thread:v1:abc")).toBeNull();
    expect(() => encodeKindChoice("praise", "bad id with spaces")).toThrow(RangeError);
  });
});

describe("kinds in the timeline", () => {
  const at = new Date("2026-03-02T13:53:00Z");
  it("says when a thread opened as something other than a complaint, and who changed its kind", () => {
    expect(
      describeEvent({
        at,
        actor: "intake",
        kind: "thread.opened",
        details: { department: "service", priority: "P3", kind: "praise" },
      }),
    ).toBe("opened in service as P3 praise");
    expect(
      describeEvent({
        at,
        actor: "slack:U0ALICE",
        kind: "thread.kind_changed",
        details: { from: "praise", to: "complaint" },
      }),
    ).toBe("marked complaint (was praise) by <@U0ALICE>");
    expect(
      describeEvent({
        at,
        actor: "system",
        kind: "thread.kind_changed",
        details: {
          from: "praise",
          to: "question",
          reason: 'the customer wrote again: rule "questions"',
        },
      }),
    ).toBe('marked question (was praise): the customer wrote again: rule "questions"');
  });
});
