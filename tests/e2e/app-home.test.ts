import { and, eq, isNotNull, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { channelHolds, homeTabs, outbox, threads } from "../../src/db/schema.ts";
import { slackDate } from "../../src/slack/views/mrkdwn.ts";
import type { StoredView } from "../../src/slack-double/index.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import {
  CHANNELS,
  complaintBody,
  PEOPLE,
  TEST_WORKSPACE_YAML,
} from "../helpers/workspace-fixture.ts";

const EXEC = "U0EXEC1";
const WORKSPACE = parseWorkspaceConfig(
  `${TEST_WORKSPACE_YAML}
executives:
  - { user: ${EXEC}, name: Ana Ruiz, timezone: Europe/London, departments: [baggage] }
`,
  "app-home.yaml",
);
const USERS = [
  ...Object.entries(PEOPLE).map(([name, id]) => ({ id, name })),
  { id: EXEC, name: "ana" },
];

let e2e: E2E;
let clock: FakeClock;
afterEach(async () => {
  await e2e?.stop();
});

async function start() {
  clock = new FakeClock("2026-11-30T10:00:00Z");
  e2e = await startE2E({ workspace: WORKSPACE, clock, timers: false, double: { users: USERS } });
}

const homeOf = (user: string): StoredView | undefined =>
  e2e.double.views.find((v) => v.type === "home" && v.userId === user);
const shown = (user: string) => JSON.stringify(homeOf(user)?.blocks ?? []);
const publishesFor = (user: string) =>
  e2e.double.callsTo("views.publish").filter((c) => c.args.user_id === user && c.response?.ok);

async function open(user: string): Promise<StoredView> {
  const before = publishesFor(user).length;
  const res = await e2e.driver.appHomeOpened({ userId: user });
  expect(res.status).toBe(200);
  await eventually(() => publishesFor(user).length > before, `${user}'s Home published`);
  return homeOf(user) as StoredView;
}

async function file(text: string) {
  const { json } = await e2e.request("/api/v1/complaints", { body: complaintBody({ text }) });
  return json.threadId as string;
}

async function pendingPublishes(user: string) {
  const rows = await e2e.db.db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.kind, "home.publish"),
        eq(outbox.status, "pending"),
        sql`${outbox.payload}->>'user' = ${user}`,
      ),
    );
  return rows.length;
}

describe("the App Home", () => {
  it("shows each role what it needs, through a signed app_home_opened", async () => {
    await start();
    await file("I have a lost bag in Denver");
    await open(PEOPLE.alice);
    expect(shown(PEOPLE.alice)).toContain("Your threads");
    expect(shown(PEOPLE.alice)).toContain("You own no open threads.");
    expect(shown(PEOPLE.alice)).toContain("I have a lost bag in Denver"); // unclaimed in baggage
    expect(shown(PEOPLE.alice)).toContain('"action_id":"home.claim"');
    expect(shown(PEOPLE.alice)).not.toContain("Delivery health");
    expect(shown(PEOPLE.alice)).not.toContain(": your department");

    await open(PEOPLE.outsider); // only in #pr
    expect(shown(PEOPLE.outsider)).toContain("Nothing waits for an owner.");

    await open(PEOPLE.lead);
    expect(shown(PEOPLE.lead)).toContain("Baggage: your department");
    expect(shown(PEOPLE.lead)).toMatch(/\*Queue:\* 1 open · by state: Open 1|\*Queue:\* 1 open/);
    // Whose day "today" is: the department's (Baggage keeps London office hours).
    expect(shown(PEOPLE.lead)).toContain("*Breaches today (0, since 00:00 Europe/London):*");

    await open(EXEC);
    expect(shown(EXEC)).toContain('"text":"Today, since 00:00 Europe/London"');
    expect(shown(EXEC)).toMatch(/\*1\* complaint ·/); // baggage only: the executive's departments
    expect(shown(EXEC)).not.toContain("slack_file"); // no digest yet

    await open(PEOPLE.admin);
    expect(shown(PEOPLE.admin)).toContain("Delivery health");
    expect(shown(PEOPLE.admin)).toContain("Configuration in force");
    expect(shown(PEOPLE.admin)).toContain("*P1*: claim 5m, first response 15m");
    // The executive's departments narrow what they are shown: the configuration says so.
    // By the name the workspace file gives them, beside the mention.
    expect(shown(PEOPLE.admin)).toContain(
      `*Digests:* Ana Ruiz (<@${EXEC}>) with no digest, for Baggage\\n`,
    );

    const messagesTab = await e2e.driver.appHomeOpened({ userId: PEOPLE.bob, tab: "messages" });
    expect(messagesTab.status).toBe(200);
    // Bolt acks before the handler runs: wait until a Home opened after it is published, so
    // the Messages tab's event has been handled too, then look for anything it did.
    await open(PEOPLE.alice);
    expect(await pendingPublishes(PEOPLE.bob)).toBe(0);
    expect(publishesFor(PEOPLE.bob)).toHaveLength(0);
    expect(await e2e.db.db.select().from(homeTabs).where(eq(homeTabs.userId, PEOPLE.bob))).toEqual(
      [],
    );
  });

  it("coalesces a storm of changes into one publish per user", async () => {
    await start();
    await open(PEOPLE.alice);
    await open(PEOPLE.lead);
    const res = await e2e.request("/api/v1/complaints/batch", {
      body: {
        complaints: Array.from({ length: 15 }, (_, i) =>
          complaintBody({ text: `lost bag number ${i}` }),
        ),
      },
    });
    expect(res.json.summary.accepted).toBe(15);
    // Fifteen new threads, one waiting publish each for Alice and the lead.
    expect(await pendingPublishes(PEOPLE.alice)).toBe(1);
    expect(await pendingPublishes(PEOPLE.lead)).toBe(1);
    clock.advance(2_000); // past the short gathering delay
    await eventually(
      async () =>
        publishesFor(PEOPLE.alice).length === 2 && (await pendingPublishes(PEOPLE.alice)) === 0,
      "one more publish",
    );
    await eventually(() => publishesFor(PEOPLE.lead).length === 2, "the lead's");
    expect(shown(PEOPLE.alice)).toContain("Unclaimed in your departments (5 of 15 shown)");
    expect(shown(PEOPLE.lead)).toContain("*Queue:* 15 open");
    expect(publishesFor(PEOPLE.outsider)).toHaveLength(0); // never opened it: nothing to refresh
  });

  it("claims from the Home, and shows a refusal on the Home", async () => {
    await start();
    const threadId = await file("I have a lost bag in Denver");
    const bobsView = await open(PEOPLE.bob);
    const alicesView = await open(PEOPLE.alice);
    await e2e.driver.clickButton({
      userId: PEOPLE.alice,
      viewId: alicesView.id,
      actionId: "home.claim",
    });
    await eventually(async () => {
      const [t] = await e2e.db.db.select().from(threads).where(eq(threads.id, threadId));
      return t?.owner === PEOPLE.alice;
    }, "Alice owns it");
    await eventually(
      () => shown(PEOPLE.alice).includes('"action_id":"home.resolve"'),
      "Alice's Home lists it as hers",
    );
    expect(shown(PEOPLE.alice)).toContain("Nothing waits for an owner.");
    // Bob's Home still showed the Claim button.
    await e2e.driver.clickButton({
      userId: PEOPLE.bob,
      viewId: bobsView.id,
      actionId: "home.claim",
    });
    await eventually(
      () =>
        shown(PEOPLE.bob).includes(`<@${PEOPLE.alice}> already owns this thread (since <!date^`),
      "the refusal on Bob's Home, saying since when",
    );
    const [t] = await e2e.db.db.select().from(threads).where(eq(threads.id, threadId));
    expect(t?.owner).toBe(PEOPLE.alice);
  });

  it("retries a failed delivery from the admin's Home and from /switchboard retry", async () => {
    await start();
    e2e.double.failNext("chat.postMessage", { error: "channel_not_found" });
    await file("first: nobody answers");
    const failedId = await eventually(async () => {
      const [row] = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
      return row?.id;
    }, "a permanent failure");

    const alice = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "status",
      userId: PEOPLE.alice,
      channelId: CHANNELS.service,
    });
    expect(JSON.stringify(alice.json)).toContain(
      `Only Switchboard admins can see Switchboard's status: <@${PEOPLE.admin}>`,
    );
    const aliceRetry = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: `retry ${failedId}`,
      userId: PEOPLE.alice,
      channelId: CHANNELS.service,
    });
    expect(JSON.stringify(aliceRetry.json)).toContain(
      "Only Switchboard admins can retry deliveries",
    );

    const status = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "status",
      userId: PEOPLE.admin,
      channelId: CHANNELS.exec,
    });
    expect(JSON.stringify(status.json)).toContain(
      `*#${failedId}* thread.post_card to <#${CHANNELS.service}>: \`channel_not_found\``,
    );
    expect(e2e.double.ephemerals(CHANNELS.exec, PEOPLE.admin).at(-1)?.text).toContain("1 failed");
    const retried = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: `retry ${failedId}`,
      userId: PEOPLE.admin,
      channelId: CHANNELS.exec,
    });
    expect(JSON.stringify(retried.json)).toContain("Queued 1 delivery again");
    await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .some((m) => JSON.stringify(m.blocks).includes("first: nobody answers")),
      "the card after the retry",
    );
    // The card is in Slack before the bot records it: wait for the record, not the card.
    await eventually(async () => {
      const [row] = await e2e.db.db.select().from(outbox).where(eq(outbox.id, failedId));
      return row?.status === "delivered";
    }, "the retried delivery recorded");
    const again = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: `retry ${failedId}`,
      userId: PEOPLE.admin,
      channelId: CHANNELS.exec,
    });
    expect(JSON.stringify(again.json)).toContain(
      `Delivery #${failedId} has not failed (it is delivered)`,
    );

    e2e.double.failNext("chat.postMessage", { error: "channel_not_found" });
    await file("second: nobody answers");
    const secondId = await eventually(async () => {
      const [row] = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
      return row?.id;
    }, "another failure");
    const home = await open(PEOPLE.admin);
    await eventually(
      () => shown(PEOPLE.admin).includes(`home.admin.failure.${secondId}`),
      "the failure on the admin's Home",
    );
    expect(shown(PEOPLE.admin)).toContain("`channel_not_found`");
    await e2e.driver.clickButton({
      userId: PEOPLE.admin,
      viewId: home.id,
      actionId: "home.retry",
      value: String(secondId),
    });
    await eventually(
      () =>
        e2e.double
          .messages(CHANNELS.service)
          .some((m) => JSON.stringify(m.blocks).includes("second: nobody answers")),
      "the second card",
    );
    await eventually(
      () =>
        !shown(PEOPLE.admin).includes(`home.admin.failure.${secondId}`) &&
        shown(PEOPLE.admin).includes("0 failed for good"),
      "the Home without the failure",
    );
  });

  it("shows a delivery that failed for good on an admin's Home without it being reopened", async () => {
    await start();
    await open(PEOPLE.admin);
    expect(shown(PEOPLE.admin)).toContain("0 failed for good");
    e2e.double.failNext("chat.postMessage", { error: "channel_not_found" });
    await file("nobody answers the phone");
    const failedId = await eventually(async () => {
      const [row] = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
      return row?.id;
    }, "the card's delivery failed for good");
    // Queued with the failure, after the short gathering delay like any other change.
    expect(await pendingPublishes(PEOPLE.admin)).toBe(1);
    clock.advance(2_000);
    await eventually(
      () => shown(PEOPLE.admin).includes(`home.admin.failure.${failedId}`),
      "the failure on the admin's Home",
    );
    expect(shown(PEOPLE.admin)).toContain("1 failed for good");
    expect(shown(PEOPLE.admin)).toContain("`channel_not_found`");
    expect(publishesFor(PEOPLE.alice)).toHaveLength(0); // never opened hers

    // A Home publish that fails for good queues no Home publish: it would fail the same way.
    e2e.double.failNext("views.publish", { error: "invalid_arguments" });
    const reopenedAt = clock.now();
    await e2e.driver.appHomeOpened({ userId: PEOPLE.admin });
    await eventually(async () => {
      const failed = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
      return failed.some((row) => row.kind === "home.publish");
    }, "the Home publish failed for good");
    expect(await pendingPublishes(PEOPLE.admin)).toBe(0);

    // Each failure names its channel or person as Slack shows them, not a bare id (nor the
    // queue a Home publish waits in).
    const failures = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
    const homeId = failures.find((row) => row.kind === "home.publish")?.id;
    const status = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "status",
      userId: PEOPLE.admin,
      channelId: CHANNELS.exec,
    });
    const listed = JSON.stringify(status.json);
    expect(listed).toContain(`*#${failedId}* thread.post_card to <#${CHANNELS.service}>: `);
    // Queued when the admin opened the Home by the bot's clock, as every other delivery is.
    expect(listed).toContain(
      `*#${homeId}* home.publish to <@${PEOPLE.admin}>: \`invalid_arguments\` (queued ${slackDate(reopenedAt)})`,
    );
    const failureOnHome = homeOf(PEOPLE.admin)?.blocks.find(
      (b) => (b as { block_id?: string }).block_id === `home.admin.failure.${failedId}`,
    ) as { text?: { text?: string } } | undefined;
    expect(failureOnHome?.text?.text).toBe(
      `*#${failedId}* thread.post_card to <#${CHANNELS.service}>: \`channel_not_found\``,
    );
  });

  it("names the executive whose digest failed, on the admin's Home and in /switchboard status", async () => {
    await start();
    e2e.double.failNext("conversations.open", { error: "user_disabled" });
    await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "digest",
      userId: EXEC,
      channelId: CHANNELS.exec,
    });
    const failedId = await eventually(async () => {
      const [row] = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
      return row?.kind === "digest.send" ? row.id : undefined;
    }, "the digest failed for good");
    const line = `*#${failedId}* digest.send for Ana Ruiz to <@${EXEC}>: \`user_disabled\``;

    const status = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "status",
      userId: PEOPLE.admin,
      channelId: CHANNELS.exec,
    });
    expect(status.status).toBe(200);
    const listed = e2e.double.ephemerals(CHANNELS.exec, PEOPLE.admin).at(-1);
    expect(JSON.stringify(listed?.blocks)).toContain(line);

    await open(PEOPLE.admin);
    const failureOnHome = await eventually(
      () =>
        homeOf(PEOPLE.admin)?.blocks.find(
          (b) => (b as { block_id?: string }).block_id === `home.admin.failure.${failedId}`,
        ) as { text?: { text?: string } } | undefined,
      "the failure on the admin's Home",
    );
    expect(failureOnHome.text?.text).toBe(line);
  });

  it("waits out a 429 from views.publish for every publish, then delivers", async () => {
    clock = new FakeClock("2026-11-30T10:00:00Z");
    e2e = await startE2E({
      workspace: WORKSPACE,
      clock,
      timers: false,
      double: {
        users: USERS,
        now: () => clock.now().getTime(),
        rateLimits: {
          postMessagePerChannel: { burst: 100, perSecond: 100 },
          perMethodPerMinute: { "views.publish": 1 },
        },
      },
    });
    await open(PEOPLE.alice);
    await e2e.driver.appHomeOpened({ userId: PEOPLE.bob });
    await e2e.driver.appHomeOpened({ userId: PEOPLE.lead });
    await eventually(
      async () =>
        (await e2e.db.db.select().from(channelHolds)).some((h) => h.channel === "views.publish"),
      "the hold",
    );
    const refused = () =>
      e2e.double.callsTo("views.publish").filter((c) => c.status === 429).length;
    expect(refused()).toBe(1); // the second publish was refused; the third waited without trying
    clock.advance(61_000);
    await eventually(
      () => publishesFor(PEOPLE.bob).length === 1 || publishesFor(PEOPLE.lead).length === 1,
      "a publish after Retry-After",
    );
    // The publish is in Slack before the bot records it (and paces the next one from then):
    // move the clock only once no item is in a worker's hands.
    await eventually(
      async () =>
        (
          await e2e.db.db
            .select({ id: outbox.id })
            .from(outbox)
            .where(and(eq(outbox.status, "pending"), isNotNull(outbox.lockedUntil)))
        ).length === 0,
      "the publish recorded",
    );
    clock.advance(61_000);
    await eventually(
      () => publishesFor(PEOPLE.bob).length === 1 && publishesFor(PEOPLE.lead).length === 1,
      "both publishes",
    );
  });
});

describe("the admin's Home, Slack setup", () => {
  it("shows an executive whose account was deactivated, with the key to change, once their digest is refused", async () => {
    clock = new FakeClock("2026-11-30T07:00:00Z");
    const workspace = parseWorkspaceConfig(
      `${TEST_WORKSPACE_YAML}
executives:
  - { user: ${EXEC}, name: Ana Ruiz, timezone: Europe/London, digest: "08:00" }
`,
      "app-home-digest.yaml",
    );
    e2e = await startE2E({ workspace, clock, timers: false, double: { users: USERS } });
    await open(PEOPLE.admin);
    expect(shown(PEOPLE.admin)).toContain("*Slack setup:* no problems seen.");
    // Ana leaves; her 08:00 digest cannot be sent: Slack will not open a DM with her.
    e2e.double.deactivateUser(EXEC);
    clock.set("2026-11-30T08:00:00Z");
    await e2e.bot.sweepTimers();
    await eventually(
      () => shown(PEOPLE.admin).includes(`<@${EXEC}>'s Slack account is deactivated`),
      "the admin's Home redrawn with the problem",
    );
    const setup = (homeOf(PEOPLE.admin)?.blocks ?? []).find(
      (b) => (b as { block_id?: string }).block_id === "home.admin.slack_setup",
    ) as { text: { text: string } } | undefined;
    expect(setup?.text.text).toBe(
      `*Slack setup:* 1 problem\n• *<@${EXEC}>'s Slack account is deactivated* (affects Ana Ruiz), since ${slackDate(clock.now())}. Fix: change \`executives[0].user\` in the workspace file.`,
    );
  });
});
