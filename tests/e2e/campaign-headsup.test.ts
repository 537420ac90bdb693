import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { holdChannel } from "../../src/db/outbox-store.ts";
import { campaignDepartments, campaigns, outbox } from "../../src/db/schema.ts";
import { pendingTimers } from "../../src/db/timer-store.ts";
import { CAMPAIGN_OUTBOX_KINDS } from "../../src/services/outbox-kinds.ts";
import { CAMPAIGN_ACTION_IDS, CAMPAIGN_INPUTS as IN } from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import {
  api,
  BAGGAGE_GROUP,
  campaignDouble,
  campaignMadeLate,
  campaignWorkspace,
  createCampaign,
  listCampaigns,
  MARKETING,
  openHeadsUpForm,
  showTalkingPoints,
} from "../helpers/campaign-fixture.ts";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR, MINUTE } from "../helpers/fake-clock.ts";
import { asSeenIn } from "../helpers/slack-dates.ts";
import { CHANNELS, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const T0 = "2026-11-24T10:00:00Z";
const DAY = 24 * HOUR;

async function start(double = campaignDouble()) {
  const clock = new FakeClock(T0);
  e2e = await startE2E({
    clock,
    timers: false,
    workspace: campaignWorkspace(),
    double,
  });
  return clock;
}

const text = (m: StoredMessage | undefined) => JSON.stringify(m?.blocks ?? []) + (m?.text ?? "");
const topLevel = (channel: string) => e2e.double.messages(channel).filter((m) => !m.threadTs);
const repliesUnder = (m: StoredMessage) =>
  e2e.double.messages(m.channel).filter((r) => r.threadTs === m.ts && r.ts !== m.ts);
const dmsTo = (user: string) =>
  e2e.double
    .messages()
    .filter(
      (m) =>
        m.channel.startsWith("D") &&
        e2e.double
          .callsTo("conversations.open")
          .some(
            (c) =>
              c.args.users === user &&
              (c.response?.channel as { id?: string } | undefined)?.id === m.channel,
          ),
    );
const privately = () => e2e.double.responses.map((r) => JSON.stringify(r.body));
/** What the double showed privately, and to whom. */
const privateNotes = () =>
  e2e.double
    .ephemerals()
    .map((m) => ({ to: m.ephemeralTo, text: `${m.text} ${JSON.stringify(m.blocks)}` }));
/** Waits until nothing waits in the outbox: every queued message was delivered (or failed). */
const drained = () =>
  eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
    return rows.length === 0;
  }, "the outbox to drain");

/** The heads-up in a department's channel, once its ts is recorded. */
async function headsUp(channel: string, campaignId: string) {
  await eventually(async () => {
    const rows = await e2e.db.db
      .select()
      .from(campaignDepartments)
      .where(eq(campaignDepartments.campaignId, campaignId));
    return rows.filter((r) => r.active).every((r) => r.slackTs);
  }, "every heads-up's ts recorded");
  const found = topLevel(channel).find((m) => text(m).includes("Heads-up"));
  if (!found) throw new Error(`no heads-up in ${channel}`);
  return found;
}

const acknowledge = (userId: string, m: StoredMessage) =>
  e2e.driver.clickButton({
    userId,
    channelId: m.channel,
    messageTs: m.ts,
    actionId: CAMPAIGN_ACTION_IDS.acknowledge,
  });

describe("campaign heads-up from Slack", () => {
  it("announces in the modal, collects two of three acknowledgements, reminds only the third at each lead time, and names it to the owner at launch", async () => {
    const clock = await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const modal = await openHeadsUpForm(e2e, MARKETING.marketer, MARKETING.channel);
    const submitted = await e2e.driver.submitView({
      viewId: modal.id,
      userId: MARKETING.marketer,
      values: {
        [IN.name.blockId]: { [IN.name.actionId]: "Spring fare sale" },
        [IN.description.blockId]: { [IN.description.actionId]: "20% off European fares" },
        [IN.launchAt.blockId]: { [IN.launchAt.actionId]: launch },
        [IN.endAt.blockId]: { [IN.endAt.actionId]: new Date(launch.getTime() + 7 * DAY) },
        [IN.channels.blockId]: { [IN.channels.actionId]: ["email", "social"] },
        [IN.audienceSize.blockId]: { [IN.audienceSize.actionId]: "16000" },
        [IN.expectedVolume.blockId]: { [IN.expectedVolume.actionId]: "140" },
        [IN.departments.blockId]: { [IN.departments.actionId]: ["service", "baggage", "pr"] },
        [IN.keywords.blockId]: {
          [IN.keywords.actionId]: "SPRING25\n#springsale\nspring fare sale",
        },
        [IN.talkingPoints.blockId]: { [IN.talkingPoints.actionId]: "New bookings only." },
        [IN.faqUrl.blockId]: { [IN.faqUrl.actionId]: "https://skyline.example/faq" },
      },
    });
    expect(submitted.outcome.action).toBe("updated");
    expect(JSON.stringify(e2e.double.view(modal.id)?.blocks)).toContain("heads-up is on its way");
    const [row] = await e2e.db.db.select().from(campaigns);
    expect(row).toMatchObject({ name: "Spring fare sale", owner: MARKETING.marketer, late: false });
    const id = row?.id ?? "";

    const service = await headsUp(CHANNELS.service, id);
    const baggage = await headsUp(CHANNELS.baggage, id);
    const pr = await headsUp(CHANNELS.pr, id);
    expect(text(service)).toContain("Spring fare sale");
    expect(text(service)).toContain("SPRING25");
    expect(text(service)).toContain("New bookings only.");
    expect(text(service)).toContain(`<!date^${launch.getTime() / 1000}^`);
    const card = await eventually(() => topLevel(MARKETING.channel)[0], "the campaign card");
    expect(text(card)).toContain("0 of 3 acknowledged");

    // Alice and Bob click the same heads-up at once (after one acknowledgement the card loses
    // its button, so a second click only ever comes from a card not yet updated).
    await Promise.all([acknowledge(PEOPLE.alice, service), acknowledge(PEOPLE.bob, service)]);
    const [thanked, told] = await eventually(() => {
      const thanks = privateNotes().find((n) => n.text.includes("Thanks: acknowledged for"));
      const already = privateNotes().find((n) => n.text.includes("already acknowledged this"));
      return thanks && already ? [thanks, already] : null;
    }, "one thanks and one 'already acknowledged'");
    const acknowledger = thanked.to === PEOPLE.alice ? PEOPLE.alice : PEOPLE.bob;
    expect([thanked.to, told.to].sort()).toEqual([PEOPLE.alice, PEOPLE.bob].sort());
    expect(told.text).toContain(`<@${acknowledger}> already acknowledged this`);
    await acknowledge(PEOPLE.outsider, baggage);
    await eventually(
      () => privately().some((t) => t.includes("Only members of *Baggage*")),
      "the outsider refused",
    );
    await acknowledge(PEOPLE.bob, baggage);
    await eventually(
      () =>
        text(e2e.double.messages(MARKETING.channel).find((m) => m.ts === card.ts)).includes(
          "2 of 3 acknowledged",
        ),
      "the campaign card updated in place",
    );
    const serviceNow = e2e.double.messages(CHANNELS.service).find((m) => m.ts === service.ts);
    expect(text(serviceNow)).toContain(`acknowledged by <@${acknowledger}>`);
    expect(text(serviceNow)).not.toContain(CAMPAIGN_ACTION_IDS.acknowledge);
    expect(topLevel(MARKETING.channel)).toHaveLength(1);

    for (const at of [launch.getTime() - DAY, launch.getTime() - 2 * HOUR]) {
      clock.set(new Date(at));
      await e2e.bot.sweepTimers();
      await e2e.bot.sweepTimers();
      await drained();
    }
    const reminders = repliesUnder(pr).filter((m) => text(m).includes("Reminder"));
    expect(reminders).toHaveLength(2);
    expect(text(reminders[0])).toContain(`<@${PEOPLE.lead}>`);
    expect(reminders.every((m) => m.replyBroadcast)).toBe(true);
    expect(repliesUnder(service)).toHaveLength(0);
    expect(repliesUnder(baggage)).toHaveLength(0);

    clock.set(launch);
    await e2e.bot.sweepTimers();
    await drained();
    for (const m of [service, baggage, pr])
      expect(repliesUnder(m).filter((r) => text(r).includes("is live now"))).toHaveLength(1);
    const dm = dmsTo(MARKETING.marketer);
    expect(dm).toHaveLength(1);
    expect(text(dm[0])).toContain("Press &amp; PR");
    expect(text(dm[0])).not.toContain("Baggage");
    expect(await pendingTimers(e2e.db.db, { type: "campaign", id })).toHaveLength(1); // the end
  });
});

/** The marketer clicks Edit on the campaign card; resolves to the modal Slack then shows. */
async function openEditModal(card: StoredMessage) {
  await e2e.driver.clickButton({
    userId: MARKETING.marketer,
    channelId: card.channel,
    messageTs: card.ts,
    actionId: CAMPAIGN_ACTION_IDS.edit,
  });
  return eventually(
    () => e2e.double.views.find((v) => v.userId === MARKETING.marketer && v.isOpen),
    "the edit modal",
  );
}

/** Announces over the API at the clock's now; returns the campaign id once every heads-up is posted. */
async function announce(launchAt: Date, overrides: Record<string, unknown> = {}) {
  const { id, json } = await createCampaign(e2e, launchAt, overrides);
  await eventually(async () => {
    const [c] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
    return c?.slackTs;
  }, "the campaign card posted");
  return { id, json };
}

const complain = (text: string) =>
  api(e2e.bot.url, "POST", "/api/v1/complaints", {
    source: "twitter",
    externalId: `c-${Math.random().toString(36).slice(2)}`,
    text,
  });

describe("complaints linked to campaigns", () => {
  it("links by keyword, answers campaignIds, marks the card, counts on the campaign card, and alerts once per spike", async () => {
    const clock = await start();
    const { id } = await announce(new Date(Date.parse(T0) + 3 * DAY), {
      departments: ["service"],
      expectedVolume: 24, // 0.14 an hour over a week: three in an hour is a spike
    });
    const card = topLevel(MARKETING.channel)[0] as StoredMessage;
    const linked = await complain("Your SPRING25 code doesn't work at checkout!");
    expect(linked.status).toBe(202);
    expect(linked.json.campaignIds).toEqual([id]);
    const other = await complain("nobody answers the phone");
    expect(other.json.campaignIds).toEqual([]);
    const hashtag = await complain("#SpringSale is a scam, prices went UP");
    expect(hashtag.json.campaignIds).toEqual([id]);
    const resend = await api(e2e.bot.url, "POST", "/api/v1/complaints", {
      source: "twitter",
      externalId: "dup-1",
      text: "spring fare sale? more like spring fail sale",
    });
    expect(resend.json.campaignIds).toEqual([id]);
    const again = await api(e2e.bot.url, "POST", "/api/v1/complaints", {
      source: "twitter",
      externalId: "dup-1",
      text: "spring fare sale? more like spring fail sale",
    });
    expect(again.json).toMatchObject({ duplicate: true, campaignIds: [id] });

    const complaintCard = await eventually(
      () => topLevel(CHANNELS.service).find((m) => text(m).includes("SPRING25 code")),
      "the complaint's card",
    );
    expect(text(complaintCard)).toContain("Related to campaign: *Spring fare sale*");
    const plain = await eventually(
      () => topLevel(CHANNELS.service).find((m) => text(m).includes("nobody answers")),
      "the other card",
    );
    expect(text(plain)).not.toContain("Related to campaign");
    const points = await showTalkingPoints(e2e, complaintCard, PEOPLE.alice);
    expect(JSON.stringify(points.blocks)).toContain(
      "The code SPRING25 works on new bookings only.",
    );

    // Three linked complaints within the hour: one spike alert, to the owner and the lead.
    await drained();
    const spikes = (user: string) => dmsTo(user).filter((m) => text(m).includes("Complaint spike"));
    expect(spikes(MARKETING.marketer)).toHaveLength(1);
    expect(spikes(PEOPLE.lead)).toHaveLength(1);
    for (const words of ["SPRING25 again", "still SPRING25 problems"]) {
      clock.advance(5 * MINUTE);
      await complain(words);
    }
    await drained();
    expect(spikes(MARKETING.marketer)).toHaveLength(1);
    await eventually(
      () =>
        text(e2e.double.messages(MARKETING.channel).find((m) => m.ts === card.ts)).includes(
          "*Linked complaints*\\n5",
        ),
      "the campaign card counting five, in place",
    );
    expect(topLevel(MARKETING.channel)).toHaveLength(1);

    // The rate falls back below the threshold, then rises again: a second alert.
    clock.advance(2 * HOUR);
    await complain("SPRING25 one");
    await complain("SPRING25 two");
    await drained();
    expect(spikes(MARKETING.marketer)).toHaveLength(1);
    await complain("SPRING25 three");
    await drained();
    expect(spikes(MARKETING.marketer)).toHaveLength(2);
    expect(repliesUnder(card).filter((m) => text(m).includes("Complaint spike"))).toHaveLength(2);

    const got = await api(e2e.bot.url, "GET", `/api/v1/campaigns/${id}`);
    expect(got.json).toMatchObject({ id, status: "upcoming", linkedComplaints: 8 });
  });
});

describe("late announcements", () => {
  it("flags a late API announcement, alerts the leads at once and skips reminders already past", async () => {
    const clock = await start();
    const launch = new Date(Date.parse(T0) + 20 * HOUR);
    const { id, json } = await announce(launch, { departments: ["baggage", "pr"] });
    expect(json).toMatchObject({ campaignId: id, status: "upcoming", late: true });
    await drained();
    const alerts = dmsTo(PEOPLE.lead).filter((m) => text(m).includes("Late heads-up"));
    expect(alerts).toHaveLength(1);
    expect(text(alerts[0])).toContain("20 h notice (minimum 2 days)");
    expect(text(dmsTo(MARKETING.marketer)[0])).toContain("only 20 h notice");
    const baggage = await headsUp(CHANNELS.baggage, id);
    expect(text(baggage)).toContain("Late notice");
    const timers = await pendingTimers(e2e.db.db, { type: "campaign", id });
    expect(timers.map((t) => t.step)).toEqual(["reminder", "launch", "end"]);
    clock.set(new Date(launch.getTime() - 2 * HOUR));
    await e2e.bot.sweepTimers();
    await drained();
    const reminders = repliesUnder(baggage).filter((m) => text(m).includes("Reminder"));
    expect(reminders).toHaveLength(1);
    expect(text(reminders[0])).toContain(`<!subteam^${BAGGAGE_GROUP}>`);
  });

  it("links every heads-up in the leads' alert, though one is posted after the alert's turn came", async () => {
    const clock = await start();
    // Slack asked for a pause in Baggage's channel: its heads-up waits there for a minute,
    // while the lead's DM has its own queue.
    await holdChannel(e2e.db.db, CHANNELS.baggage, new Date(Date.parse(T0) + MINUTE));
    const { id } = await announce(new Date(Date.parse(T0) + 20 * HOUR), {
      departments: ["baggage", "pr"],
    });
    await eventually(async () => {
      const [first] = await e2e.db.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.kind, CAMPAIGN_OUTBOX_KINDS.dm), eq(outbox.channel, PEOPLE.lead)))
        .orderBy(outbox.id);
      return first?.status === "delivered";
    }, "the lead's alert to have had its turn");
    expect(topLevel(CHANNELS.baggage)).toHaveLength(0);
    clock.advance(2 * MINUTE);
    const baggage = await headsUp(CHANNELS.baggage, id);
    const pr = await headsUp(CHANNELS.pr, id);
    await drained();
    const alerts = dmsTo(PEOPLE.lead).filter((m) => text(m).includes("Late heads-up"));
    expect(alerts).toHaveLength(1);
    const link = (m: StoredMessage) => `/archives/${m.channel}/p${m.ts.replace(".", "")}`;
    expect(text(alerts[0])).toContain(link(baggage));
    expect(text(alerts[0])).toContain(link(pr));
  });

  it("still alerts the leads, without that link, when a heads-up never reaches Slack", async () => {
    const double = campaignDouble();
    // Press & PR's channel is gone from the workspace: its heads-up fails for good.
    double.channels = double.channels?.filter((c) => c.id !== CHANNELS.pr);
    await start(double);
    const { id } = await announce(new Date(Date.parse(T0) + 20 * HOUR), {
      departments: ["baggage", "pr"],
    });
    const baggage = await eventually(
      () => topLevel(CHANNELS.baggage).find((m) => text(m).includes("Heads-up")),
      "Baggage's heads-up",
    );
    await drained();
    const [pr] = await e2e.db.db
      .select()
      .from(campaignDepartments)
      .where(and(eq(campaignDepartments.campaignId, id), eq(campaignDepartments.department, "pr")));
    expect(pr?.slackTs).toBeNull();
    const alerts = dmsTo(PEOPLE.lead).filter((m) => text(m).includes("Late heads-up"));
    expect(alerts).toHaveLength(1);
    expect(text(alerts[0])).toContain(
      `/archives/${baggage.channel}/p${baggage.ts.replace(".", "")}`,
    );
    expect(text(alerts[0])).toContain("*Press &amp; PR*");
  });

  /** Sends a heads-up for the service department through the modal; returns what it then shows. */
  async function headsUpFromSlack(userId: string, name: string, launch: Date): Promise<string> {
    const modal = await openHeadsUpForm(e2e, userId, MARKETING.channel);
    await e2e.driver.submitView({
      viewId: modal.id,
      userId,
      values: {
        [IN.name.blockId]: { [IN.name.actionId]: name },
        [IN.launchAt.blockId]: { [IN.launchAt.actionId]: launch },
        [IN.endAt.blockId]: { [IN.endAt.actionId]: new Date(launch.getTime() + DAY) },
        [IN.departments.blockId]: { [IN.departments.actionId]: ["service"] },
      },
    });
    return JSON.stringify(e2e.double.view(modal.id)?.blocks);
  }

  it("tells a Slack announcer in the modal that the announcement is late", async () => {
    await start();
    // A member of the announcers' group, not a named announcer.
    const launch = new Date(Date.parse(T0) + 5 * HOUR);
    const shown = await headsUpFromSlack(MARKETING.groupMember, "Flash sale", launch);
    expect(shown).toContain("late announcement");
    expect(shown).toContain("only 5 h before launch");
    await drained();
    expect(dmsTo(PEOPLE.lead).filter((m) => text(m).includes("Late heads-up"))).toHaveLength(1);
  });

  it("tells a Slack announcer, and the leads, when the campaign launched before the heads-up", async () => {
    await start();
    const launch = new Date(Date.parse(T0) - 3 * HOUR);
    const shown = await headsUpFromSlack(MARKETING.marketer, "Already live", launch);
    expect(shown).toContain("the campaign has already launched (the minimum notice is 2 days)");
    expect(shown).not.toContain("before launch");
    await drained();
    const alerts = dmsTo(PEOPLE.lead).filter((m) => text(m).includes("Late heads-up"));
    expect(alerts).toHaveLength(1);
    expect(text(alerts[0])).toContain("launched");
    expect(text(alerts[0])).toContain("before it was announced");
  });
});

describe("late notice made by an edit", () => {
  /** Nine days after the announcement, the launch is brought to 5 h away: late. */
  async function launchBroughtForward(clock: FakeClock, id: string) {
    clock.set(new Date(Date.parse(T0) + 9 * DAY));
    const sooner = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      launchAt: new Date(clock.now().getTime() + 5 * HOUR).toISOString(),
    });
    expect(sooner.json).toMatchObject({ changed: ["launchAt"], late: true });
  }

  it("counts the notice from the edit that brings the launch forward, on the cards and in the leads' DM", async () => {
    const clock = await start();
    const { id } = await announce(new Date(Date.parse(T0) + 10 * DAY), {
      departments: ["service"],
    });
    const service = await headsUp(CHANNELS.service, id);
    const card = topLevel(MARKETING.channel)[0] as StoredMessage;
    await launchBroughtForward(clock, id);
    await drained();
    const alerts = dmsTo(PEOPLE.lead).filter((m) => text(m).includes("Late heads-up"));
    expect(alerts).toHaveLength(1);
    expect(text(alerts[0])).toContain("with only 5 h notice (minimum 2 days)");
    const serviceNow = e2e.double.messages(CHANNELS.service).find((m) => m.ts === service.ts);
    expect(text(serviceNow)).toContain("Late notice:* only 5 h before launch");
    const cardNow = e2e.double.messages(MARKETING.channel).find((m) => m.ts === card.ts);
    expect(text(cardNow)).toContain("*Notice given*\\n5 h");
    expect(text(cardNow)).not.toContain("9 days");
  });

  it("counts the notice from the announcement again when a launch brought forward is put back", async () => {
    const clock = await start();
    const launch = new Date(Date.parse(T0) + 10 * DAY);
    const { id } = await announce(launch, { departments: ["service"] });
    const service = await headsUp(CHANNELS.service, id);
    const card = topLevel(MARKETING.channel)[0] as StoredMessage;
    await launchBroughtForward(clock, id);
    clock.advance(HOUR);
    const back = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      launchAt: launch.toISOString(),
    });
    expect(back.json).toMatchObject({ changed: ["launchAt"], late: false });
    expect(back.json.campaign.late).toBe(false);
    await drained();
    // The departments have known of this launch since the announcement, ten days before it.
    const cardNow = e2e.double.messages(MARKETING.channel).find((m) => m.ts === card.ts);
    expect(text(cardNow)).toContain("*Notice given*\\n10 days");
    expect(text(cardNow)).not.toContain("Late notice");
    const serviceNow = e2e.double.messages(CHANNELS.service).find((m) => m.ts === service.ts);
    expect(text(serviceNow)).not.toContain("Late notice");
  });

  it("alerts the leads of a department added with less than the minimum notice", async () => {
    const clock = await start();
    const { id } = await campaignMadeLate(e2e, clock, {
      departments: ["service"],
      added: ["baggage"],
    });
    const baggage = await headsUp(CHANNELS.baggage, id);
    expect(text(baggage)).toContain("Spring fare sale");
    await drained();
    // The lead's only DM: announcing with notice enough alerted nobody.
    const alerts = dmsTo(PEOPLE.lead);
    expect(alerts).toHaveLength(1);
    expect(text(alerts[0])).toContain("Late heads-up");
    expect(text(alerts[0])).toContain("with only 20 h notice (minimum 2 days)");
    expect(text(alerts[0])).toContain("It affects *Baggage*");
    expect(text(alerts[0])).not.toContain("Customer Service");
    // The campaign is late now: its card and the new heads-up say so, with Baggage's notice.
    const card = topLevel(MARKETING.channel)[0];
    expect(text(card)).toContain("Late notice:* only 20 h before launch (minimum notice 2 days)");
    expect(text(card)).toContain("*Notice given*\\n20 h");
    const baggageNow = e2e.double.messages(CHANNELS.baggage).find((m) => m.ts === baggage.ts);
    expect(text(baggageNow)).toContain("Late notice:* only 20 h before launch");
  });
});

describe("who may announce", () => {
  it("tells anyone else privately who can announce, and creates nothing", async () => {
    await start();
    const res = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "headsup",
      userId: PEOPLE.alice,
      channelId: CHANNELS.service,
    });
    expect(res.status).toBe(200);
    const said = privately().join("\n");
    expect(said).toContain("Only campaign announcers and admins can send a heads-up");
    expect(said).toContain(`<@${MARKETING.marketer}>`);
    expect(said).toContain(`<!subteam^${MARKETING.group}>`);
    expect(said).toContain(`<@${PEOPLE.admin}>`);
    expect(e2e.double.responses.every((r) => r.effect === "ephemeral")).toBe(true);
    expect(e2e.double.views).toHaveLength(0);
    expect(await e2e.db.db.select().from(campaigns)).toHaveLength(0);
  });

  it("shows every field error inside the modal and stores nothing", async () => {
    await start();
    const modal = await openHeadsUpForm(e2e, PEOPLE.admin, CHANNELS.exec);
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const bad = await e2e.driver.submitView({
      viewId: modal.id,
      userId: PEOPLE.admin,
      values: {
        [IN.name.blockId]: { [IN.name.actionId]: "Backwards" },
        [IN.launchAt.blockId]: { [IN.launchAt.actionId]: launch },
        [IN.endAt.blockId]: { [IN.endAt.actionId]: new Date(launch.getTime() - DAY) },
        [IN.departments.blockId]: { [IN.departments.actionId]: ["service"] },
        [IN.faqUrl.blockId]: { [IN.faqUrl.actionId]: "ftp://nope" },
      },
    });
    expect(bad.outcome).toMatchObject({
      action: "errors",
      errors: {
        [IN.endAt.blockId]: "The end must be after the launch",
        [IN.faqUrl.blockId]: "The link must be an http(s) URL",
      },
    });
    expect(await e2e.db.db.select().from(campaigns)).toHaveLength(0);
  });
});

describe("editing, postponing and cancelling", () => {
  it("asks for a fresh acknowledgement when talking points change, replans reminders on postponement, and stops them on cancel", async () => {
    const clock = await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const { id } = await announce(launch, { departments: ["service", "pr"] });
    const service = await headsUp(CHANNELS.service, id);
    const pr = await headsUp(CHANNELS.pr, id);
    await acknowledge(PEOPLE.alice, service);
    await eventually(() => privately().some((t) => t.includes("Thanks")), "alice acknowledged");

    // A wording change only: told in the thread, no fresh acknowledgement.
    const renamed = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      description: "25% off now",
    });
    expect(renamed.json).toMatchObject({ changed: ["description"], freshAcknowledgement: false });
    // New talking points: every department acknowledges again.
    const edited = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      talkingPoints: "Vouchers can now be combined with SPRING25.",
    });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ changed: ["talkingPoints"], freshAcknowledgement: true });
    expect(edited.json.campaign.departments).toEqual([
      expect.objectContaining({ department: "service", acknowledged: false }),
      expect.objectContaining({ department: "pr", acknowledged: false }),
    ]);
    await drained();
    const notes = repliesUnder(service).map(text);
    expect(notes.filter((t) => t.includes("was changed"))).toHaveLength(2);
    expect(notes.find((t) => t.includes("Talking points* updated"))).toContain("acknowledge it");
    expect(notes.find((t) => t.includes("Description* updated"))).not.toContain("acknowledge it");
    const serviceNow = e2e.double.messages(CHANNELS.service).find((m) => m.ts === service.ts);
    expect(text(serviceNow)).toContain("Vouchers can now be combined");
    expect(text(serviceNow)).toContain(CAMPAIGN_ACTION_IDS.acknowledge);

    // Postpone by two days: reminders move with the launch.
    const later = new Date(launch.getTime() + 2 * DAY);
    const postponed = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      launchAt: later.toISOString(),
      endAt: new Date(later.getTime() + 7 * DAY).toISOString(),
    });
    expect(postponed.json.changed).toEqual(["launchAt", "endAt"]);
    const timers = await pendingTimers(e2e.db.db, { type: "campaign", id });
    expect(timers.map((t) => t.fireAt.toISOString())).toEqual([
      new Date(later.getTime() - DAY).toISOString(),
      new Date(later.getTime() - 2 * HOUR).toISOString(),
      later.toISOString(),
      new Date(later.getTime() + 7 * DAY).toISOString(),
    ]);
    clock.set(new Date(launch.getTime() - DAY)); // the old reminder time: nothing is due now
    await e2e.bot.sweepTimers();
    await drained();
    expect(repliesUnder(pr).filter((m) => text(m).includes("Reminder"))).toHaveLength(0);
    clock.set(new Date(later.getTime() - DAY));
    await e2e.bot.sweepTimers();
    await drained();
    expect(repliesUnder(pr).filter((m) => text(m).includes("Reminder"))).toHaveLength(1);

    // Cancel from the campaign card: "cancelled" in each thread, and no reminder afterwards.
    const card = topLevel(MARKETING.channel)[0] as StoredMessage;
    await e2e.driver.clickButton({
      userId: MARKETING.marketer,
      channelId: card.channel,
      messageTs: card.ts,
      actionId: CAMPAIGN_ACTION_IDS.cancel,
    });
    await eventually(
      () => privately().some((t) => t.includes("Cancelled.")),
      "the cancel confirmation",
    );
    await drained();
    for (const m of [service, pr])
      expect(repliesUnder(m).filter((r) => text(r).includes("was cancelled"))).toHaveLength(1);
    expect(await pendingTimers(e2e.db.db, { type: "campaign", id })).toHaveLength(0);
    const before = e2e.double.messages().length;
    clock.set(new Date(later.getTime() + HOUR));
    await e2e.bot.sweepTimers();
    await drained();
    expect(e2e.double.messages()).toHaveLength(before);
    const cardNow = e2e.double.messages(MARKETING.channel).find((m) => m.ts === card.ts);
    expect(text(cardNow)).toContain("Cancelled");
    expect(text(cardNow)).not.toContain(CAMPAIGN_ACTION_IDS.edit);
    const refused = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, { name: "Back on" });
    expect(refused.status).toBe(409);
  });

  it("edits from the campaign card's Edit button, adding a department, and refuses non-announcers", async () => {
    await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const { id } = await announce(launch, { departments: ["service"] });
    const service = await headsUp(CHANNELS.service, id);
    const card = topLevel(MARKETING.channel)[0] as StoredMessage;
    await e2e.driver.clickButton({
      userId: PEOPLE.alice,
      channelId: card.channel,
      messageTs: card.ts,
      actionId: CAMPAIGN_ACTION_IDS.edit,
    });
    await eventually(
      () => privately().some((t) => t.includes("campaign announcers and admins can edit")),
      "alice refused",
    );
    const modal = await openEditModal(card);
    const shown = JSON.stringify(modal.blocks);
    expect(shown).toContain('"initial_value":"Spring fare sale"');
    expect(shown).toContain(`"initial_date_time":${launch.getTime() / 1000}`);
    // The End field says how long linking really lasts: campaigns.linkTail is 72h here.
    const end = (modal.blocks as Array<{ block_id?: string; hint?: { text: string } }>).find(
      (b) => b.block_id === IN.endAt.blockId,
    );
    expect(end?.hint?.text).toBe(
      "Complaints mentioning its keywords are still linked to it for 3 days after it ends.",
    );
    const done = await e2e.driver.submitView({
      viewId: modal.id,
      userId: MARKETING.marketer,
      values: {
        [IN.departments.blockId]: { [IN.departments.actionId]: ["service", "baggage"] },
      },
    });
    expect(done.outcome.action).toBe("updated");
    expect(JSON.stringify(e2e.double.view(modal.id)?.blocks)).toContain("acknowledge again");
    const baggage = await headsUp(CHANNELS.baggage, id);
    expect(text(baggage)).toContain("Spring fare sale");
    await drained();
    const note = repliesUnder(service).find((m) => text(m).includes("was changed"));
    expect(text(note)).toContain("Customer Service → Customer Service, Baggage");
    expect(text(note)).toContain(`by <@${MARKETING.marketer}>`);
  });
});

describe("an edit that only reorders", () => {
  it("changes nothing and tells nobody when a marketing tool sends the same channels and departments in another order", async () => {
    await start();
    const { id } = await announce(new Date(Date.parse(T0) + 3 * DAY), {
      channels: ["email", "social"],
      departments: ["service", "pr"],
    });
    const service = await headsUp(CHANNELS.service, id);
    await acknowledge(PEOPLE.alice, service);
    await eventually(() => privately().some((t) => t.includes("Thanks")), "alice acknowledged");
    await drained();
    const sent = e2e.double.messages().length;

    const resent = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      channels: ["social", "email"],
      departments: ["pr", "service"],
    });

    expect(resent.json).toMatchObject({ changed: [], freshAcknowledgement: false });
    expect(resent.json.campaign.departments[0]).toMatchObject({
      department: "service",
      acknowledgedBy: PEOPLE.alice,
    });
    await drained();
    expect(e2e.double.messages()).toHaveLength(sent);
    expect(repliesUnder(service)).toHaveLength(0);
  });
});

describe("who may change a campaign", () => {
  it("tells someone else privately that its owner, announcers and admins may, and lets the owner edit", async () => {
    await start();
    const { id } = await announce(new Date(Date.parse(T0) + 3 * DAY), {
      departments: ["pr"],
      owner: PEOPLE.lead,
    });
    const card = topLevel(MARKETING.channel)[0] as StoredMessage;
    for (const actionId of [CAMPAIGN_ACTION_IDS.edit, CAMPAIGN_ACTION_IDS.cancel])
      await e2e.driver.clickButton({
        userId: PEOPLE.alice,
        channelId: card.channel,
        messageTs: card.ts,
        actionId,
      });
    const refusals = await eventually(() => {
      const found = e2e.double.responses.filter((r) => JSON.stringify(r.body).includes("Only "));
      return found.length === 2 ? found : undefined;
    }, "alice refused twice");
    for (const refusal of refusals) {
      expect(refusal.effect).toBe("ephemeral");
      const shown = JSON.stringify(refusal.body);
      expect(shown).toContain(
        `Only this campaign's owner (<@${PEOPLE.lead}>), campaign announcers and admins can edit, postpone or cancel it.`,
      );
      expect(shown).toContain(`Ask <@${PEOPLE.lead}>, <@${MARKETING.marketer}>`);
      expect(shown).toContain(`or an admin (<@${PEOPLE.admin}>)`);
    }
    // The owner, who is not an announcer, may: the Edit modal opens for them.
    await e2e.driver.clickButton({
      userId: PEOPLE.lead,
      channelId: card.channel,
      messageTs: card.ts,
      actionId: CAMPAIGN_ACTION_IDS.edit,
    });
    await eventually(
      () => e2e.double.views.find((v) => v.userId === PEOPLE.lead && v.isOpen),
      "the owner's edit modal",
    );
    const [row] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
    expect(row?.cancelledAt).toBeNull();
  });
});

describe("handing a campaign to another owner", () => {
  it("tells the new owner by DM, with a link to the campaign card", async () => {
    await start();
    const { id } = await announce(new Date(Date.parse(T0) + 3 * DAY), { departments: ["pr"] });
    const card = topLevel(MARKETING.channel)[0] as StoredMessage;
    const handed = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      owner: PEOPLE.admin,
    });
    expect(handed.json.changed).toEqual(["owner"]);
    await drained();
    const told = dmsTo(PEOPLE.admin);
    expect(told).toHaveLength(1);
    expect(text(told[0])).toContain("You are now the owner of *Spring fare sale*");
    expect(text(told[0])).toContain(`/archives/${card.channel}/p${card.ts.replace(".", "")}`);
    expect(dmsTo(MARKETING.marketer)).toHaveLength(0);
  });

  it("still tells the new owner when the campaign card was deleted in Slack, saying so", async () => {
    await start();
    const { id } = await announce(new Date(Date.parse(T0) + 3 * DAY), { departments: ["pr"] });
    await drained();
    const card = topLevel(MARKETING.channel)[0] as StoredMessage;
    expect(e2e.double.deleteMessage(card.channel, card.ts)).toBe(true);
    await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, { owner: PEOPLE.admin });
    const told = await eventually(
      () => (dmsTo(PEOPLE.admin).length === 1 ? dmsTo(PEOPLE.admin) : null),
      "the DM to the new owner",
    );
    expect(told[0]?.text).toContain("You are now the owner of *Spring fare sale*");
    expect(told[0]?.text).toMatch(/ \(campaign card deleted in Slack\)$/);
    expect(text(told[0])).not.toContain("/archives/");
    // The card's redraw for its new owner cannot be made: admins see why, in words.
    const failed = await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));
      return rows.find((o) => o.kind === "campaign.update_card");
    }, "the card update failed for good");
    const status = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "status",
      userId: PEOPLE.admin,
      channelId: CHANNELS.exec,
    });
    expect(JSON.stringify(status.json)).toContain(
      `*#${failed.id}* campaign.update_card to <#${card.channel}>: \`campaign_card_deleted_in_slack (message_not_found): nothing to update, Retry cannot bring it back\``,
    );
  });
});

describe("the Edit modal after a department was removed", () => {
  it("offers the campaign's departments as they are now, not as first announced", async () => {
    await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const { id } = await announce(launch, { departments: ["service", "baggage"] });
    await headsUp(CHANNELS.baggage, id);
    const changed = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      departments: ["service"],
    });
    expect(changed.status).toBe(200);
    await drained();
    const card = topLevel(MARKETING.channel)[0] as StoredMessage;
    const modal = await openEditModal(card);
    const picker = (modal.blocks as Array<Record<string, unknown>>).find(
      (b) => b.block_id === IN.departments.blockId,
    ) as { element: { initial_options?: Array<{ value: string }> } } | undefined;
    expect(picker?.element.initial_options?.map((o) => o.value)).toEqual(["service"]);
  });
});

describe("a heads-up's launch time", () => {
  it("is drawn by Slack in each reader's zone when they look, so it does not go stale while live", async () => {
    const clock = await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const { id } = await announce(launch, { departments: ["service"] });
    const service = await headsUp(CHANNELS.service, id);
    /** The heads-up's Launch field as a reader in `zone` sees it at `now`. */
    const launchField = (zone: string, now: Date) => {
      const shown = e2e.double.messages(CHANNELS.service).find((m) => m.ts === service.ts);
      return asSeenIn(text(shown), zone, now).match(/\*Launch\*\\n([^"]*)/)?.[1];
    };
    expect(launchField("Asia/Tokyo", clock.now())).toBe("Nov 27, 2026 19:00");

    clock.set(launch);
    await e2e.bot.sweepTimers();
    await drained();

    // Redrawn at launch ("Live now"), then read hours later: no "(now)" left from that redraw.
    const later = new Date(launch.getTime() + 5 * HOUR);
    expect(text(e2e.double.messages(CHANNELS.service).find((m) => m.ts === service.ts))).toContain(
      "Live now",
    );
    expect(launchField("Europe/London", later)).toBe("today 10:00");
    // Past midnight in Tokyo by then: Slack says so, where a countdown drawn at launch could not.
    expect(launchField("Asia/Tokyo", later)).toBe("yesterday 19:00");
    // Marketing's campaign card, also redrawn at launch, likewise.
    const card = asSeenIn(text(topLevel(MARKETING.channel)[0]), "Europe/London", later);
    expect(card).toContain("*Live now* · launch today 10:00 · ends Dec 4, 2026 10:00");
  });
});

describe("a department removed from a campaign", () => {
  it("has its heads-up updated once to say so: no Acknowledge button", async () => {
    await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const { id } = await announce(launch, { departments: ["service", "baggage"] });
    const baggage = await headsUp(CHANNELS.baggage, id);
    expect(text(baggage)).toContain(CAMPAIGN_ACTION_IDS.acknowledge);
    const removed = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      departments: ["service"],
    });
    expect(removed.status).toBe(200);
    await drained();
    const updatesToBaggage = () =>
      e2e.double
        .callsTo("chat.update")
        .filter((c) => c.args.channel === CHANNELS.baggage && c.args.ts === baggage.ts);
    expect(updatesToBaggage()).toHaveLength(1);
    const now = text(e2e.double.messages(CHANNELS.baggage).find((m) => m.ts === baggage.ts));
    expect(now).toContain("but *Baggage* was removed from this campaign.");
    expect(now).not.toContain("it affects *Baggage*");
    expect(now).not.toContain(CAMPAIGN_ACTION_IDS.acknowledge);
    // The launch as a date in the reader's zone, without a countdown that would go stale.
    expect(now).toContain(`<!date^${launch.getTime() / 1000}^`);
    expect(now).not.toMatch(/\((in [^)]*|[^)]* ago)\)/);
    expect(repliesUnder(baggage).filter((m) => text(m).includes("no longer affects"))).toHaveLength(
      1,
    );
    // Later changes are no longer the department's: its heads-up stays as it is.
    await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, { description: "30% off now" });
    await api(e2e.bot.url, "POST", `/api/v1/campaigns/${id}/cancel`);
    await drained();
    expect(updatesToBaggage()).toHaveLength(1);
    expect(repliesUnder(baggage)).toHaveLength(1);
  });
});

describe("reminders after a restart", () => {
  it("fire at once when the bot comes back after they fell due", async () => {
    const clock = await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const { id } = await announce(launch, { departments: ["pr"] });
    const pr = await headsUp(CHANNELS.pr, id);
    await e2e.bot.stop();
    clock.set(new Date(launch.getTime() - DAY + 30 * MINUTE));
    await e2e.startReplica({ timers: true });
    await eventually(
      () => repliesUnder(pr).filter((m) => text(m).includes("Reminder")).length === 1,
      "the overdue reminder",
    );
    await drained();
    expect(repliesUnder(pr).filter((m) => text(m).includes("Reminder"))).toHaveLength(1);
  });
});

describe("the campaign list and the end", () => {
  it("lists upcoming and live campaigns privately, and sums up linked complaints and breaches at the end", async () => {
    const clock = await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const { id } = await announce(launch, { departments: ["service", "baggage", "pr"] });
    await announce(new Date(Date.parse(T0) + 5 * DAY), {
      name: "Winter lounge offer",
      departments: ["pr"],
    });
    const gone = await announce(new Date(Date.parse(T0) + 4 * DAY), { name: "Called off" });
    await api(e2e.bot.url, "POST", `/api/v1/campaigns/${gone.id}/cancel`);
    const service = await headsUp(CHANNELS.service, id);
    await acknowledge(PEOPLE.alice, service);
    await eventually(() => privately().some((t) => t.includes("Thanks")), "alice acknowledged");
    await complain("SPRING25 broken");
    await complain("my suitcase and SPRING25 both lost");

    const list = await listCampaigns(e2e, PEOPLE.bob, CHANNELS.service);
    expect(list.effect).toBe("ephemeral");
    const shownList = JSON.stringify(list.body);
    expect(shownList).toContain("2 upcoming or live campaigns");
    expect(shownList.indexOf("Spring fare sale")).toBeLessThan(
      shownList.indexOf("Winter lounge offer"),
    );
    expect(shownList).toContain(
      "1 of 3 departments acknowledged · waiting: Baggage, Press &amp; PR",
    );
    expect(shownList).toContain("2 linked complaints");
    expect(shownList).not.toContain("Called off");

    clock.set(new Date(launch.getTime() + 7 * DAY));
    await e2e.bot.sweepTimers();
    await drained();
    const card = (await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id)))[0];
    const summary = e2e.double
      .messages(MARKETING.channel)
      .find((m) => m.threadTs === card?.slackTs && text(m).includes("has ended"));
    // A week on, both complaints have missed SLA deadlines (baggage's in office hours only):
    // several each (claim, first response…), so the figure says deadlines, not complaints.
    expect(text(summary)).toMatch(
      /2 complaints linked; [1-9]\d* SLA deadlines? missed across them/,
    );
    expect(text(summary)).not.toContain("breach");
    expect(text(summary)).toMatch(
      /\*Customer Service\*: 1 complaint, [1-9]\d* SLA deadlines? missed/,
    );
    expect(text(summary)).toMatch(/\*Baggage\*: 1 complaint, [1-9]\d* SLA deadlines? missed/);
    // An affected department nobody complained to is listed too.
    expect(text(summary)).toContain("*Press &amp; PR*: no complaints linked");
    // Linked until linkTail (72 h) after the end, shown in each reader's time zone.
    const until = (launch.getTime() + 7 * DAY + 72 * HOUR) / 1000;
    expect(text(summary)).toContain(`still linked until <!date^${until}^`);
    const cardNow = e2e.double.messages(MARKETING.channel).find((m) => m.ts === card?.slackTs);
    expect(text(cardNow)).toContain("Ended");
  });
});
