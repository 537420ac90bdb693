import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { openDatabase } from "../../src/db/client.ts";
import { digests, outbox, threads } from "../../src/db/schema.ts";
import { CHART_SCALE, CHART_SIZE } from "../../src/slack/views/digest-chart.ts";
import { DIGEST_BLOCK_IDS } from "../../src/slack/views/home-ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { runCli } from "../helpers/cli-process.ts";
import { type E2E, eventually, INTAKE_TOKEN, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { resolveAll, seedHistory } from "../helpers/seed-history.ts";
import {
  CHANNELS,
  complaintBody,
  PEOPLE,
  TEST_WORKSPACE_YAML,
} from "../helpers/workspace-fixture.ts";

const EXEC = "U0EXEC1";
const USERS = [
  ...Object.entries(PEOPLE).map(([name, id]) => ({ id, name })),
  { id: EXEC, name: "ana" },
];
const dir = mkdtempSync(join(tmpdir(), "switchboard-digests-"));

/** The test workspace with an executive, as a file the CLI can read too. */
function workspaceFile(digest?: string): { path: string; yaml: string } {
  const yaml = `${TEST_WORKSPACE_YAML}
executives:
  - user: ${EXEC}
    name: Ana Ruiz
    timezone: Europe/London${digest ? `\n    digest: "${digest}"` : ""}
`;
  const path = join(dir, `switchboard-${digest ? "scheduled" : "on-demand"}.yaml`);
  writeFileSync(path, yaml);
  return { path, yaml };
}

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dmOf = (user: string) =>
  e2e.double.callsTo("conversations.open").find((c) => c.args.users === user)?.response as
    | { channel?: { id: string } }
    | undefined;

/** The mrkdwn text of one section of a message, by block id. */
function sectionText(message: StoredMessage, blockId: string): string {
  const block = message.blocks.find((b) => (b as { block_id?: string }).block_id === blockId);
  return (block as { text?: { text?: string } } | undefined)?.text?.text ?? "";
}

/** The text of the digest's footer (its period and time zone). */
function footerOf(message: StoredMessage): string {
  const block = message.blocks.find(
    (b) => (b as { block_id?: string }).block_id === DIGEST_BLOCK_IDS.footer,
  );
  return JSON.stringify(block ?? {});
}

function digestMessage(channel: string): StoredMessage | undefined {
  return e2e.double.messages(channel).find((m) => m.text.startsWith("Switchboard digest"));
}

describe("executive digests", () => {
  it("DM the executive at their time, with a PNG chart uploaded in Slack's two steps", async () => {
    const { yaml } = workspaceFile("08:00");
    const clock = new FakeClock("2026-11-30T07:00:00Z"); // Monday, 07:00 in London
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(yaml, "digests.yaml"),
      clock,
      timers: false,
      double: { users: USERS },
    });
    clock.set("2026-11-30T07:10:00Z");
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "Nobody answers" }) });
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers();
    const channel = await eventually(() => dmOf(EXEC)?.channel?.id, "the DM opened");
    const message = await eventually(() => digestMessage(channel), "the digest in the DM");
    expect(message.text).toContain("No breaches since Sunday 08:00; 1 complaint");
    expect(JSON.stringify(message.blocks)).toContain(
      "*Customer Service*: 1 complaint, 1 new thread, 1 open now",
    );

    // conversations.open, then the upload (both calls), then the message.
    const order = e2e.double.calls
      .map((c) => c.method)
      .filter(
        (m) =>
          [
            "conversations.open",
            "files.getUploadURLExternal",
            "files.completeUploadExternal",
          ].includes(m) || m === "chat.postMessage",
      );
    const first = (m: string) => order.indexOf(m);
    expect(first("conversations.open")).toBeLessThan(first("files.getUploadURLExternal"));
    expect(first("files.getUploadURLExternal")).toBeLessThan(first("files.completeUploadExternal"));
    expect(order.lastIndexOf("chat.postMessage")).toBeGreaterThan(
      first("files.completeUploadExternal"),
    );
    const [upload] = e2e.double.callsTo("files.getUploadURLExternal");
    expect(upload?.response?.ok).toBe(true);
    const [file] = e2e.double.files;
    expect(file?.completed).toBe(true);
    expect(file?.channelId).toBe(channel);
    expect(Number(upload?.args.length)).toBe(file?.bytes?.length);
    expect(file?.altText).toMatch(
      /^Bar chart: SLA clocks by department, Sun 29 Nov 2026 08:00 to Mon 30 Nov 2026 08:00 \(Europe\/London\)\. Customer Service: 0 met/,
    );
    const png = file?.bytes as Buffer;
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(CHART_SIZE.width * CHART_SCALE);
    expect(png.readUInt32BE(20)).toBe(CHART_SIZE.height * CHART_SCALE);
    // The chart was shared in the executive's DM, and nowhere else.
    const shared = e2e.double.messages(channel).find((m) => m.files?.length);
    expect(shared?.files?.[0]).toMatchObject({ id: file?.id, altText: file?.altText });
    expect(e2e.double.messages().filter((m) => m.files?.length)).toHaveLength(1);
    await eventually(async () => {
      const [row] = await e2e.db.db.select().from(digests);
      return row?.deliveredAt && row.chartFileId === file?.id;
    }, "the digest recorded as delivered");
    // The executive's Home shows the latest digest's chart, by its Slack file.
    await e2e.driver.appHomeOpened({ userId: EXEC });
    const home = await eventually(
      () => e2e.double.views.find((v) => v.type === "home" && v.userId === EXEC),
      "the executive's Home",
    );
    expect(JSON.stringify(home.blocks)).toContain(`"slack_file":{"id":"${file?.id}"}`);
    // Read days later, beside today's figures: the chart says which period, dated, in which zone.
    const chart = home.blocks.find((b) => (b as { type: string }).type === "image") as
      | { title?: { text: string } }
      | undefined;
    expect(chart?.title?.text).toBe(
      "Latest digest: Sun 29 Nov 2026 08:00 to Mon 30 Nov 2026 08:00 (Europe/London)",
    );
  });

  it("uploads the chart once when the message fails after it, and sends the message on retry", async () => {
    const { yaml } = workspaceFile("08:00");
    const clock = new FakeClock("2026-11-30T07:59:00Z");
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(yaml, "d.yaml"),
      clock,
      timers: false,
      double: { users: USERS },
    });
    e2e.double.failNext("chat.postMessage", { status: 503 });
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers();
    const channel = await eventually(() => dmOf(EXEC)?.channel?.id, "the DM opened");
    await eventually(async () => {
      const [item] = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "digest.send"));
      return item?.lastError === "http_503" && item.lockedUntil === null;
    }, "the failure recorded, and a retry planned");
    clock.advance(60_000); // past the retry's backoff
    await eventually(() => digestMessage(channel), "the digest after a retry");
    expect(e2e.double.callsTo("files.getUploadURLExternal")).toHaveLength(1);
    expect(e2e.double.files).toHaveLength(1);
  });

  it("list a breach whose card was deleted in Slack without a link, and are still sent", async () => {
    const { yaml } = workspaceFile("08:00");
    const clock = new FakeClock("2026-11-30T07:00:00Z");
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(yaml, "d.yaml"),
      clock,
      timers: false,
      double: { users: USERS },
    });
    clock.set("2026-11-30T07:10:00Z");
    // P1: five minutes to claim, so both are breaches by 08:00.
    for (const text of ["Crew let me get injured", "Unsafe boarding, nobody cares"]) {
      await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
    }
    const cardOf = (text: string) =>
      eventually(
        () =>
          e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs && m.text.includes(text)),
        `the card for "${text}"`,
      );
    const deleted = await cardOf("injured");
    const kept = await cardOf("Unsafe boarding");
    // The digest links what the bot recorded of each card, once Slack's answer is stored.
    await eventually(
      async () => (await e2e.db.db.select().from(threads)).every((t) => t.slackTs !== null),
      "both cards recorded",
    );
    expect(e2e.double.deleteMessage(CHANNELS.service, deleted.ts)).toBe(true);
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers();
    const channel = await eventually(() => dmOf(EXEC)?.channel?.id, "the DM opened");
    const message = await eventually(() => digestMessage(channel), "the digest in the DM");
    const breaches = sectionText(message, DIGEST_BLOCK_IDS.breaches).split("\n");
    expect(breaches[0]).toBe("*Breaches (4):*");
    const link = `<https://${e2e.double.config.teamDomain}.slack.com/archives/${CHANNELS.service}/p${kept.ts.replace(".", "")}|thread>`;
    const line = (which: string, at: string, tail: string) =>
      `• *P1* Customer Service: ${which} breached Monday ${at} · ${tail}`;
    // Both breached at the same instants: their order between them is not the point.
    expect(breaches.slice(1).sort()).toEqual(
      [
        line("Claim", "07:15", "thread (card deleted in Slack)"),
        line("Claim", "07:15", link),
        line("First response", "07:25", "thread (card deleted in Slack)"),
        line("First response", "07:25", link),
      ].sort(),
    );
    const refused = e2e.double
      .callsTo("chat.getPermalink")
      .filter((c) => c.args.message_ts === deleted.ts);
    expect(refused.at(-1)?.response).toMatchObject({ ok: false, error: "message_not_found" });
  });

  it("say when the previous digest covered a longer period than this on-demand one", async () => {
    const { yaml } = workspaceFile("08:00");
    const clock = new FakeClock("2026-11-30T07:00:00Z"); // Monday, 07:00 in London
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(yaml, "d.yaml"),
      clock,
      timers: false,
      double: { users: USERS },
    });
    for (const text of ["Nobody answers", "Still no answer", "Phone line is dead"]) {
      clock.advance(60_000);
      await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
    }
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers(); // the scheduled digest: Sunday 08:00 to Monday 08:00
    const channel = await eventually(() => dmOf(EXEC)?.channel?.id, "the DM opened");
    await eventually(() => digestMessage(channel), "the scheduled digest");
    await eventually(async () => {
      const rows = await e2e.db.db.select().from(digests);
      return rows.every((r) => r.deliveredAt !== null);
    }, "the scheduled digest recorded as delivered");
    clock.set("2026-11-30T09:30:00Z");
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "Any news?" }) });
    clock.set("2026-11-30T10:00:00Z");
    await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "digest",
      userId: EXEC,
      channelId: CHANNELS.exec,
    });
    const onDemand = await eventually(
      () => e2e.double.messages(channel).filter((m) => m.text.startsWith("Switchboard digest"))[1],
      "the on-demand digest",
    );
    // Two hours against a whole day: one complaint against three is no drop in volume.
    expect(sectionText(onDemand, DIGEST_BLOCK_IDS.changes)).toBe(
      "*Since the previous digest (this one covers 2 h, the previous one 1 day: counts are not scaled):*\n" +
        "complaints 1 (−2), breaches 0 (±0), in time – (was 0%), median first response – (was –)",
    );
  });

  it("are for executives and admins; others are told privately who may", async () => {
    const { yaml } = workspaceFile();
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(yaml, "d.yaml"),
      double: { users: USERS },
    });
    const refused = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "digest",
      userId: PEOPLE.alice,
      channelId: CHANNELS.service,
    });
    expect(JSON.stringify(refused.json)).toContain(
      `Digests are for executives and admins: <@${EXEC}>, <@${PEOPLE.admin}>`,
    );
    expect(e2e.double.ephemerals(CHANNELS.service, PEOPLE.alice).at(-1)?.text).toContain(
      "Digests are for executives and admins",
    );
    expect(e2e.double.callsTo("conversations.open")).toHaveLength(0);
    const admin = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "digest",
      userId: PEOPLE.admin,
      channelId: CHANNELS.exec,
    });
    expect(JSON.stringify(admin.json)).toContain("Your digest is on its way");
    const channel = await eventually(() => dmOf(PEOPLE.admin)?.channel?.id, "the admin's DM");
    await eventually(() => digestMessage(channel), "the admin's digest");
  });

  it("for an admin, are in the zone of their Slack profile, or say UTC when Slack does not tell", async () => {
    const { yaml } = workspaceFile();
    const clock = new FakeClock("2026-11-30T15:00:00Z");
    const users = USERS.map((u) => (u.id === PEOPLE.admin ? { ...u, tz: "America/New_York" } : u));
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(yaml, "d.yaml"),
      clock,
      timers: false,
      double: { users },
    });
    const ask = () =>
      e2e.driver.slashCommand({
        command: "/switchboard",
        text: "digest",
        userId: PEOPLE.admin,
        channelId: CHANNELS.exec,
      });
    await ask();
    const channel = await eventually(() => dmOf(PEOPLE.admin)?.channel?.id, "the admin's DM");
    const first = await eventually(() => digestMessage(channel), "the admin's digest");
    // 15:00 UTC is 10:00 in New York: since the same time yesterday, there.
    expect(footerOf(first)).toContain(
      "Since Sunday 10:00, until Monday 10:00 (America/New_York). Clocks are counted when they started in the period and judged as of Monday 10:00.",
    );
    e2e.double.failNext("users.info", { error: "missing_scope" });
    clock.set("2026-11-30T16:00:00Z");
    await ask();
    const second = await eventually(
      () => e2e.double.messages(channel).filter((m) => m.text.startsWith("Switchboard digest"))[1],
      "the second digest",
    );
    expect(footerOf(second)).toContain("Since Sunday 16:00, until Monday 16:00 (UTC).");
  });

  it("give the same numbers as the report API and the CLI for one history", async () => {
    const { yaml, path } = workspaceFile();
    const clock = new FakeClock("2026-11-30T08:00:00Z");
    const workspace = parseWorkspaceConfig(yaml, path);
    e2e = await startE2E({ workspace, clock, timers: false, double: { users: USERS } });
    const history = await seedHistory(e2e.db, workspace, clock);
    await resolveAll(e2e.db, workspace, clock, history); // nothing left running: no figure depends on "now"
    await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "digest",
      userId: EXEC,
      channelId: CHANNELS.exec,
    });
    const channel = await eventually(() => dmOf(EXEC)?.channel?.id, "the DM");
    const message = await eventually(() => digestMessage(channel), "the digest");
    const [row] = await e2e.db.db.select().from(digests).where(eq(digests.executive, EXEC));
    const from = row?.periodFrom.toISOString() ?? "";
    const to = row?.periodTo.toISOString() ?? "";
    expect([from, to]).toEqual(["2026-11-30T11:00:00.000Z", "2026-12-01T11:00:00.000Z"]);

    // What the executive saw, department by department.
    const shown = JSON.stringify(message.blocks).replaceAll("\\n", "\n");
    const seen = (name: string) => {
      const m = new RegExp(
        `\\*${name}\\*: (\\d+) complaints?, (\\d+) new threads?, (\\d+) open now · (?:\\d+% in time \\((\\d+) met, (\\d+) breached, (\\d+) running\\)|no SLA clocks)`,
      ).exec(shown);
      if (!m) throw new Error(`no line for ${name} in ${shown}`);
      return m.slice(1).map((v) => Number(v ?? 0));
    };
    const breachesShown = Number(/\*Breaches \((\d+)\):\*/.exec(shown)?.[1] ?? 0);

    const api = await fetch(
      `${e2e.bot.url}/api/v1/reports/sla?from=${from}&to=${to}&timezone=Europe/London`,
      {
        headers: { authorization: `Bearer ${INTAKE_TOKEN}` },
      },
    );
    expect(api.status).toBe(200);
    const json = (await api.json()) as {
      complaints: number;
      threadsOpened: number;
      compliance: { overall: { met: number; breached: number; running: number } };
      breaches: Array<{ department: string; clock: string }>;
      byDepartment: Array<{
        department: string;
        complaints: number;
        threadsOpened: number;
        openNow: number;
        compliance: { met: number; breached: number; running: number };
      }>;
    };
    const csv = await runReport(
      ["--from", from, "--to", to, "--timezone", "Europe/London", "--format", "csv"],
      {
        DATABASE_URL: e2e.db.url,
        SWITCHBOARD_CONFIG: path,
      },
    );
    expect(csv.code).toBe(0);
    const rows = csv.stdout
      .trim()
      .split("\n")
      .map((l) => l.split(","));
    const header = rows[0] ?? [];
    const col = (r: string[], name: string) => Number(r[header.indexOf(name)]);
    const names: Record<string, string> = {
      service: "Customer Service",
      baggage: "Baggage",
      pr: "Press & PR",
    };
    for (const d of json.byDepartment) {
      const fromApi = [
        d.complaints,
        d.threadsOpened,
        d.openNow,
        d.compliance.met,
        d.compliance.breached,
        d.compliance.running,
      ];
      const cliRows = rows.slice(1).filter((r) => r[header.indexOf("department")] === d.department);
      expect(cliRows).toHaveLength(4); // one per clock
      const sum = (name: string) => cliRows.reduce((n, r) => n + col(r, name), 0);
      const fromCli = [
        col(cliRows[0] as string[], "complaints"),
        col(cliRows[0] as string[], "threads_opened"),
        d.openNow,
        sum("met"),
        sum("breached"),
        sum("running"),
      ];
      const label = (names[d.department] ?? d.department).replace("&", "&amp;");
      expect({ department: d.department, digest: seen(label) }).toEqual({
        department: d.department,
        digest: fromApi,
      });
      expect(fromCli).toEqual(fromApi);
    }
    expect(breachesShown).toBe(json.breaches.length);
    // Each row counts its own clock's breaches: summed, the column is the report's total.
    const clocksBreached = json.breaches.map((b) => `${b.department} ${b.clock}`).sort();
    const csvBreaches = rows
      .slice(1)
      .flatMap((r) =>
        Array.from(
          { length: col(r, "breaches") },
          () => `${r[header.indexOf("department")]} ${r[header.indexOf("clock")]}`,
        ),
      )
      .sort();
    expect(csvBreaches).toEqual(clocksBreached);
    // Every number column sums to the report's total, as a spreadsheet's SUM would: the
    // department's volume is on its first row only (blank, not repeated, on the others).
    const total = (name: string) => rows.slice(1).reduce((n, r) => n + col(r, name), 0);
    expect({
      complaints: total("complaints"),
      threads_opened: total("threads_opened"),
      met: total("met"),
      breached: total("breached"),
      running: total("running"),
      breaches: total("breaches"),
    }).toEqual({
      complaints: json.complaints,
      threads_opened: json.threadsOpened,
      met: json.compliance.overall.met,
      breached: json.compliance.overall.breached,
      running: json.compliance.overall.running,
      breaches: json.breaches.length,
    });
    expect(json.complaints).toBeGreaterThan(0);
    // The history has something in it to agree about.
    expect(
      json.byDepartment.find((d) => d.department === "service")?.compliance.met,
    ).toBeGreaterThan(0);
    expect(json.breaches.length).toBeGreaterThan(0);
  }, 60_000);
});

describe("digests across daylight-saving changes", () => {
  /** A workspace whose one executive gets a digest at `time` in `zone`. */
  function startAt(now: string, zone: string, time: string) {
    const yaml = `${TEST_WORKSPACE_YAML}
executives:
  - user: ${EXEC}
    name: Ana Ruiz
    timezone: ${zone}
    digest: "${time}"
`;
    const clock = new FakeClock(now);
    return { clock, workspace: parseWorkspaceConfig(yaml, "dst.yaml") };
  }

  /** Sweeps the timers at `at`; the digests recorded by then, as [from, to] in ISO. */
  async function sweepAt(clock: FakeClock, at: string) {
    clock.set(at);
    await e2e.bot.sweepTimers();
    const rows = await e2e.db.db.select().from(digests).orderBy(digests.id);
    return rows.map((r) => [r.periodFrom.toISOString(), r.periodTo.toISOString()]);
  }

  /** The digest DMs' headlines, once `count` have arrived. */
  async function headlines(count: number): Promise<string[]> {
    const channel = await eventually(() => dmOf(EXEC)?.channel?.id, "the DM opened");
    const sent = await eventually(() => {
      const all = e2e.double.messages(channel).filter((m) => m.text.startsWith("Switchboard"));
      return all.length >= count ? all : undefined;
    }, `${count} digests in the DM`);
    return sent.map((m) => m.text);
  }

  it("send 08:00 London once at 08:00 local as clocks spring forward; the first covers the 23 hours since Saturday 08:00", async () => {
    const { clock, workspace } = startAt("2026-03-28T12:00:00Z", "Europe/London", "08:00");
    e2e = await startE2E({ workspace, clock, timers: false, double: { users: USERS } });
    expect(await sweepAt(clock, "2026-03-29T06:59:00Z")).toEqual([]); // 07:59 BST
    expect(await sweepAt(clock, "2026-03-29T07:00:00Z")).toEqual([
      ["2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z"], // Saturday 08:00 GMT to 08:00 BST
    ]);
    expect(await sweepAt(clock, "2026-03-29T08:00:00Z")).toHaveLength(1); // 08:00 GMT would be 09:00
    expect(await sweepAt(clock, "2026-03-30T07:00:00Z")).toEqual([
      ["2026-03-28T08:00:00.000Z", "2026-03-29T07:00:00.000Z"],
      ["2026-03-29T07:00:00.000Z", "2026-03-30T07:00:00.000Z"],
    ]);
    expect(await headlines(2)).toEqual([
      "Switchboard digest: No breaches since Saturday 08:00, and no new complaints",
      "Switchboard digest: No breaches since Sunday 08:00, and no new complaints",
    ]);
  });

  it("send 01:30 New York once when clocks fall back and 01:30 happens twice; the next covers 25 hours", async () => {
    const { clock, workspace } = startAt("2026-10-31T12:00:00Z", "America/New_York", "01:30");
    e2e = await startE2E({ workspace, clock, timers: false, double: { users: USERS } });
    expect(await sweepAt(clock, "2026-11-01T05:29:00Z")).toEqual([]);
    const first = ["2026-10-31T05:30:00.000Z", "2026-11-01T05:30:00.000Z"];
    expect(await sweepAt(clock, "2026-11-01T05:30:00Z")).toEqual([first]); // 01:30 EDT
    expect(await sweepAt(clock, "2026-11-01T06:30:00Z")).toEqual([first]); // 01:30 EST: not again
    expect(await sweepAt(clock, "2026-11-02T06:29:00Z")).toEqual([first]);
    expect(await sweepAt(clock, "2026-11-02T06:30:00Z")).toEqual([
      first,
      ["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"], // 25 hours
    ]);
    expect(await headlines(2)).toEqual([
      "Switchboard digest: No breaches since Saturday 01:30, and no new complaints",
      "Switchboard digest: No breaches since Sunday 01:30, and no new complaints",
    ]);
  });
});

describe("the report API and CLI", () => {
  it("answer 400 naming a bad parameter, 401 without a token", async () => {
    const { yaml } = workspaceFile();
    e2e = await startE2E({
      workspace: parseWorkspaceConfig(yaml, "d.yaml"),
      double: { users: USERS },
    });
    const get = (query: string, token = INTAKE_TOKEN) =>
      fetch(`${e2e.bot.url}/api/v1/reports/sla?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const bad = async (query: string) =>
      (
        (await (await get(query)).json()) as {
          error: { issues: Array<{ path: string; message: string }> };
        }
      ).error.issues;
    expect((await get("from=2026-11-01&to=2026-11-02")).status).toBe(200);
    expect((await get("from=2026-11-01&to=2026-11-02", "wrong-token-wrong-token")).status).toBe(
      401,
    );
    expect(await bad("to=2026-11-02")).toEqual([
      {
        path: "from",
        message:
          'is required: a date "2026-11-02" or a date-time with an offset "2026-11-02T08:00:00Z"',
      },
    ]);
    expect((await bad("from=yesterday&to=2026-11-02"))[0]?.path).toBe("from");
    expect((await bad("from=2026-11-05&to=2026-11-02"))[0]).toEqual({
      path: "to",
      message: "must be after from",
    });
    expect((await bad("from=2026-11-01&to=2026-11-02&department=bagage"))[0]).toMatchObject({
      path: "department",
      message: expect.stringContaining('unknown department "bagage"'),
    });
    expect((await bad("from=2026-11-01&to=2026-11-02&timezone=Mars/Olympus"))[0]?.path).toBe(
      "timezone",
    );
    expect(await bad("from=2026-11-01&to=2026-11-02&colour=red")).toEqual([
      {
        path: "colour",
        message:
          "is not a parameter of this report; the parameters are from, to, department, timezone, format",
      },
    ]);
    expect((await bad("from=2026-11-01&to=2026-11-02&timezon=UTC"))[0]).toMatchObject({
      path: "timezon",
      message: expect.stringContaining('(did you mean "timezone"?)'),
    });
    // A "+" written as is in a URL is a space: the offset is lost, and the answer says why.
    expect(await bad("from=2026-11-01T08:00:00+01:00&to=2026-11-02")).toEqual([
      {
        path: "from",
        message:
          '"2026-11-01T08:00:00 01:00" lost its offset\'s "+": in a URL "+" means a space, so write it as %2B (2026-11-02T08:00:00%2B01:00) or give the time in UTC with Z',
      },
    ]);
    expect((await get("from=2026-11-01T08:00:00%2B01:00&to=2026-11-02")).status).toBe(200);
    expect(await bad("from=2026-11-01&from=2026-11-03&to=2026-11-04")).toEqual([
      { path: "from", message: "is given more than once: give it once" },
    ]);
    // A day that does not exist, or one the database cannot hold, is named; never another period.
    expect(await bad("from=2026-02-30&to=2026-03-31")).toEqual([
      { path: "from", message: '"2026-02-30" is not a day of the calendar from 1970 on' },
    ]);
    expect((await bad("from=0050-01-01&to=2026-01-02"))[0]?.path).toBe("from");
    expect(await bad("from=9999-12-30&to=9999-12-31")).toEqual([
      {
        path: "to",
        message: "must be 9999-12-30 or earlier: a period must end before the year 10000",
      },
    ]);
    expect((await bad("from=2026-11-01&to=2026-11-02&department="))[0]).toEqual({
      path: "department",
      message: "is empty: name a department, or leave department out for every one",
    });
    expect((await get("from=9999-12-30&to=9999-12-30")).status).toBe(200);
    const csv = await get("from=2026-11-01&to=2026-11-02&format=csv&department=baggage");
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect((await csv.text()).split("\n")[0]).toBe(
      "from,to,timezone,department,clock,met,breached,running,compliance_pct,complaints,threads_opened,breaches",
    );
  });

  it("say clearly that a running bot holds the embedded database", async () => {
    const { path } = workspaceFile();
    const dataDir = join(dir, "embedded");
    const held = await openDatabase({ dataDir });
    try {
      const result = await runReport(["--from", "2026-11-01", "--to", "2026-11-02"], {
        DATA_DIR: dataDir,
        SWITCHBOARD_CONFIG: path,
      });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("already in use by process");
      expect(result.stderr).toContain("stop the bot, run the report");
      const usage = await runReport(
        ["--from", "2026-11-01", "--to", "2026-11-02", "--department", "nope"],
        { DATA_DIR: dataDir, SWITCHBOARD_CONFIG: path },
      );
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('--department: unknown department "nope"');
      const bare = await runReport([], { DATA_DIR: dataDir, SWITCHBOARD_CONFIG: path });
      expect(bare.code).toBe(2);
      expect(bare.stderr).toContain('--from: is required: a date "2026-11-02"');
      expect(bare.stderr).toContain("--to: is required");
    } finally {
      await held.close();
    }
  }, 60_000);
});

/** `npm run report` as a person runs it: a child process, with only these variables. */
function runReport(args: string[], env: Record<string, string>) {
  return runCli("src/report-cli.ts", args, env);
}
