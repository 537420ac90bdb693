import { describe, expect, it } from "vitest";
import { computeFigures } from "../../src/domain/figures/compute-figures.ts";
import { type RenderContext, renderBlocks } from "../../src/sandbox/render/block-kit-html.ts";
import { messageBodyHtml } from "../../src/sandbox/render/message-html.ts";
import { buildAppHome } from "../../src/slack/views/app-home.ts";
import { buildCampaignCard } from "../../src/slack/views/campaign-card.ts";
import { buildCampaignModal } from "../../src/slack/views/campaign-modal.ts";
import type { CampaignModel } from "../../src/slack/views/campaign-text.ts";
import {
  buildComplaintCard,
  buildFollowUpReply,
  type ComplaintCardModel,
} from "../../src/slack/views/complaint-card.ts";
import { buildDigestMessage } from "../../src/slack/views/digest-message.ts";
import { buildDismissModal } from "../../src/slack/views/dismiss-modal.ts";
import { buildHandOverModal } from "../../src/slack/views/handover-modal.ts";
import { buildHeadsUpCard } from "../../src/slack/views/headsup-card.ts";
import { buildHelpMessage } from "../../src/slack/views/help-message.ts";
import { THREAD_ACTION_IDS } from "../../src/slack/views/ids.ts";
import { buildMineList } from "../../src/slack/views/mine-list.ts";
import { buildMovedCard } from "../../src/slack/views/moved-card.ts";
import { buildNudge } from "../../src/slack/views/nudge-message.ts";
import { buildAlreadyOwnedNotice } from "../../src/slack/views/private-notice.ts";
import { buildRespondedModal } from "../../src/slack/views/responded-modal.ts";
import { buildStatusMessage } from "../../src/slack/views/status-message.ts";
import { buildTimeline } from "../../src/slack/views/timeline.ts";

/** The sandbox's renderer on the bot's own views: every block drawn, every button clickable. */

const PEOPLE = [
  { id: "U0SBBAG001", name: "Ben Novak" },
  { id: "U0SBLEAD01", name: "Priya Shah" },
];

const ctx: RenderContext = {
  user: (id) => PEOPLE.find((p) => p.id === id)?.name,
  channel: (id) => ({ C0SBBAGGAGE: "sb-baggage" })[id],
  usergroup: () => undefined,
  people: () => PEOPLE,
  conversations: () => [{ id: "C0SBBAGGAGE", name: "sb-baggage" }],
  fileUrl: (id) => (id === "F1" ? "/files/F1" : undefined),
};

const NOW = new Date("2026-03-02T13:53:00Z");
const THREAD = "0b6f3c1e-8f7a-4d2b-9a41-5c2d7e9f0a13";

function card(overrides: Partial<ComplaintCardModel> = {}): ComplaintCardModel {
  return {
    threadId: THREAD,
    source: "twitter",
    text: "you lost my bag at ORD & nobody answers <script>alert(1)</script>",
    url: "https://twitter.com/jane/status/1",
    author: { handle: "jane", name: "Jane Doe", followers: 12_400, verified: true },
    priority: "P1",
    priorityReasons: ['rule "big-reach" raised 1'],
    department: { key: "baggage", name: "Baggage Services" },
    routing: { department: "baggage", rule: "lost-bag", reason: 'rule "lost-bag": phrase "bag"' },
    state: "open",
    dues: [{ kind: "claim", dueAt: new Date("2026-03-02T14:05:00Z"), breached: false }],
    now: NOW,
    timezone: "Europe/London",
    ...overrides,
  };
}

/** How many times `needle` occurs in `html`. */
function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

/** Each block gets exactly one wrapper, and none is left undrawn. */
function expectEveryBlockDrawn(html: string, blocks: readonly unknown[]): void {
  expect(count(html, 'class="bk-block ')).toBe(blocks.length);
  expect(html).not.toContain("not drawn by the sandbox");
}

describe("the sandbox's Block Kit renderer on the complaint card", () => {
  it("draws every block of an open card: fields, context, due dates and its buttons", () => {
    const message = buildComplaintCard(card());
    const html = messageBodyHtml(message, ctx);
    expectEveryBlockDrawn(html, message.blocks);
    expect(html).toContain('<div class="bk-fields">');
    expect(count(html, 'class="bk-field"')).toBe(4);
    expect(html).toContain("bk-block bk-context");
    // Slack's date token: the page formats it in the viewer's zone; the fallback is there meanwhile.
    expect(html).toMatch(
      /<time class="sb-date" data-ts="\d+" data-format="\{date_short_pretty\} \{time\}"/,
    );
    // The buttons of an open card, with the thread in their value and Claim styled primary.
    for (const action of [
      "claim",
      "handOver",
      "responded",
      "resolve",
      "dismiss",
      "timeline",
    ] as const) {
      expect(html).toContain(`data-action-id="${THREAD_ACTION_IDS[action]}"`);
    }
    expect(html).toMatch(/class="bk-el bk-button bk-primary"[^>]*data-action-id="thread\.claim"/);
    expect(html).toContain(`data-value="thread:v1:${THREAD}"`);
  });

  it("asks Dismiss's confirmation with Slack's wording and style", () => {
    const html = messageBodyHtml(buildComplaintCard(card()), ctx);
    const dismiss = /<button[^>]*data-action-id="thread\.dismiss"[^>]*>/.exec(html)?.[0] ?? "";
    expect(dismiss).toContain("bk-danger");
    const confirm = /data-confirm="([^"]*)"/.exec(dismiss)?.[1] ?? "";
    const decoded = JSON.parse(
      confirm
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, "&"),
    );
    expect(decoded).toMatchObject({
      title: "Dismiss this complaint?",
      confirm: "Dismiss",
      deny: "Keep it",
      style: "danger",
    });
  });

  it("shows the customer's words as words: escaped once, never as markup", () => {
    const html = messageBodyHtml(buildComplaintCard(card()), ctx);
    expect(html).toContain(
      "<blockquote>you lost my bag at ORD &amp; nobody answers &lt;script&gt;alert(1)&lt;/script&gt;</blockquote>",
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("&amp;amp;");
  });

  it("names the owner of a claimed card, and shows its new buttons", () => {
    const html = messageBodyHtml(
      buildComplaintCard(card({ state: "claimed", owner: "U0SBBAG001" })),
      ctx,
    );
    expect(html).toContain('<span class="mention" data-user="U0SBBAG001">@Ben Novak</span>');
    expect(html).not.toContain('data-action-id="thread.claim"');
    expect(html).toMatch(/bk-primary"[^>]*data-action-id="thread\.responded"/);
  });

  it("draws a follow-up, the moved card, a nudge, a private notice, the timeline, help and /switchboard mine", () => {
    const messages = [
      buildFollowUpReply({
        text: "Still nothing",
        source: "twitter",
        author: { handle: "jane" },
        postedAt: NOW,
      }),
      buildMovedCard({
        from: "Baggage Services",
        to: "Bookings",
        link: "https://x.slack.com/archives/C1/p1",
      }),
      buildNudge({
        threadId: THREAD,
        step: "breach",
        clockKind: "firstResponse",
        dueAt: NOW,
        now: NOW,
        timezone: "Europe/London",
        department: { name: "Baggage Services" },
        priority: "P1",
        excerpt: "lost bag",
        mention: ["U0SBLEAD01"],
      }),
      buildAlreadyOwnedNotice({
        owner: "U0SBBAG001",
        since: NOW,
        now: NOW,
        timezone: "Europe/London",
      }),
      buildTimeline(
        [
          { at: NOW, actor: "intake", kind: "thread.opened", details: {} },
          { at: NOW, actor: "slack:U0SBBAG001", kind: "claim", details: {} },
        ],
        "Europe/London",
      ),
      buildHelpMessage(),
      buildMineList(
        [
          {
            threadId: THREAD,
            department: "Baggage Services",
            priority: "P1",
            state: "claimed",
            excerpt: "lost bag",
            dueText: "soon",
          },
        ],
        NOW,
      ),
    ];
    for (const message of messages) {
      const html = messageBodyHtml(message, ctx);
      expectEveryBlockDrawn(html, message.blocks);
      expect(html).not.toMatch(/&lt;[@#!]/); // no mention or date token left as raw text
    }
    const nudge = messageBodyHtml(messages[2] as (typeof messages)[number], ctx);
    expect(nudge).toContain("@Priya Shah");
    const moved = messageBodyHtml(messages[1] as (typeof messages)[number], ctx);
    expect(moved).toContain(
      '<a href="https://x.slack.com/archives/C1/p1" target="_blank" rel="noopener noreferrer">Bookings</a>',
    );
  });
});

describe("the sandbox's Block Kit renderer on the bot's modals", () => {
  const metadata = { threadId: THREAD, channelId: "C0SBBAGGAGE", messageTs: "1.000001" };

  it("draws the hand-over modal's inputs: a people picker, a department picker and a note", () => {
    const view = buildHandOverModal({
      metadata,
      excerpt: "lost bag",
      departments: [
        { key: "baggage", name: "Baggage Services" },
        { key: "bookings", name: "Bookings & Refunds" },
      ],
      currentDepartment: "baggage",
    });
    const html = renderBlocks(view.blocks, ctx, "modal");
    expectEveryBlockDrawn(html, view.blocks);
    expect(count(html, 'class="bk-block bk-input"')).toBe(3);
    expect(html).toMatch(
      /<select class="bk-el bk-select" data-type="users_select"[^>]*data-action-id="handover\.person\.select"/,
    );
    expect(html).toContain('<option value="U0SBLEAD01">Priya Shah</option>');
    expect(html).toContain('<option value="bookings">Bookings &amp; Refunds</option>');
    expect(html).not.toContain('<option value="baggage">');
    expect(html).toMatch(/<textarea class="bk-el bk-text-input"[^>]*maxlength="1000"/);
    expect(count(html, '<span class="bk-optional">(optional)</span>')).toBe(3);
    expect(html).toContain("The thread goes back to open in that department");
    // Where errors from a view_submission ack are shown, one per input.
    expect(count(html, 'class="bk-error" data-error-for=')).toBe(3);
  });

  it("draws the dismiss modal's required radio buttons and the responded modal's URL and checkbox", () => {
    const dismiss = buildDismissModal({ metadata, excerpt: "spam" });
    const dismissHtml = renderBlocks(dismiss.blocks, ctx, "modal");
    expectEveryBlockDrawn(dismissHtml, dismiss.blocks);
    expect(dismissHtml).toContain('data-type="radio_buttons"');
    expect(count(dismissHtml, 'type="radio"')).toBe(4);
    expect(dismissHtml).toContain('data-optional="0"');
    const responded = buildRespondedModal({ metadata, excerpt: "thanks" });
    const respondedHtml = renderBlocks(responded.blocks, ctx, "modal");
    expectEveryBlockDrawn(respondedHtml, responded.blocks);
    expect(respondedHtml).toContain('type="url"');
    expect(respondedHtml).toContain('type="checkbox"');
  });
});

describe("the sandbox's Block Kit renderer on campaigns", () => {
  const departments = [
    { key: "baggage", name: "Baggage Services" },
    { key: "bookings", name: "Bookings & Refunds" },
  ];
  const campaign: CampaignModel = {
    id: "0b8e5a52-4c1e-4d0e-9a55-1f2b3c4d5e6f",
    name: "Spring fare sale",
    launchAt: new Date(NOW.getTime() + 3_600_000),
    endAt: new Date(NOW.getTime() + 86_400_000),
    status: "upcoming",
    late: false,
    noticeMs: 3_600_000,
    minimumNoticeMs: 600_000,
    channels: ["Email"],
    keywords: ["SPRING25"],
    owner: "U0SBLEAD01",
    departments: [
      { key: "baggage", name: "Baggage Services", active: true, leads: ["U0SBLEAD01"] },
    ],
    linked: 0,
    now: NOW,
  };

  it("draws the heads-up modal's date-time pickers, multi-selects, number, URL and people inputs", () => {
    const view = buildCampaignModal({
      mode: "announce",
      departments,
      metadata: {},
      initial: { owner: "U0SBLEAD01" },
      linkTailMs: 72 * 3_600_000,
    });
    const html = renderBlocks(view.blocks, ctx, "modal");
    expectEveryBlockDrawn(html, view.blocks);
    for (const type of [
      "datetimepicker",
      "multi_static_select",
      "number_input",
      "url_text_input",
      "users_select",
    ]) {
      expect(html, type).toContain(`data-type="${type}"`);
    }
    expect(html).toContain('<option value="U0SBLEAD01" selected>Priya Shah</option>');
  });

  it("draws the heads-up card with its Acknowledge button, and marketing's campaign card", () => {
    for (const message of [buildHeadsUpCard(campaign, "baggage"), buildCampaignCard(campaign)]) {
      const html = messageBodyHtml(message, ctx);
      expectEveryBlockDrawn(html, message.blocks);
      expect(html).not.toMatch(/&lt;[@#!]/);
    }
    expect(messageBodyHtml(buildHeadsUpCard(campaign, "baggage"), ctx)).toMatch(
      /bk-primary"[^>]*>Acknowledge</,
    );
  });
});

describe("the sandbox's Block Kit renderer on the App Home and digests", () => {
  const figures = computeFigures({
    from: new Date("2026-11-30T08:00:00Z"),
    to: NOW,
    now: NOW,
    timezone: "Europe/London",
    calendars: {},
    windows: { P3: { claimMs: 3_600_000, firstResponseMs: 4 * 3_600_000 } },
    firstWarningAt: 0.5,
    threads: [],
    complaints: [],
    events: [],
    breaches: [],
    departments: ["baggage"],
  });
  const status = {
    database: { kind: "pglite", ok: true },
    delivery: {
      pending: 0,
      oldestPendingAt: null,
      failed: 1,
      failures: [
        {
          id: 7,
          kind: "card.post",
          channel: "#sb-x",
          to: "#sb-x",
          about: null,
          lastError: "channel_not_found",
          createdAt: NOW,
        },
      ],
    },
    timers: [{ subjectType: "thread", pending: 2, nextDue: NOW }],
    slackSetup: {
      open: 2,
      problems: [
        {
          kind: "channel_archived",
          subject: "C0BAGGAGE",
          label: "#sb-baggage",
          affects: "Baggage Services",
          configKey: "departments[0].channel",
          firstSeen: NOW,
          count: 1,
        },
        {
          kind: "user_deactivated",
          subject: "U0EXEC001",
          label: null,
          affects: "Ana Ruiz",
          configKey: "executives[0].user",
          firstSeen: NOW,
          count: 2,
        },
      ],
    },
  };

  it("draws every role's Home: threads with buttons, the executive's chart from its uploaded file, the admin's Retry", () => {
    const view = buildAppHome({
      user: "U0SBLEAD01",
      now: NOW,
      mine: [
        {
          threadId: THREAD,
          departmentName: "Baggage Services",
          priority: "P1",
          state: "claimed",
          excerpt: "lost bag",
          channel: "C0SBBAGGAGE",
        },
      ],
      unclaimed: [],
      names: { baggage: "Baggage Services" },
      lead: { departments: [{ department: "baggage", name: "Baggage Services" }], today: figures },
      executive: {
        today: figures,
        chart: { fileId: "F1", altText: "SLA compliance by department" },
      },
      admin: { status, configLines: ["*Departments:* baggage"] },
    });
    const html = renderBlocks(view.blocks, ctx, "home");
    expectEveryBlockDrawn(html, view.blocks);
    expect(html).toContain(
      '<img class="bk-image" src="/files/F1" alt="SLA compliance by department"',
    );
    expect(html).toContain('data-action-id="home.retry"');
    expect(html).toContain(`data-value="thread:v1:${THREAD}"`);
    expect(html).toContain("#sb-baggage");
  });

  it("draws the digest and /switchboard status", () => {
    for (const message of [
      buildDigestMessage({
        figures,
        changes: null,
        names: { baggage: "Baggage Services" },
        links: new Map(),
      }),
      buildStatusMessage(status, NOW),
    ]) {
      const html = messageBodyHtml(message, ctx);
      expectEveryBlockDrawn(html, message.blocks);
      expect(html).not.toMatch(/&lt;[@#!]/);
    }
  });
});

describe("the sandbox's Block Kit renderer on every block and element type", () => {
  const plain = (text: string) => ({ type: "plain_text", text, emoji: true });
  const options = [
    { text: plain("One"), value: "1" },
    { text: plain("Two"), value: "2", description: plain("the second") },
  ];
  const blocks = [
    { type: "header", block_id: "h", text: plain("Daily digest :bar_chart:") },
    { type: "divider", block_id: "d" },
    {
      type: "image",
      block_id: "img",
      image_url: "https://example.com/c.png",
      alt_text: "chart",
      title: plain("Chart"),
    },
    { type: "image", block_id: "file", slack_file: { id: "F1" }, alt_text: "uploaded chart" },
    {
      type: "context",
      block_id: "c",
      elements: [
        { type: "image", image_url: "https://example.com/a.png", alt_text: "a" },
        { type: "mrkdwn", text: "*ctx*" },
      ],
    },
    {
      type: "section",
      block_id: "acc",
      text: { type: "mrkdwn", text: "pick" },
      accessory: { type: "overflow", action_id: "ov", options },
    },
    {
      type: "section",
      block_id: "acc2",
      text: { type: "mrkdwn", text: "img" },
      accessory: { type: "image", image_url: "https://example.com/t.png", alt_text: "thumb" },
    },
    {
      type: "actions",
      block_id: "a",
      elements: [
        { type: "button", action_id: "b1", text: plain("Open"), url: "https://example.com" },
        {
          type: "static_select",
          action_id: "s1",
          placeholder: plain("Choose"),
          option_groups: [{ label: plain("G"), options }],
        },
        { type: "datepicker", action_id: "dp", initial_date: "2026-03-02" },
        { type: "checkboxes", action_id: "cb", options, initial_options: [options[1]] },
      ],
    },
    {
      type: "rich_text",
      block_id: "rt",
      elements: [
        {
          type: "rich_text_section",
          elements: [
            { type: "text", text: "bold", style: { bold: true } },
            { type: "user", user_id: "U0SBBAG001" },
            { type: "emoji", name: "tada" },
            { type: "broadcast", range: "here" },
            { type: "date", timestamp: 1772459580, format: "{date_short}", fallback: "Mar 2" },
          ],
        },
        {
          type: "rich_text_list",
          style: "ordered",
          elements: [
            {
              type: "rich_text_section",
              elements: [{ type: "link", url: "https://example.com", text: "a link" }],
            },
          ],
        },
        { type: "rich_text_preformatted", elements: [{ type: "text", text: "code()" }] },
        { type: "rich_text_quote", elements: [{ type: "channel", channel_id: "C0SBBAGGAGE" }] },
      ],
    },
    { type: "markdown", block_id: "md", text: "## Title\n- **one**\n- two" },
    {
      type: "input",
      block_id: "i1",
      label: plain("When"),
      element: { type: "datetimepicker", action_id: "dt", initial_date_time: 1772459580 },
    },
    {
      type: "input",
      block_id: "i2",
      label: plain("Who"),
      element: { type: "multi_users_select", action_id: "mu", initial_users: ["U0SBLEAD01"] },
    },
    {
      type: "input",
      block_id: "i3",
      label: plain("Which"),
      element: {
        type: "multi_static_select",
        action_id: "ms",
        options,
        initial_options: [options[0]],
      },
    },
    {
      type: "input",
      block_id: "i4",
      label: plain("How many"),
      element: { type: "number_input", action_id: "n", is_decimal_allowed: false, min_value: "0" },
    },
    {
      type: "input",
      block_id: "i5",
      label: plain("Channel"),
      element: { type: "conversations_select", action_id: "cs" },
    },
    {
      type: "input",
      block_id: "i6",
      label: plain("Time"),
      element: { type: "timepicker", action_id: "tp", initial_time: "09:30" },
    },
    {
      type: "input",
      block_id: "i7",
      label: plain("Email"),
      element: { type: "email_text_input", action_id: "em" },
    },
    {
      type: "input",
      block_id: "i8",
      label: plain("Notes"),
      dispatch_action: true,
      element: { type: "rich_text_input", action_id: "rti" },
    },
  ];

  it("draws each without falling back to 'not drawn'", () => {
    const html = renderBlocks(blocks, ctx, "modal");
    expectEveryBlockDrawn(html, blocks);
    expect(html).toContain('<img class="bk-image" src="https://example.com/c.png" alt="chart"');
    expect(html).toContain('src="/files/F1"'); // an uploaded file, served by the page
    expect(html).toContain("bk-context-image");
    expect(html).toContain("bk-accessory-image");
    expect(html).toContain('class="bk-overflow-option" data-option-value="2"');
    expect(html).toMatch(/data-url="https:\/\/example.com"/);
    expect(html).toContain('<optgroup label="G">');
    expect(html).toContain('type="date" value="2026-03-02"');
    expect(html).toMatch(/<input type="checkbox" name="choice-\d+" value="2" checked>/);
    expect(html).toContain("<b>bold</b>");
    expect(html).toContain("@Ben Novak");
    expect(html).toContain("🎉");
    expect(html).toContain('<span class="mention broadcast">@here</span>');
    expect(html).toContain('data-format="{date_short}"');
    expect(html).toContain('<ol class="rt-list rt-indent-0">');
    expect(html).toContain("<pre>code()</pre>");
    expect(html).toContain("#sb-baggage");
    expect(html).toContain("<h4>Title</h4>");
    expect(html).toContain("<li><b>one</b></li>");
    expect(html).toContain('type="datetime-local" data-initial="1772459580"');
    expect(html).toMatch(
      /<select class="bk-el bk-select bk-multi" data-type="multi_users_select"[^>]* multiple>/,
    );
    expect(html).toContain('<option value="U0SBLEAD01" selected>Priya Shah</option>');
    expect(html).toMatch(/data-type="number_input"[^>]*type="number" step="1" min="0"/);
    expect(html).toContain('<option value="C0SBBAGGAGE">#sb-baggage</option>');
    expect(html).toContain('type="time" value="09:30"');
    expect(html).toContain('type="email"');
    expect(html).toMatch(/data-action-id="rti"[^>]*data-dispatch="1"/);
    // Elements in actions blocks and accessories send block_actions at once; modal inputs wait.
    expect(html).toMatch(/data-action-id="s1"[^>]*data-dispatch="1"/);
    expect(html).not.toMatch(/data-action-id="ms"[^>]*data-dispatch/);
  });

  it("says plainly when it meets a block it does not know, instead of dropping it", () => {
    const html = renderBlocks([{ type: "table", block_id: "t" }], ctx, "message");
    expect(html).toContain("This block (table) is not drawn by the sandbox.");
  });
});
