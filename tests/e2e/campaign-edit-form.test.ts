import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { campaignDepartments, campaignEvents, campaigns, outbox } from "../../src/db/schema.ts";
import { CAMPAIGN_ACTION_IDS, CAMPAIGN_INPUTS as IN } from "../../src/slack/views/ids.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import {
  api,
  createCampaign,
  MARKETING,
  openHeadsUpForm,
  startCampaignE2E,
} from "../helpers/campaign-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR } from "../helpers/fake-clock.ts";
import { CHANNELS, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const T0 = "2026-11-24T10:00:00Z";
const DAY = 24 * HOUR;

async function start() {
  e2e = await startCampaignE2E(new FakeClock(T0));
}

const text = (m: StoredMessage | undefined) => JSON.stringify(m?.blocks ?? []) + (m?.text ?? "");
const topLevel = (channel: string) => e2e.double.messages(channel).filter((m) => !m.threadTs);
const shownIn = (viewId: string) => JSON.stringify(e2e.double.view(viewId)?.blocks);
/** Every Slack call that posts or changes a message, in any channel. */
const messageCalls = () =>
  ["chat.postMessage", "chat.update"].flatMap((method) => e2e.double.callsTo(method));
const drained = () =>
  eventually(async () => {
    const rows = await e2e.db.db.select().from(outbox).where(eq(outbox.status, "pending"));
    return rows.length === 0;
  }, "the outbox to drain");

/** Waits until every heads-up is posted; returns the campaign's id. */
async function posted(id: string) {
  await eventually(async () => {
    const [c] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
    const rows = await e2e.db.db
      .select()
      .from(campaignDepartments)
      .where(eq(campaignDepartments.campaignId, id));
    return c?.slackTs && rows.every((r) => r.slackTs);
  }, "the card and every heads-up posted");
  await drained();
  return id;
}

async function acknowledgeService() {
  const headsUp = topLevel(CHANNELS.service).find((m) => text(m).includes("Heads-up"));
  if (!headsUp) throw new Error("no heads-up in service");
  await e2e.driver.clickButton({
    userId: PEOPLE.alice,
    channelId: headsUp.channel,
    messageTs: headsUp.ts,
    actionId: CAMPAIGN_ACTION_IDS.acknowledge,
  });
  await eventually(
    () => e2e.double.responses.some((r) => JSON.stringify(r.body).includes("Thanks")),
    "alice acknowledged",
  );
  await drained();
}

async function openEditModal() {
  const card = topLevel(MARKETING.channel)[0] as StoredMessage;
  await e2e.driver.clickButton({
    userId: MARKETING.marketer,
    channelId: card.channel,
    messageTs: card.ts,
    actionId: CAMPAIGN_ACTION_IDS.edit,
  });
  return eventually(
    () =>
      e2e.double.views.find(
        (v) =>
          v.userId === MARKETING.marketer &&
          v.isOpen &&
          shownIn(v.id).includes(IN.name.blockId) &&
          JSON.stringify(v.title).includes("Edit campaign"),
      ),
    "the edit modal",
  );
}

/** Opens the edit form and saves it as it opened (or with `values` changed); returns what it showed. */
async function saveForm(values: Record<string, Record<string, unknown>> = {}) {
  const modal = await openEditModal();
  const done = await e2e.driver.submitView({
    viewId: modal.id,
    userId: MARKETING.marketer,
    values,
  });
  expect(done.outcome.action, JSON.stringify(done.json)).toBe("updated");
  return shownIn(modal.id);
}

/** Asserts that nothing happened: no edit logged, service still acknowledged, no Slack message. */
async function expectNothingChanged(id: string, before: { calls: number; row: unknown }) {
  const events = await e2e.db.db
    .select()
    .from(campaignEvents)
    .where(eq(campaignEvents.campaignId, id));
  expect(events.map((e) => e.kind)).not.toContain("campaign.edited");
  const [row] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
  expect(row).toEqual(before.row);
  const [service] = await e2e.db.db
    .select()
    .from(campaignDepartments)
    .where(eq(campaignDepartments.campaignId, id))
    .then((rows) => rows.filter((r) => r.department === "service"));
  expect(service?.acknowledgedBy).toBe(PEOPLE.alice);
  await drained();
  expect(messageCalls()).toHaveLength(before.calls);
}

async function snapshot(id: string) {
  const [row] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
  return { calls: messageCalls().length, row };
}

describe("saving the edit form untouched", () => {
  it("changes nothing for a campaign the API created with values the form cannot show exactly", async () => {
    await start();
    // Seconds and milliseconds the minute-wide picker cannot show, channels out of the form's
    // order, and a keyword with a comma.
    const launch = new Date(Date.parse(T0) + 3 * DAY + 30_250);
    const created = await createCampaign(e2e, launch, {
      endAt: new Date(launch.getTime() + 7 * DAY + 999).toISOString(),
      channels: ["social", "email"],
      keywords: ["SPRING25", "buy one, get one"],
      departments: ["service", "pr"],
    });
    const id = await posted(created.id);
    await acknowledgeService();
    const before = await snapshot(id);

    const shown = await saveForm();

    expect(shown).toContain("No changes to save");
    expect(shown).not.toContain("acknowledge again");
    await expectNothingChanged(id, before);
  });

  it("changes nothing for a campaign the form created", async () => {
    await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const modal = await openHeadsUpForm(e2e, MARKETING.marketer, MARKETING.channel);
    await e2e.driver.submitView({
      viewId: modal.id,
      userId: MARKETING.marketer,
      values: {
        [IN.name.blockId]: { [IN.name.actionId]: "  Spring fare sale " },
        [IN.description.blockId]: { [IN.description.actionId]: "20% off\r\nEuropean fares " },
        [IN.launchAt.blockId]: { [IN.launchAt.actionId]: launch },
        [IN.endAt.blockId]: { [IN.endAt.actionId]: new Date(launch.getTime() + 7 * DAY) },
        [IN.channels.blockId]: { [IN.channels.actionId]: ["social", "email"] },
        [IN.audienceSize.blockId]: { [IN.audienceSize.actionId]: "16000" },
        [IN.departments.blockId]: { [IN.departments.actionId]: ["pr", "service"] },
        [IN.keywords.blockId]: { [IN.keywords.actionId]: "SPRING25\nspring25\n#springsale" },
        [IN.talkingPoints.blockId]: { [IN.talkingPoints.actionId]: " New bookings only. " },
        [IN.faqUrl.blockId]: { [IN.faqUrl.actionId]: " https://skyline.example/faq " },
      },
    });
    const [row] = await e2e.db.db.select().from(campaigns);
    const id = await posted(row?.id ?? "");
    await acknowledgeService();
    const before = await snapshot(id);

    const shown = await saveForm();

    expect(shown).toContain("No changes to save");
    await expectNothingChanged(id, before);
  });

  it("saves only the field touched, leaving the times the form could not show exactly as they were", async () => {
    await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY + 30_250);
    const created = await createCampaign(e2e, launch, { departments: ["service", "pr"] });
    const id = await posted(created.id);
    await acknowledgeService();

    const shown = await saveForm({
      [IN.description.blockId]: { [IN.description.actionId]: "25% off every European fare." },
    });

    expect(shown).toContain("Saved one change");
    expect(shown).not.toContain("acknowledge again");
    const [row] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
    expect(row?.launchAt.toISOString()).toBe(launch.toISOString());
    expect(row?.description).toBe("25% off every European fare.");
    await drained();
    const service = topLevel(CHANNELS.service).find((m) => text(m).includes("Heads-up"));
    const notes = e2e.double
      .messages(CHANNELS.service)
      .filter((m) => m.threadTs === service?.ts && m.ts !== service?.ts)
      .map(text);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("Description* updated");
    expect(notes[0]).not.toContain("acknowledge it");
  });

  it("does not undo a change made through the API while the form was open", async () => {
    await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const id = await posted((await createCampaign(e2e, launch)).id);
    const modal = await openEditModal();
    const patched = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
      talkingPoints: "Vouchers can now be combined.",
    });
    expect(patched.json.changed).toEqual(["talkingPoints"]);

    const done = await e2e.driver.submitView({
      viewId: modal.id,
      userId: MARKETING.marketer,
      values: { [IN.name.blockId]: { [IN.name.actionId]: "Spring fare sale 2027" } },
    });

    expect(done.outcome.action).toBe("updated");
    expect(shownIn(modal.id)).toContain("Saved one change");
    const [row] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
    expect(row).toMatchObject({
      name: "Spring fare sale 2027",
      talkingPoints: "Vouchers can now be combined.",
    });
  });
});

describe("keywords in the edit form", () => {
  it("shows one keyword per line and keeps a keyword with a comma whole when the list is edited", async () => {
    await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    const created = await createCampaign(e2e, launch, {
      keywords: ["refund, please", "SPRING25"],
      departments: ["service"],
    });
    await posted(created.id);
    const modal = await openEditModal();
    const form = shownIn(modal.id);
    expect(form).toContain(JSON.stringify("refund, please\nSPRING25"));
    expect(form).toContain("one per line (a comma is part of the keyword");

    const done = await e2e.driver.submitView({
      viewId: modal.id,
      userId: MARKETING.marketer,
      values: {
        [IN.keywords.blockId]: { [IN.keywords.actionId]: "refund, please\nSPRING25\n#springsale" },
      },
    });

    expect(done.outcome.action, JSON.stringify(done.json)).toBe("updated");
    expect(shownIn(modal.id)).toContain("Saved one change");
    await drained();
    const headsUp = topLevel(CHANNELS.service).find((m) => text(m).includes("Heads-up"));
    expect(text(headsUp)).toContain("`refund, please`, `SPRING25`, `#springsale`");
    expect(text(headsUp)).not.toContain("`refund`");
    const card = topLevel(MARKETING.channel)[0];
    expect(text(card)).toContain("`refund, please`, `SPRING25`, `#springsale`");
  });
});

describe("keywords too long for the edit form", () => {
  it("says how to change them instead of showing them cut, and keeps them all when another field is saved", async () => {
    await start();
    const launch = new Date(Date.parse(T0) + 3 * DAY);
    // 40 keywords of 100 characters: over the 3,000 Slack's text input holds, within the API's limits.
    const keywords = Array.from({ length: 40 }, (_, i) => `kw${i}-`.padEnd(100, "x"));
    const created = await createCampaign(e2e, launch, { keywords, departments: ["service"] });
    const id = await posted(created.id);

    const modal = await openEditModal();

    const opened = e2e.double.callsTo("views.open").at(-1);
    expect(opened?.response, "the double's Block Kit checks").toMatchObject({ ok: true });
    const form = shownIn(modal.id);
    expect(form).not.toContain(IN.keywords.actionId);
    expect(form).not.toContain(keywords[0]);
    expect(form).toContain("this campaign has 40 keywords, too many to edit here");
    expect(form).toContain(`\`PATCH /api/v1/campaigns/${id}\` with a \`keywords\` list`);

    const done = await e2e.driver.submitView({
      viewId: modal.id,
      userId: MARKETING.marketer,
      values: { [IN.name.blockId]: { [IN.name.actionId]: "Spring fare sale 2027" } },
    });

    expect(done.outcome.action, JSON.stringify(done.json)).toBe("updated");
    expect(shownIn(modal.id)).toContain("Saved one change");
    const [row] = await e2e.db.db.select().from(campaigns).where(eq(campaigns.id, id));
    expect(row).toMatchObject({ name: "Spring fare sale 2027", keywords });
  });
});
