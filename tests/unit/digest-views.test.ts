import { describe, expect, it } from "vitest";
import { computeFigures } from "../../src/domain/figures/compute-figures.ts";
import type { Figures } from "../../src/domain/figures/figures.ts";
import type { FiguresInput } from "../../src/domain/figures/figures-input.ts";
import { renderChartPng, renderChartSvg } from "../../src/slack/chart-png.ts";
import { buildAppHome, type HomeModel } from "../../src/slack/views/app-home.ts";
import {
  buildComplianceChart,
  CHART_SCALE,
  CHART_SIZE,
  MAX_ALT_TEXT,
} from "../../src/slack/views/digest-chart.ts";
import { buildDigestMessage, plainHeadline } from "../../src/slack/views/digest-message.ts";
import { buildStatusMessage } from "../../src/slack/views/status-message.ts";
import { homeViewProblems, messageBlockProblems } from "../../src/slack-double/index.ts";

const FROM = new Date("2026-11-30T08:00:00Z"); // Monday
const TO = new Date("2026-12-01T08:00:00Z");

function figures(overrides: Partial<FiguresInput> = {}): Figures {
  return computeFigures({
    from: FROM,
    to: TO,
    now: TO,
    timezone: "Europe/London",
    calendars: {},
    windows: { P3: { claimMs: 3_600_000, firstResponseMs: 4 * 3_600_000 } },
    firstWarningAt: 0.5,
    threads: [],
    complaints: [],
    events: [],
    breaches: [],
    departments: ["service"],
    ...overrides,
  });
}

/** n threads opened and answered in time in the period, in `department`. */
function answered(n: number, department = "service"): Partial<FiguresInput> {
  const threads = [];
  const events = [];
  const complaints = [];
  for (let i = 0; i < n; i += 1) {
    const id = `t${i}`;
    const at = new Date(FROM.getTime() + (i + 1) * 60_000);
    const answeredAt = new Date(at.getTime() + 10 * 60_000);
    threads.push({
      id,
      department,
      priority: "P3",
      state: "responded",
      owner: "U1",
      openedAt: at,
      clocks: [],
      slackChannel: "C1",
      slackTs: `1.${i}`,
    });
    complaints.push({ threadId: id, receivedAt: at });
    events.push(
      {
        threadId: id,
        at,
        kind: "thread.opened",
        details: { department, priority: "P3", rule: null, priorityReasons: [] },
      },
      {
        threadId: id,
        at: new Date(at.getTime() + 60_000),
        kind: "thread.claim",
        details: { from: "open", to: "claimed" },
      },
      {
        threadId: id,
        at: answeredAt,
        kind: "thread.respond",
        details: { from: "claimed", to: "responded" },
      },
    );
  }
  return { threads, events, complaints };
}

describe("the digest message", () => {
  it("says a quiet period is quiet", () => {
    expect(plainHeadline(figures(), "Monday 08:00")).toBe(
      "No breaches since Monday 08:00, and no new complaints",
    );
    const quiet = figures(answered(42));
    expect(plainHeadline(quiet, "Monday 08:00")).toBe(
      "No breaches since Monday 08:00; 42 complaints, all answered in time",
    );
    const message = buildDigestMessage({
      figures: quiet,
      changes: null,
      names: { service: "Customer Service" },
      links: new Map(),
    });
    expect(message.text).toContain(
      "No breaches since Monday 08:00; 42 complaints, all answered in time",
    );
    expect(messageBlockProblems(message.blocks)).toEqual([]);
  });

  it("writes large counts with thousands separators, in the digest and on the Home", () => {
    const busy = figures(answered(1234));
    expect(plainHeadline(busy, "Monday 08:00")).toBe(
      "No breaches since Monday 08:00; 1,234 complaints, all answered in time",
    );
    const message = buildDigestMessage({
      figures: busy,
      changes: null,
      names: { service: "Customer Service" },
      links: new Map(),
    });
    expect(JSON.stringify(message.blocks)).toContain(
      "*Customer Service*: 1,234 complaints, 1,234 new threads",
    );
    const home = buildAppHome({
      user: "U1",
      now: TO,
      mine: [],
      unclaimed: [],
      names: {},
      executive: { today: busy, chart: null },
    });
    expect(JSON.stringify(home.blocks)).toContain("*1,234* complaints · *1,234* new threads");
  });

  it("never says 'all answered in time' of a thread handed on unanswered, late in the other department", () => {
    // Opened in service at 08:01, claimed, handed to PR at 08:10 and claimed there; nobody
    // answered, so the first response (4 h, started in service) breached at 12:01 in PR. The
    // breach and the late run are both PR's; service's digest names the thread it handed on.
    const at = (minutes: number) => new Date(FROM.getTime() + minutes * 60_000);
    const input: Partial<FiguresInput> = {
      threads: [
        {
          id: "h",
          department: "pr",
          priority: "P3",
          state: "claimed",
          owner: "U2",
          openedAt: at(1),
          clocks: [
            {
              kind: "firstResponse",
              startedAt: at(1),
              budgetMs: 4 * 3_600_000,
              consumedMs: 0,
              runningSince: at(1),
              stoppedAt: null,
            },
          ],
          slackChannel: "C2",
          slackTs: "2.2",
        },
      ],
      complaints: [{ threadId: "h", receivedAt: at(1) }],
      events: [
        {
          threadId: "h",
          at: at(1),
          kind: "thread.opened",
          details: { department: "service", priority: "P3" },
        },
        {
          threadId: "h",
          at: at(5),
          kind: "thread.claim",
          details: { from: "open", to: "claimed" },
        },
        {
          threadId: "h",
          at: at(10),
          kind: "thread.hand_over_department",
          details: { from: "claimed", to: "open", department: "pr", previousDepartment: "service" },
        },
        {
          threadId: "h",
          at: at(15),
          kind: "thread.claim",
          details: { from: "open", to: "claimed" },
        },
      ],
      breaches: [
        {
          threadId: "h",
          clockKind: "firstResponse",
          clockStartedAt: at(1),
          department: "pr",
          priority: "P3",
          dueAt: at(241),
        },
      ],
    };
    const f = figures(input);
    expect(f.breaches).toEqual([]);
    expect(f.compliance.byClock.firstResponse).toMatchObject({ met: 0, breached: 0 });
    expect(plainHeadline(f, "Monday 08:00")).toBe(
      "No breaches since Monday 08:00; 1 complaint, none late, 1 thread handed to another department",
    );
    const pr = { ...input, departments: ["pr"] };
    const inPr = figures(pr);
    expect(inPr.breaches.map((b) => [b.department, b.clock])).toEqual([["pr", "firstResponse"]]);
    expect(inPr.compliance.byClock.firstResponse).toMatchObject({ met: 0, breached: 1 });
    expect(plainHeadline(inPr, "Monday 08:00")).toMatch(
      /^1 breach since Monday 08:00; 0 complaints/,
    );
  });

  it("names the campaigns complaints were linked to, most linked first", () => {
    const base = answered(4);
    const linked = (ids: string[]) =>
      ids.map((threadId) => ({ threadId, receivedAt: new Date(FROM.getTime() + 60_000) }));
    const f = figures({
      ...base,
      campaigns: [
        { id: "c1", name: "Winter <sale>", linkedComplaints: linked(["t0"]) },
        { id: "c2", name: "Spring fare sale", linkedComplaints: linked(["t1", "t2", "t3"]) },
        { id: "c3", name: "Nothing linked", linkedComplaints: [] },
      ],
    });
    const message = buildDigestMessage({
      figures: f,
      changes: null,
      names: { service: "Customer Service" },
      links: new Map(),
    });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain("Spring fare sale (3), Winter &lt;sale&gt; (1)");
    expect(text).not.toContain("Nothing linked");
    expect(messageBlockProblems(message.blocks)).toEqual([]);
  });

  it("lists breaches with links and stays within Slack's limits with hundreds of them", () => {
    const many = answered(300);
    const breaches = Array.from({ length: 300 }, (_, i) => ({
      threadId: `t${i}`,
      clockKind: "firstResponse" as const,
      clockStartedAt: new Date(FROM.getTime() + (i + 1) * 60_000),
      department: "service",
      priority: "P3",
      dueAt: new Date(FROM.getTime() + (i + 5) * 60_000),
    }));
    const f = figures({ ...many, breaches });
    const message = buildDigestMessage({
      figures: f,
      changes: {
        complaints: { now: 300, before: 10 },
        breaches: { now: 300, before: 0 },
        compliance: { now: 0.5, before: 1 },
        medianTimeToFirstResponseMs: { now: 600_000, before: null },
      },
      names: { service: "Customer Service" },
      links: new Map([["t0", "https://example.slack.com/archives/C1/p1"]]),
      missingCards: new Map([
        ["t1", "deleted"],
        ["t2", "channel_unavailable"],
      ]),
    });
    expect(messageBlockProblems(message.blocks)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain("<https://example.slack.com/archives/C1/p1|thread>");
    expect(text).toContain("breached Monday 08:06 · thread (card deleted in Slack)");
    expect(text).toContain(
      "breached Monday 08:07 · thread (card's channel not visible to Switchboard)",
    );
    expect(text).toContain("…and 290 more.");
    expect(text).toContain("Since the previous digest");
    expect(message.text).toMatch(/^Switchboard digest: 300 breaches since Monday 08:00/);
  });
});

describe("the digest chart", () => {
  it("counts clock runs in whole numbers on its axis, however few there are", async () => {
    const f = figures({
      ...answered(1),
      departments: ["service", "baggage"],
    });
    const chart = buildComplianceChart(
      f,
      { service: "Customer Service", baggage: "Baggage" },
      "since Monday 08:00",
    );
    const svg = await renderChartSvg(chart.spec);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");
    const ticks = labels.filter((l) => /^[\d.]+$/.test(l));
    expect(ticks).toEqual(["0", "1", "2"]);
  });

  it("shows the period it covers under its title, with dates and zone", async () => {
    const period = "Sun 29 Nov 2026 08:00 to Mon 30 Nov 2026 08:00 (Europe/London)";
    const chart = buildComplianceChart(
      figures(answered(1)),
      { service: "Customer Service" },
      period,
    );
    const svg = await renderChartSvg(chart.spec);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");
    expect(labels).toContain("SLA clocks by department");
    expect(labels).toContain(period);
  });

  it("starts its axis at 0 on the left in a period with no clock run, not a lone 0 in the middle", async () => {
    const f = figures({ departments: ["service", "baggage"] });
    const svg = await renderChartSvg(buildComplianceChart(f, {}, "today").spec);
    const ticks = [...svg.matchAll(/<text[^>]*translate\(([\d.]+),[^>]*>(\d+)<\/text>/g)].map(
      (m) => ({ x: Number(m[1]), label: m[2] }),
    );
    expect(ticks.map((t) => t.label)).toEqual(["0", "1"]);
    expect(ticks[0]?.x).toBeLessThan(ticks[1]?.x ?? 0);
  });

  it("names each department in full on its axis, up to a long name", async () => {
    const names = { service: "Customer Service", cabin: "In-flight Product (cabin)" };
    const f = figures({ ...answered(1), departments: ["service", "cabin"] });
    const svg = await renderChartSvg(buildComplianceChart(f, names, "today").spec);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");
    expect(labels).toContain("In-flight Product (cabin)");
    expect(labels.filter((l) => l.endsWith("…"))).toEqual([]);
  });

  it("renders a valid PNG of the expected size, with alt text within Slack's limit", async () => {
    const f = figures(answered(3));
    const chart = buildComplianceChart(f, { service: "Customer Service" }, "since Monday 08:00");
    expect(chart.altText).toContain("Customer Service: 6 met, 0 breached, 0 still running");
    const png = await renderChartPng(chart.spec);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
    expect(png.readUInt32BE(16)).toBe(CHART_SIZE.width * CHART_SCALE);
    expect(png.readUInt32BE(20)).toBe(CHART_SIZE.height * CHART_SCALE);
    const names = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [`d${i}`, `Department number ${i} with a long name`]),
    );
    const wide = figures({ departments: Object.keys(names) });
    expect(buildComplianceChart(wide, names, "today").altText.length).toBeLessThanOrEqual(
      MAX_ALT_TEXT,
    );
  });
});

describe("the App Home", () => {
  const thread = (i: number) => ({
    threadId: `t${i}`,
    departmentName: "Baggage",
    priority: "P2",
    state: "claimed",
    excerpt: "x".repeat(500),
    dueText: "First response due 14:05 (in 12 min)",
    channel: "C0BAGGAGE",
  });
  const status = {
    database: { kind: "postgres", ok: true },
    delivery: {
      pending: 3,
      oldestPendingAt: new Date("2026-12-01T07:00:00Z"),
      failed: 40,
      failures: Array.from({ length: 10 }, (_, i) => ({
        id: i + 1,
        kind: "thread.post_card",
        channel: "C0GONE",
        to: "C0GONE",
        about: null,
        lastError: "channel_not_found",
        createdAt: TO,
      })),
    },
    timers: [{ subjectType: "thread", pending: 12, nextDue: TO }],
    slackSetup: { open: 0, problems: [] },
  };

  it("fits every role's sections within 100 blocks and Slack's checks", () => {
    const f = figures(answered(5));
    const model: HomeModel = {
      user: "U1",
      now: TO,
      notice: "<@U2> already owns this thread.",
      mine: Array.from({ length: 30 }, (_, i) => thread(i)),
      unclaimed: Array.from({ length: 30 }, (_, i) => ({ ...thread(i), state: "open" })),
      names: { service: "Customer Service" },
      lead: {
        departments: Array.from({ length: 6 }, (_, i) => ({
          department: `d${i}`,
          name: `Dept ${i}`,
        })),
        today: f,
      },
      executive: { today: f, chart: { fileId: "F123", altText: "chart" } },
      admin: { status, configLines: ["*Departments:* …", "*SLA windows:* …", "*Chasing:* …"] },
    };
    const view = buildAppHome(model);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(homeViewProblems(view)).toEqual([]);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain("Your threads (8 of 30 shown)");
    expect(text).toContain('"action_id":"home.retry","value":"1"');
    expect(text).toContain('"slack_file":{"id":"F123"}');
    expect(text).toContain("…and 30 more; `/switchboard retry all-failed`");
  });

  it("says no SLA clock finished rather than '– of SLA clocks in time' on a quiet day", () => {
    // A breach falls due today, of a clock started before today: nothing started today finished.
    const f = figures({
      breaches: [
        {
          threadId: "old",
          clockKind: "resolution",
          clockStartedAt: new Date(FROM.getTime() - 3 * 86_400_000),
          department: "service",
          priority: "P3",
          dueAt: new Date(FROM.getTime() + 3_600_000),
        },
      ],
    });
    expect(plainHeadline(f, "Monday 08:00")).toBe(
      "1 breach since Monday 08:00; 0 complaints, no SLA clock finished yet",
    );
    const view = buildAppHome({
      user: "U1",
      now: TO,
      mine: [],
      unclaimed: [],
      names: {},
      executive: { today: f, chart: null },
    });
    expect(JSON.stringify(view.blocks)).toContain("*1* breach · no SLA clock finished yet");
    expect(plainHeadline(figures(answered(3)), "Monday 08:00")).toContain("all answered in time");
  });

  it("shows only the personal sections to someone with no role", () => {
    const view = buildAppHome({ user: "U1", now: TO, mine: [], unclaimed: [], names: {} });
    const text = JSON.stringify(view.blocks);
    expect(text).toContain("You own no open threads.");
    expect(text).not.toContain("Delivery health");
    expect(text).not.toContain("Today");
    expect(homeViewProblems(view)).toEqual([]);
  });
});

describe("/switchboard status", () => {
  it("shows delivery health, failures with their ids and errors, and timers", () => {
    const message = buildStatusMessage(
      {
        database: { kind: "pglite", ok: true },
        delivery: {
          pending: 2,
          oldestPendingAt: new Date(TO.getTime() - 125_000),
          failed: 1,
          failures: [
            {
              id: 7,
              kind: "digest.send",
              channel: "U0EXEC",
              to: "U0EXEC",
              about: "Ana Ruiz",
              lastError: "not_in_channel",
              createdAt: TO,
            },
          ],
        },
        timers: [{ subjectType: "digest", pending: 2, nextDue: TO }],
        slackSetup: { open: 0, problems: [] },
      },
      TO,
    );
    expect(messageBlockProblems(message.blocks)).toEqual([]);
    const text = JSON.stringify(message.blocks);
    expect(text).toContain("2 pending, the oldest waiting 2 min");
    expect(text).toContain("*#7* digest.send for Ana Ruiz to <@U0EXEC>: `not_in_channel`");
    expect(text).toContain("digest: 2 pending");
    expect(message.text).toBe(
      "Database pglite answering; 2 deliveries pending, 1 failed; 2 timers pending; Slack setup: no problems seen.",
    );
  });

  it("counts one delivery and one timer in the singular", () => {
    const message = buildStatusMessage(
      {
        database: { kind: "postgres", ok: true },
        delivery: { pending: 1, oldestPendingAt: TO, failed: 0, failures: [] },
        timers: [{ subjectType: "digest", pending: 1, nextDue: TO }],
        slackSetup: { open: 0, problems: [] },
      },
      TO,
    );
    expect(message.text).toBe(
      "Database postgres answering; 1 delivery pending, 0 failed; 1 timer pending; Slack setup: no problems seen.",
    );
  });
});
