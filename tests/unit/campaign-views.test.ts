import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCampaignCard } from "../../src/slack/views/campaign-card.ts";
import { buildCampaignList } from "../../src/slack/views/campaign-list.ts";
import {
  buildAnnouncedModal,
  buildCampaignModal,
  buildEditedModal,
} from "../../src/slack/views/campaign-modal.ts";
import {
  buildCancelled,
  buildChanged,
  buildEndSummary,
  buildLateAlert,
  buildLaunchReport,
  buildLiveNow,
  buildOwnerNotice,
  buildReminder,
  buildRemoved,
  buildSpikeAlert,
  buildTalkingPoints,
} from "../../src/slack/views/campaign-notes.ts";
import {
  campaignModalErrors,
  campaignSubmissionBody,
} from "../../src/slack/views/campaign-submission.ts";
import type { CampaignModel } from "../../src/slack/views/campaign-text.ts";
import { buildComplaintCard } from "../../src/slack/views/complaint-card.ts";
import { buildHeadsUpCard } from "../../src/slack/views/headsup-card.ts";
import {
  CAMPAIGN_ACTION_IDS,
  encodeCampaignValue,
  CAMPAIGN_INPUTS as IN,
  parseCampaignModalMetadata,
  parseCampaignValue,
} from "../../src/slack/views/ids.ts";
import { messageBlockProblems, modalViewProblems } from "../../src/slack-double/index.ts";

const HOUR = 3_600_000;
const NOW = new Date("2026-11-24T10:00:00Z");
const ID = "0b8e5a52-4c1e-4d0e-9a55-1f2b3c4d5e6f";
/** Linked until linkTail (72 h) after the model's end. */
const TAIL_END = new Date(NOW.getTime() + (240 + 72) * HOUR);

function model(over: Partial<CampaignModel> = {}): CampaignModel {
  return {
    id: ID,
    name: "Spring fare sale",
    description: "20% off European fares",
    launchAt: new Date(NOW.getTime() + 72 * HOUR),
    endAt: new Date(NOW.getTime() + 240 * HOUR),
    status: "upcoming",
    late: false,
    noticeMs: 72 * HOUR,
    minimumNoticeMs: 48 * HOUR,
    channels: ["Email", "Social"],
    audienceSize: 16_000,
    expectedVolume: 140,
    keywords: ["SPRING25", "#springsale"],
    talkingPoints: "New bookings only.",
    faqUrl: "https://skyline.example/faq",
    owner: "U0OWNER",
    announcedBy: "U0MARKET",
    departments: [
      {
        key: "service",
        name: "Customer Service",
        active: true,
        leads: ["U0LEAD"],
        acknowledgedBy: "U0ALICE",
        acknowledgedAt: NOW,
      },
      { key: "baggage", name: "Baggage", active: true, leads: ["U0LEAD"], usergroup: "S0BAG" },
      { key: "pr", name: "Press", active: false, leads: [] },
    ],
    linked: 12,
    now: NOW,
    ...over,
  };
}

const shown = (m: { text: string; blocks: unknown[] }) => JSON.stringify(m.blocks) + m.text;
function valid(message: { text: string; blocks: unknown[] }) {
  expect(messageBlockProblems(message.blocks)).toEqual([]);
  expect(message.text.length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(3000);
}

describe("the heads-up card", () => {
  it("shows what, when, reach, keywords, talking points, FAQ and owner, with Acknowledge until someone did", () => {
    const card = buildHeadsUpCard(model(), "baggage");
    valid(card);
    const text = shown(card);
    expect(text).toContain("Heads-up: Spring fare sale");
    expect(text).toContain(`<!date^${(NOW.getTime() + 72 * HOUR) / 1000}^`);
    // The notification's preview, which cannot show the date token: a time with its zone.
    expect(card.text).toBe("Heads-up for Baggage: Spring fare sale launches 10:00 Friday UTC");
    expect(text).toContain("16,000");
    expect(text).toContain("`SPRING25`");
    expect(text).toContain("New bookings only.");
    expect(text).toContain("https://skyline.example/faq|Campaign FAQ");
    expect(text).toContain("<@U0OWNER>");
    expect(text).toContain(CAMPAIGN_ACTION_IDS.acknowledge);
    expect(text).toContain(encodeCampaignValue(ID, "baggage"));
    const acked = shown(buildHeadsUpCard(model(), "service"));
    expect(acked).toContain("acknowledged by <@U0ALICE>");
    expect(acked).not.toContain(CAMPAIGN_ACTION_IDS.acknowledge);
  });

  it("says late, cancelled or removed, without a button, and never a countdown", () => {
    expect(
      shown(buildHeadsUpCard(model({ late: true, noticeMs: 20 * HOUR }), "baggage")),
    ).toContain("Late notice:* only 20 h before launch (minimum notice 2 days)");
    const cancelled = shown(buildHeadsUpCard(model({ status: "cancelled" }), "baggage"));
    expect(cancelled).toContain("Cancelled");
    expect(cancelled).not.toContain(CAMPAIGN_ACTION_IDS.acknowledge);
    expect(cancelled).toContain(`<!date^${(NOW.getTime() + 72 * HOUR) / 1000}^`);
    expect(cancelled).not.toContain("(in 3 days)");
    const removed = shown(buildHeadsUpCard(model(), "pr"));
    expect(removed).toContain("but *Press* was removed from this campaign.");
    expect(removed).toContain("no longer affects *Press*");
    expect(removed).not.toContain("it affects *Press*");
    expect(removed).not.toContain(CAMPAIGN_ACTION_IDS.acknowledge);
    // Nothing updates a removed department's heads-up again: no countdown to go stale.
    expect(removed).toContain(`<!date^${(NOW.getTime() + 72 * HOUR) / 1000}^`);
    expect(removed).not.toContain("(in 3 days)");
    // Nor while it is current: Slack draws the date token for each reader when they look.
    expect(shown(buildHeadsUpCard(model(), "baggage"))).not.toContain("(in 3 days)");
  });

  it("escapes what marketing wrote and stays within Slack's limits however long it is", () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.string({ maxLength: 4000 }),
        fc.array(fc.string({ minLength: 1, maxLength: 100 }), { maxLength: 50 }),
        (name, talk, keywords) => {
          const m = model({
            name: name || "x",
            description: talk,
            talkingPoints: talk || undefined,
            keywords,
          });
          for (const message of [
            buildHeadsUpCard(m, "baggage"),
            buildCampaignCard(m),
            buildTalkingPoints(m),
          ])
            valid(message);
        },
      ),
      { numRuns: 60 },
    );
    // The header is plain_text, which Slack never parses; every mrkdwn text must be escaped.
    const card = buildHeadsUpCard(
      model({ name: "<!channel> sale", talkingPoints: "<@U1> & co" }),
      "baggage",
    );
    const sneaky = JSON.stringify(card.blocks.filter((b) => b.type !== "header")) + card.text;
    expect(sneaky).not.toContain("<!channel>");
    expect(sneaky).toContain("&lt;@U1&gt; &amp; co");
  });
});

describe("the campaign card", () => {
  it("shows each department's acknowledgement and the linked complaints, with Edit and Cancel", () => {
    const card = buildCampaignCard(model());
    valid(card);
    const text = shown(card);
    expect(text).toContain("1 of 2 acknowledged");
    expect(text).toContain("*Customer Service*: :white_check_mark: acknowledged by <@U0ALICE>");
    expect(text).toContain("*Baggage*: :hourglass_flowing_sand: waiting");
    expect(text).not.toContain("Press");
    expect(text).toContain("*Linked complaints*\\n12");
    expect(text).toContain(CAMPAIGN_ACTION_IDS.edit);
    expect(text).toContain(CAMPAIGN_ACTION_IDS.cancel);
    for (const status of ["ended", "cancelled"] as const)
      expect(shown(buildCampaignCard(model({ status })))).not.toContain(CAMPAIGN_ACTION_IDS.edit);
  });

  it("fits a hundred departments in one message", () => {
    const departments = Array.from({ length: 100 }, (_, i) => ({
      key: `d${i}`,
      name: `Department ${i} ${"x".repeat(60)}`,
      active: true,
      leads: [],
    }));
    valid(buildCampaignCard(model({ departments })));
  });
});

describe("replies and direct messages", () => {
  it("reminds a department by its user group, else its leads, with Acknowledge", () => {
    const group = buildReminder(model(), "baggage", 24 * HOUR);
    valid(group);
    expect(shown(group)).toContain("<!subteam^S0BAG>");
    expect(shown(group)).toContain("(1 day to go)");
    expect(shown(group)).toContain(encodeCampaignValue(ID, "baggage"));
    expect(shown(buildReminder(model(), "service", 2 * HOUR))).toContain("<@U0LEAD>");
  });

  it("describes changes, asking for a fresh acknowledgement only when told to", () => {
    const changes = [
      {
        field: "launchAt" as const,
        from: NOW.toISOString(),
        to: new Date(NOW.getTime() + HOUR).toISOString(),
      },
      { field: "departments" as const, from: ["service"], to: ["service", "baggage"] },
      { field: "talkingPoints" as const, from: "a", to: "b" },
    ];
    const again = buildChanged(model(), { changes, by: "U0MARKET", acknowledgeAgain: "baggage" });
    valid(again);
    expect(shown(again)).toContain("*Departments:* Customer Service → Customer Service, Baggage");
    expect(shown(again)).toContain("*Talking points* updated");
    expect(shown(again)).toContain("acknowledge it");
    expect(shown(again)).toContain(CAMPAIGN_ACTION_IDS.acknowledge);
    expect(shown(buildChanged(model(), { changes }))).not.toContain(
      CAMPAIGN_ACTION_IDS.acknowledge,
    );
  });

  it("renders every note and DM within Slack's rules", () => {
    const spike = { count: 31, threshold: 31, expected: 10, windowMs: HOUR };
    for (const message of [
      buildLiveNow(model()),
      buildCancelled(model(), "U0MARKET"),
      buildRemoved(model(), "pr"),
      buildSpikeAlert(model(), spike, "https://x.slack.com/archives/C1/p1"),
      buildEndSummary(model(), [{ department: "service", complaints: 5, breaches: 1 }], TAIL_END),
      buildLateAlert(model({ noticeMs: 20 * HOUR }), { departments: ["baggage"] }),
      buildLateAlert(model({ noticeMs: 20 * HOUR }), { departments: [] }),
      buildLaunchReport(model(), ["baggage"]),
      buildLaunchReport(model(), []),
      buildTalkingPoints(model({ talkingPoints: undefined })),
      buildOwnerNotice(model(), { by: "U0MARKET", cardLink: "https://x.slack.com/archives/C1/p1" }),
    ])
      valid(message);
    expect(shown(buildSpikeAlert(model(), spike))).toContain(
      "31 linked complaints in the last 1 h",
    );
    // spike.minimum may be 1: a campaign without an expected volume alerts on its first complaint.
    expect(
      shown(buildSpikeAlert(model(), { count: 1, threshold: 1, expected: 0, windowMs: HOUR })),
    ).toContain("1 linked complaint in the last 1 h");
    expect(
      shown(
        buildEndSummary(model(), [{ department: "service", complaints: 5, breaches: 1 }], TAIL_END),
      ),
    ).toContain("*Customer Service*: 5 complaints, 1 SLA deadline missed");
    expect(shown(buildLaunchReport(model(), ["baggage"]))).toContain(
      "*Baggage* (leads: <@U0LEAD>)",
    );
    expect(shown(buildLaunchReport(model(), []))).toContain(
      "Every affected department acknowledged",
    );
  });

  it("lists as many whole department lines as fit, and counts the rest, for a campaign of 50", () => {
    const departments = Array.from({ length: 50 }, (_, i) => ({
      key: `d${i}`,
      name: `Regional Customer Care Desk number ${i} (Îles Canaries et Açores)`,
      active: true,
      leads: ["U0LEAD", "U0LEAD2"],
    }));
    const many = model({ departments });
    const summary = buildEndSummary(
      many,
      departments.map((d) => ({ department: d.key, complaints: 3, breaches: 1 })),
      TAIL_END,
    );
    const report = buildLaunchReport(
      many,
      departments.map((d) => d.key),
    );
    for (const [message, line] of [
      [
        summary,
        /^• \*Regional Customer Care Desk number \d+ \(Îles Canaries et Açores\)\*: 3 complaints, 1 SLA deadline missed$/,
      ],
      [
        report,
        /^• \*Regional Customer Care Desk number \d+ \(Îles Canaries et Açores\)\* \(leads: <@U0LEAD>, <@U0LEAD2>\)$/,
      ],
    ] as const) {
      valid(message);
      const text = (message.blocks[0] as { text: { text: string } }).text.text;
      const lines = text.split("\n").filter((l) => l.startsWith("•"));
      expect(lines.length).toBeGreaterThan(10);
      for (const l of lines) expect(l).toMatch(line);
      expect(text).toContain(`\nand ${50 - lines.length} more`);
    }
    expect(JSON.stringify(summary.blocks)).toContain("still linked until <!date^");
  });

  it("sums up the end honestly: deadlines missed, not breaches per complaint, every affected department, and until when complaints link", () => {
    const summary = shown(
      buildEndSummary(
        model(),
        [
          { department: "service", complaints: 4, breaches: 12 },
          { department: "exec", complaints: 1, breaches: 0 },
        ],
        TAIL_END,
      ),
    );
    expect(summary).toContain("5 complaints linked; 12 SLA deadlines missed across them.");
    expect(summary).toContain("• *Customer Service*: 4 complaints, 12 SLA deadlines missed");
    // Affected, nobody complained to it: still listed. Press was removed: not listed.
    expect(summary).toContain("• *Baggage*: no complaints linked");
    expect(summary).not.toContain("Press");
    // Complaints routed to a department the campaign did not name are counted too.
    expect(summary).toContain("• *exec*: 1 complaint, no SLA deadline missed");
    expect(summary).toContain(
      `still linked until <!date^${TAIL_END.getTime() / 1000}^{date_short_pretty} {time}|`,
    );
    expect(summary).not.toContain("breach");
    const quiet = shown(buildEndSummary(model(), [], model().endAt));
    expect(quiet).toContain("has ended.* No complaints linked.");
    expect(quiet).toContain("• *Customer Service*: no complaints linked");
    expect(quiet).toContain("Complaints are no longer linked to it.");
  });

  it("tells the leads of a department added to a live campaign that it is live, not that it launched before it was announced", () => {
    const live = model({
      status: "live",
      launchAt: new Date(NOW.getTime() - 2 * HOUR),
      noticeMs: 72 * HOUR,
    });
    const lead = shown(buildLateAlert(live, { departments: ["baggage"], noticeMs: -2 * HOUR }));
    expect(lead).toContain("launched");
    expect(lead).not.toContain("before it was announced");
    expect(lead).toContain("*Baggage* only heard of it now (minimum notice 2 days)");
  });

  it("tells the new owner of a live campaign that it is live, and promises no launch report", () => {
    const live = model({ status: "live", launchAt: new Date(NOW.getTime() - 26 * HOUR) });
    const text = shown(buildOwnerNotice(live, { by: "U0MARKET" }));
    expect(text).not.toContain("launching");
    expect(text).not.toContain("launch report");
    expect(text).toContain("live since");
    expect(text).toContain("any complaint spike alert");
    const upcoming = shown(buildOwnerNotice(model(), { by: "U0MARKET" }));
    expect(upcoming).toContain("launching");
    expect(upcoming).toContain("launch report");
  });

  it("says a campaign announced after its launch was announced with no notice, in plain words", () => {
    const after = model({ noticeMs: -2 * HOUR });
    const lead = shown(buildLateAlert(after, { departments: ["baggage"] }));
    expect(lead).toContain("launched");
    expect(lead).toContain("before it was announced (minimum notice 2 days)");
    expect(lead).not.toContain("only");
    const owner = shown(buildLateAlert(after, { departments: [] }));
    expect(owner).toContain(
      "was announced with no notice: it was announced after launch (minimum 2 days)",
    );
    expect(shown(buildLateAlert(model({ noticeMs: 20 * HOUR }), { departments: [] }))).toContain(
      "was announced with only 20 h notice before launch (minimum 2 days)",
    );
    const modal = JSON.stringify(
      buildAnnouncedModal({
        name: "x",
        departments: ["A"],
        late: { notice: null, minimum: "2 days" },
      }),
    );
    expect(modal).toContain("the campaign has already launched (the minimum notice is 2 days)");
    expect(modal).not.toContain("only");
  });
});

describe("the talking points answer", () => {
  it.each([
    ["upcoming", ":calendar: *Upcoming* · launch"],
    ["live", ":large_green_circle: *Live now* · launch"],
    ["ended", ":checkered_flag: *Ended* · launch"],
    ["cancelled", ":no_entry_sign: *Cancelled* · launch"],
  ] as const)("says a campaign %s in the cards' words", (status, words) => {
    const head = JSON.stringify(buildTalkingPoints(model({ status })).blocks[0]);
    expect(head).toContain(words);
    expect(head).not.toContain(`· ${status} ·`);
  });
});

describe("a campaign card or heads-up deleted in Slack", () => {
  it("is named without a link, saying it was deleted, in the alerts that pointed at it", () => {
    const spike = { count: 31, threshold: 31, expected: 10, windowMs: HOUR };
    const alert = buildSpikeAlert(model(), spike, undefined, "deleted");
    expect(alert.text).toMatch(/ \(campaign card deleted in Slack\)$/);
    expect(alert.text).not.toContain("Open the campaign card");
    const notice = buildOwnerNotice(model(), { by: "U0MARKET", missingCard: "deleted" });
    expect(notice.text).toMatch(/ \(campaign card deleted in Slack\)$/);
    const late = buildLateAlert(model({ noticeMs: 20 * HOUR }), {
      departments: ["baggage"],
      missingHeadsUps: { baggage: "deleted" },
    });
    expect(shown(late)).toContain("(heads-up deleted in Slack)");
    for (const message of [alert, notice, late])
      expect(messageBlockProblems(message.blocks)).toEqual([]);
  });
});

describe("the complaint card", () => {
  it("says which campaign a complaint relates to, with its talking points a click away", () => {
    const card = buildComplaintCard({
      threadId: "t1",
      source: "twitter",
      text: "SPRING25 fails",
      priority: "P3",
      priorityReasons: [],
      department: { key: "service", name: "Customer Service" },
      routing: { department: "service", rule: null, reason: "default" },
      state: "open",
      dues: [],
      now: NOW,
      timezone: "UTC",
      campaigns: [
        { id: ID, name: "Spring fare sale" },
        { id: "1b8e5a52-4c1e-4d0e-9a55-1f2b3c4d5e6f", name: "Winter <sale>" },
      ],
    });
    valid(card);
    const text = shown(card);
    expect(text).toContain("Related to campaign: *Spring fare sale*");
    expect(text).toContain("Related to campaign: *Winter &lt;sale&gt;*");
    expect(text.split(CAMPAIGN_ACTION_IDS.talkingPoints)).toHaveLength(3);
  });
});

describe("the heads-up modal", () => {
  const departments = [
    { key: "service", name: "Customer Service" },
    { key: "baggage", name: "Baggage" },
  ];

  it("is a modal Slack accepts, new and prefilled for an edit", () => {
    const fresh = buildCampaignModal({
      mode: "announce",
      departments,
      metadata: {},
      initial: { owner: "U0MARKET" },
      linkTailMs: 72 * HOUR,
    });
    expect(modalViewProblems(fresh)).toEqual([]);
    const types = JSON.stringify(fresh.blocks);
    for (const type of [
      "datetimepicker",
      "multi_static_select",
      "number_input",
      "url_text_input",
      "checkboxes",
      "users_select",
    ])
      expect(types).toContain(`"type":"${type}"`);
    const edit = buildCampaignModal({
      mode: "edit",
      departments,
      metadata: { campaignId: ID },
      initial: {
        name: "Spring",
        launchAt: new Date(NOW.getTime() + HOUR),
        channels: ["email"],
        audienceSize: 5,
        departments: ["baggage"],
        keywords: ["A", "B"],
        faqUrl: "https://x.y",
        owner: "U0MARKET",
      },
      linkTailMs: 36 * HOUR,
    });
    expect(modalViewProblems(edit)).toEqual([]);
    const endHint = (view: typeof edit) =>
      JSON.stringify(view.blocks.find((b) => b.block_id === IN.endAt.blockId));
    expect(endHint(edit)).toContain("still linked to it for 1 day 12 h after it ends.");
    expect(endHint(fresh)).toContain("for 3 days after it ends.");
    const noTail = buildCampaignModal({ mode: "edit", departments, metadata: {}, linkTailMs: 0 });
    expect(endHint(noTail)).toContain("linked to it until it ends.");
    const text = JSON.stringify(edit);
    expect(text).toContain(`"initial_date_time":${(NOW.getTime() + HOUR) / 1000}`);
    expect(text).toContain('"initial_value":"A\\nB"');
    expect(parseCampaignModalMetadata(edit.private_metadata)).toEqual({
      campaignId: ID,
      shown: expect.objectContaining({ name: expect.any(String), launchAt: expect.any(String) }),
    });
    expect(
      modalViewProblems(
        buildAnnouncedModal({
          name: "x",
          departments: ["A"],
          late: { notice: "5h", minimum: "2d" },
        }),
      ),
    ).toEqual([]);
    expect(
      modalViewProblems(
        buildEditedModal({ changes: [], freshAcknowledgement: false, late: false }),
      ),
    ).toEqual([]);
  });

  it("reads a submission into the API's shape and puts issues beside their inputs", () => {
    const launch = Math.floor(NOW.getTime() / 1000);
    const body = campaignSubmissionBody({
      [IN.name.blockId]: { [IN.name.actionId]: { type: "plain_text_input", value: "Sale" } },
      [IN.launchAt.blockId]: {
        [IN.launchAt.actionId]: { type: "datetimepicker", selected_date_time: launch },
      },
      [IN.audienceSize.blockId]: {
        [IN.audienceSize.actionId]: { type: "number_input", value: "16000" },
      },
      [IN.departments.blockId]: {
        [IN.departments.actionId]: {
          type: "multi_static_select",
          selected_options: [{ value: "baggage" }],
        },
      },
      [IN.keywords.blockId]: {
        [IN.keywords.actionId]: { type: "plain_text_input", value: "A, B\n\nC \r\nD" },
      },
    });
    expect(body).toMatchObject({
      name: "Sale",
      launchAt: NOW.toISOString(),
      audienceSize: 16000,
      departments: ["baggage"],
      keywords: ["A, B", "C", "D"],
      faqUrl: null,
      owner: "",
    });
    expect(body.endAt).toBeUndefined();
    expect(
      campaignModalErrors([
        { path: "endAt", message: "must be after launchAt" },
        { path: "departments[1]", message: 'unknown department "x"' },
        { path: "keywords", message: "must hold at most 50 keywords" },
        { path: "(body)", message: "odd" },
      ]),
    ).toEqual({
      // The form's words for fields, not the API's keys; a list is named as a list.
      [IN.endAt.blockId]: "The end must be after the launch",
      [IN.departments.blockId]: 'A department: unknown department "x"',
      [IN.keywords.blockId]: "The keywords must hold at most 50 keywords",
      [IN.name.blockId]: "Odd",
    });
  });
});

describe("the campaign list and button values", () => {
  it("lists campaigns with who is still waiting, privately", () => {
    const list = buildCampaignList([
      { model: model() },
      { model: model({ status: "live", late: true }) },
    ]);
    valid(list);
    expect(shown(list)).toContain("1 of 2 departments acknowledged · waiting: Baggage");
    expect(shown(list)).toContain("12 linked complaints");
    expect(shown(buildCampaignList([]))).toContain("No upcoming or live campaigns");
    const one = model({ departments: model().departments.slice(1, 2) });
    expect(shown(buildCampaignList([{ model: one }]))).toContain(
      "0 of 1 department acknowledged · waiting: Baggage",
    );
    valid(buildCampaignList(Array.from({ length: 60 }, () => ({ model: model() }))));
  });

  it("round-trips campaign ids and departments, refusing anything forged", () => {
    expect(parseCampaignValue(encodeCampaignValue(ID, "baggage"))).toEqual({
      campaignId: ID,
      department: "baggage",
    });
    expect(parseCampaignValue(encodeCampaignValue(ID))).toEqual({ campaignId: ID });
    expect(parseCampaignValue(encodeCampaignValue(ID, "baggage", 42))).toEqual({
      campaignId: ID,
      department: "baggage",
      round: 42,
    });
    for (const forged of [
      `campaign:v1:${ID}:baggage:x`,
      `campaign:v1:${ID}:baggage:1:2`,
      "",
      "campaign:v1:nope",
      `campaign:v1:${ID}:BAD`,
      `campaign:v1:${ID}:a:b`,
      42,
    ])
      expect(parseCampaignValue(forged)).toBeNull();
    expect(() => encodeCampaignValue("x")).toThrow(RangeError);
    expect(() => encodeCampaignValue(ID, undefined, 1)).toThrow(RangeError);
    expect(parseCampaignModalMetadata('{"campaignId":"x"}')).toBeNull();
    expect(parseCampaignModalMetadata("")).toEqual({});
  });
});
