import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { digests, outbox } from "../../src/db/schema.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { switchboardApp } from "../helpers/switchboard-app.ts";
import { PEOPLE, TEST_WORKSPACE_YAML } from "../helpers/workspace-fixture.ts";

const EXEC = "U0EXEC1";
const USERS = [
  ...Object.entries(PEOPLE).map(([name, id]) => ({ id, name })),
  { id: EXEC, name: "ana" },
];
const dir = mkdtempSync(join(tmpdir(), "switchboard-digest-faults-"));
const YAML = `${TEST_WORKSPACE_YAML}
executives:
  - user: ${EXEC}
    name: Ana Ruiz
    timezone: Europe/London
    digest: "08:00"
`;
writeFileSync(join(dir, "switchboard.yaml"), YAML);
const workspace = parseWorkspaceConfig(YAML, join(dir, "switchboard.yaml"));

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dmOf = (e: E2E, user: string) =>
  (
    e.double.callsTo("conversations.open").find((c) => c.args.users === user)?.response as
      | { channel?: { id: string } }
      | undefined
  )?.channel?.id;

const digestMessages = (e: E2E, channel: string): StoredMessage[] =>
  e.double.messages(channel).filter((m) => m.text.startsWith("Switchboard digest"));

/**
 * Waits until the digest's failed try is recorded with a retry planned (`what` names the
 * failure), then moves the clock past the retry and lets the worker run it.
 */
async function retryAfterFailure(clock: FakeClock, what: string) {
  await eventually(async () => {
    const [item] = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "digest.send"));
    return item?.lastError && item.lockedUntil === null;
  }, what);
  clock.advance(5 * 60_000);
  await e2e.bot.worker.runOnce();
}

describe("a digest while PostgreSQL goes away", () => {
  it("shares its chart once when the database is cut right after Slack took the chart", async () => {
    const clock = new FakeClock("2026-11-30T07:59:00Z");
    let cut = true;
    e2e = await startE2E({
      workspace,
      clock,
      timers: false,
      double: { users: USERS },
      proxyDatabase: true,
      databaseTimeouts: { connectMs: 1_000, statementMs: 1_500, responseMs: 2_000 },
      outbox: { leaseMs: 1_000, recoveryGraceMs: 0 },
      onSlackAnswer: (method, answer) => {
        if (method !== "files.completeUploadExternal" || !cut) return;
        if ((answer.body as { ok?: boolean }).ok !== true) return;
        // Slack has shared the chart in the DM; the bot has not heard so yet.
        cut = false;
        e2e.proxy?.cut();
      },
    });
    const proxy = e2e.proxy;
    if (!proxy) throw new Error("the harness gave no proxy");
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers();
    await eventually(() => !cut && proxy.refused >= 3, "the database cut after the chart");
    proxy.restore();
    clock.advance(60_000); // past any retry's backoff
    const channel = await eventually(() => dmOf(e2e, EXEC), "the DM");
    await eventually(() => digestMessages(e2e, channel).length > 0, "the digest message");
    const [file] = e2e.double.files;
    await eventually(async () => {
      const [row] = await e2e.db.db.select().from(digests);
      return row?.deliveredAt && row.chartFileId === file?.id;
    }, "the digest recorded as delivered, with its chart");
    await e2e.bot.worker.runOnce();
    expect(digestMessages(e2e, channel)).toHaveLength(1);
    expect(e2e.double.messages(channel).filter((m) => m.files?.length)).toHaveLength(1);
  });
});

describe("a digest while Slack refuses", () => {
  it("is delivered once, with one chart, after a 429 and a 500 from the upload and a 500 from the post", async () => {
    const clock = new FakeClock("2026-11-30T07:59:00Z");
    e2e = await startE2E({ workspace, clock, timers: false, double: { users: USERS } });
    e2e.double.failNext("files.getUploadURLExternal", { status: 500 });
    e2e.double.failNext("files.completeUploadExternal", { status: 429, retryAfter: 30 });
    e2e.double.failNext("chat.postMessage", { status: 500 });
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers();
    const channel = await eventually(() => dmOf(e2e, EXEC), "the DM");
    // Each refusal is taken in before the clock moves past its backoff or Retry-After.
    for (const method of [
      "files.getUploadURLExternal",
      "files.completeUploadExternal",
      "chat.postMessage",
    ]) {
      await eventually(
        () => e2e.double.callsTo(method).some((c) => c.status !== 200 || c.response?.ok === false),
        `Slack's refusal of ${method}`,
      );
      await retryAfterFailure(clock, "the refusal recorded and a retry planned");
    }
    await eventually(() => digestMessages(e2e, channel).length > 0, "the digest message");
    await eventually(async () => {
      const [row] = await e2e.db.db.select().from(digests);
      return row?.deliveredAt;
    }, "the digest recorded as delivered");
    await e2e.bot.worker.runOnce();
    expect(digestMessages(e2e, channel)).toHaveLength(1);
    expect(e2e.double.messages(channel).filter((m) => m.files?.length)).toHaveLength(1);
    expect(e2e.double.files.filter((f) => f.completed)).toHaveLength(1);
  });
});

describe("a digest whose answers Slack loses", () => {
  it("shares its chart once when Slack shared it but the answer to completing the upload was lost", async () => {
    const clock = new FakeClock("2026-11-30T07:59:00Z");
    e2e = await startE2E({ workspace, clock, timers: false, double: { users: USERS } });
    e2e.double.failNext("files.completeUploadExternal", { answerLost: true });
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers();
    const channel = await eventually(() => dmOf(e2e, EXEC), "the DM");
    await eventually(
      () => e2e.double.callsTo("files.completeUploadExternal").some((c) => c.answerLost),
      "Slack sharing the chart, its answer lost",
    );
    await retryAfterFailure(clock, "the lost answer recorded and a retry planned");
    await eventually(() => digestMessages(e2e, channel).length > 0, "the digest message");
    const row = await eventually(async () => {
      const [digest] = await e2e.db.db.select().from(digests);
      return digest?.deliveredAt ? digest : undefined;
    }, "the digest recorded as delivered");
    await e2e.bot.worker.runOnce();
    expect(digestMessages(e2e, channel)).toHaveLength(1);
    // What the executive sees in their DM: one chart, the one the digest records.
    const shared = e2e.double.files.filter((f) => f.completed);
    expect(shared).toHaveLength(1);
    const withCharts = e2e.double.messages(channel).filter((m) => m.files?.length);
    expect(withCharts.map((m) => m.files?.map((f) => f.id))).toEqual([[shared[0]?.id]]);
    expect(row.chartFileId).toBe(shared[0]?.id);
    // The retry asked Slack about the chart rather than uploading another.
    expect(e2e.double.callsTo("files.getUploadURLExternal")).toHaveLength(1);
  });

  it("is still delivered, once, by an app installed without files:read (it cannot ask about the chart)", async () => {
    const clock = new FakeClock("2026-11-30T07:59:00Z");
    const botScopes = switchboardApp().botScopes.filter((s) => s !== "files:read");
    e2e = await startE2E({ workspace, clock, timers: false, double: { users: USERS, botScopes } });
    e2e.double.failNext("files.completeUploadExternal", { answerLost: true });
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers();
    const channel = await eventually(() => dmOf(e2e, EXEC), "the DM");
    await retryAfterFailure(clock, "the lost answer recorded and a retry planned");
    const row = await eventually(async () => {
      const [digest] = await e2e.db.db.select().from(digests);
      return digest?.deliveredAt ? digest : undefined;
    }, "the digest recorded as delivered");
    expect(e2e.double.callsTo("files.info").map((c) => c.response?.error)).toEqual([
      "missing_scope",
    ]);
    expect(digestMessages(e2e, channel)).toHaveLength(1);
    // The limit README.md names: without files:read the chart is shared again.
    const shared = e2e.double.files.filter((f) => f.completed);
    expect(shared).toHaveLength(2);
    expect(row.chartFileId).toBe(shared[1]?.id);
  });
});

describe("a digest whose chart Slack shares late", () => {
  /** Starts the bot, holds Slack's shares and sends the digest; returns the DM. */
  async function sendWithSharesHeld(clock: FakeClock) {
    e2e = await startE2E({ workspace, clock, timers: false, double: { users: USERS } });
    e2e.double.holdFileShares();
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers();
    return eventually(() => dmOf(e2e, EXEC), "the DM");
  }
  const delivered = () =>
    eventually(async () => {
      const [digest] = await e2e.db.db.select().from(digests);
      return digest?.deliveredAt ? digest : undefined;
    }, "the digest recorded as delivered");

  it("posts the message below the chart it refers to when Slack shares the chart after answering", async () => {
    const clock = new FakeClock("2026-11-30T07:59:00Z");
    const channel = await sendWithSharesHeld(clock);
    await eventually(
      () => e2e.double.callsTo("files.completeUploadExternal").some((c) => c.response?.ok),
      "Slack completing the chart, its share still to come",
    );
    await eventually(async () => {
      const [item] = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "digest.send"));
      const waiting = item?.lastError && item.lockedUntil === null;
      return waiting || digestMessages(e2e, channel).length > 0;
    }, "the try waiting for the chart (or the message)");
    e2e.double.releaseFileShares();
    clock.advance(5 * 60_000);
    await e2e.bot.worker.runOnce();
    await delivered();
    // What the executive sees in the DM, in order: the chart, then the message about it.
    const seen = e2e.double
      .messages(channel)
      .map((m) =>
        m.files?.length ? "chart" : m.text.startsWith("Switchboard digest") && "digest",
      );
    expect(seen).toEqual(["chart", "digest"]);
    expect(JSON.stringify(digestMessages(e2e, channel)[0]?.blocks)).toContain("The chart above");
    expect(e2e.double.callsTo("files.getUploadURLExternal")).toHaveLength(1);
  });

  it("sends the message once, without pointing at a chart, when Slack never shows the chart", async () => {
    const clock = new FakeClock("2026-11-30T07:59:00Z");
    const channel = await sendWithSharesHeld(clock);
    // Each try that finds the chart not shown is followed by the next; the clock moves only
    // between tries (a try in flight keeps its lease).
    const row = await eventually(async () => {
      const [digest] = await e2e.db.db.select().from(digests);
      if (digest?.deliveredAt) return digest;
      const [item] = await e2e.db.db.select().from(outbox).where(eq(outbox.kind, "digest.send"));
      if (item?.lastError && item.lockedUntil === null) {
        clock.advance(5 * 60_000);
        await e2e.bot.worker.runOnce();
      }
      return undefined;
    }, "the digest delivered after its tries for the chart");
    const [message, ...others] = digestMessages(e2e, channel);
    expect(others).toEqual([]);
    expect(JSON.stringify(message?.blocks)).not.toContain("chart above");
    // Not uploaded a second time: the one chart is the digest's, should Slack show it later.
    expect(e2e.double.callsTo("files.getUploadURLExternal")).toHaveLength(1);
    expect(row.chartFileId).toBe(e2e.double.files[0]?.id);
  });
});
