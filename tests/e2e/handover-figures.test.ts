import { afterEach, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { handedToBaggage, startAtT0, sweepAt } from "../helpers/card-fixture.ts";
import { type E2E, eventually, INTAKE_TOKEN } from "../helpers/e2e-harness.ts";
import {
  CHANNELS,
  complaintBody,
  PEOPLE,
  TEST_WORKSPACE_YAML,
} from "../helpers/workspace-fixture.ts";

/**
 * A thread handed to another department while its clocks run, left to breach there: the
 * breached runs and their breaches count for the same department, the one holding the thread
 * at the deadline, in the digest (its lines, its breach list, its chart), an executive's Home
 * and the report's CSV.
 */
const EXEC = "U0EXEC1";
const WORKSPACE = parseWorkspaceConfig(
  `${TEST_WORKSPACE_YAML}
executives:
  - { user: ${EXEC}, name: Ana Ruiz, timezone: Europe/London }
`,
  "handover-figures.yaml",
);
const USERS = [
  ...Object.entries(PEOPLE).map(([name, id]) => ({ id, name })),
  { id: EXEC, name: "ana" },
];

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

/** The executive's Home once it is opened and published. */
async function executiveHome(): Promise<string> {
  const published = () =>
    e2e.double.callsTo("views.publish").filter((c) => c.args.user_id === EXEC && c.response?.ok)
      .length;
  const before = published();
  await e2e.driver.appHomeOpened({ userId: EXEC });
  await eventually(() => published() > before, "the executive's Home published");
  const home = e2e.double.views.find((v) => v.type === "home" && v.userId === EXEC);
  return JSON.stringify(home?.blocks ?? []);
}

/** The CSV report for the test's day, as the API serves it, one object per row. */
async function csvRows(): Promise<Array<Record<string, string>>> {
  const res = await fetch(
    `${e2e.bot.url}/api/v1/reports/sla?from=2026-11-24&to=2026-11-24&format=csv`,
    { headers: { authorization: `Bearer ${INTAKE_TOKEN}` } },
  );
  expect(res.status).toBe(200);
  const [header = [], ...rows] = (await res.text())
    .trim()
    .split("\n")
    .map((line) => line.split(","));
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}

/** The admin's digest, asked for with `/switchboard digest`, as it landed in their DM. */
async function adminDigest(): Promise<StoredMessage> {
  await e2e.driver.slashCommand({
    command: "/switchboard",
    text: "digest",
    userId: PEOPLE.admin,
    channelId: CHANNELS.exec,
  });
  const opened = await eventually(
    () => e2e.double.callsTo("conversations.open").find((c) => c.args.users === PEOPLE.admin),
    "the admin's DM",
  );
  const channel = (opened.response as { channel: { id: string } }).channel.id;
  return eventually(
    () => e2e.double.messages(channel).find((m) => m.text.startsWith("Switchboard digest")),
    "the digest in the admin's DM",
  );
}

it("counts a run breached after a hand-over, and its breach, for the department that held it", async () => {
  const started = await startAtT0({ workspace: WORKSPACE, double: { users: USERS } }); // Tuesday 10:00 GMT
  e2e = started.e2e;
  const { clock } = started;
  const { json } = await e2e.request("/api/v1/complaints", {
    body: complaintBody({ text: "my refund and my broken strap" }), // service, P3
  });
  const card = await eventually(
    () => e2e.double.messages(CHANNELS.service).find((m) => !m.threadTs),
    "the card in Customer Service",
  );
  // 10:40: handed to Baggage unclaimed. Its claim clock restarts there (due 11:40); the first
  // response clock, started in Customer Service at 10:00, runs on (due 14:00).
  await sweepAt(e2e, clock, 40);
  await handedToBaggage(e2e, json.threadId as string, card);
  // Nobody claims or answers it: both deadlines pass while Baggage holds it.
  await sweepAt(e2e, clock, 100);
  await sweepAt(e2e, clock, 240);
  // 14:05: the digest's period (the day up to now) holds both deadlines.
  await sweepAt(e2e, clock, 245);

  // The CSV: each department's breached runs sit on the rows of its breaches.
  const rows = await csvRows();
  const pick = (department: string) =>
    rows
      .filter((r) => r.department === department)
      .map((r) => [
        r.clock,
        Number(r.met),
        Number(r.breached),
        Number(r.running),
        Number(r.breaches),
      ]);
  expect(pick("baggage")).toEqual([
    // clock, met, breached, running, breaches
    ["claim", 0, 1, 0, 1],
    ["firstResponse", 0, 1, 0, 1],
    ["nextResponse", 0, 0, 0, 0],
    ["resolution", 0, 0, 1, 0],
  ]);
  expect(pick("service")).toEqual([
    ["claim", 0, 0, 0, 0],
    ["firstResponse", 0, 0, 0, 0],
    ["nextResponse", 0, 0, 0, 0],
    ["resolution", 0, 0, 0, 0],
  ]);
  // Every run here started and fell due within the day: each row's breached runs are its
  // breaches, so the two columns reconcile row by row and in total.
  expect(rows.filter((r) => r.breached !== r.breaches)).toEqual([]);

  // The digest shows the breaches and the breached runs under Baggage, none under Customer
  // Service, which only received the complaint.
  const digest = await adminDigest();
  const shown = JSON.stringify(digest.blocks).replaceAll("\\n", "\n");
  expect(shown).toContain("*Breaches (2):*");
  expect(shown.match(/• \*P3\* [^:\n]+: [^\n]* breached/g)).toEqual([
    expect.stringMatching(/^• \*P3\* Baggage: Claim breached/),
    expect.stringMatching(/^• \*P3\* Baggage: First response breached/),
  ]);
  expect(shown).toMatch(/\*Baggage\*: [^\n]* · 0% in time \(0 met, 2 breached, 1 running\)/);
  expect(shown).toMatch(
    /\*Customer Service\*: 1 complaint, 1 new thread, 0 open now · no SLA clocks/,
  );
  // And its chart, by the text Slack keeps beside the image.
  const chart = await eventually(() => e2e.double.files.find((f) => f.completed), "the chart");
  expect(chart.altText).toContain("Customer Service: 0 met, 0 breached, 0 still running");
  expect(chart.altText).toContain("Baggage: 0 met, 2 breached, 1 still running");

  // The executive's Home, today's figures: the same department for both.
  const home = await executiveHome();
  expect(home).toContain("*2* breaches");
  expect(home).toContain(
    "*Baggage*: 0 complaints, 1 open, 1 at risk · 0% in time (0 met, 2 breached, 1 running)",
  );
  expect(home).toContain("*Customer Service*: 1 complaint, 0 open, 0 at risk · no SLA clocks");
});
