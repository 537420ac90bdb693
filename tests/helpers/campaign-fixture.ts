import { expect } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import { CAMPAIGN_ACTION_IDS } from "../../src/slack/views/ids.ts";
import type { SlackDoubleOptions, StoredMessage } from "../../src/slack-double/index.ts";
import { type E2E, eventually, INTAKE_TOKEN, startE2E } from "./e2e-harness.ts";
import { type FakeClock, HOUR } from "./fake-clock.ts";
import { CHANNELS, PEOPLE, TEST_WORKSPACE_YAML } from "./workspace-fixture.ts";

/** Marketing's channel and people, beside the test workspace's departments. */
export const MARKETING = {
  channel: "C0MARKET",
  /** An announcer by member ID. */
  marketer: "U0MARKET",
  /** An announcer through the marketing user group. */
  groupMember: "U0MKTGRP",
  group: "S0MKTG",
} as const;

/** Baggage's members come from this user group, so reminders mention it. */
export const BAGGAGE_GROUP = "S0BAGGAGE";

/** The test workspace with a campaigns section: reminders 24h and 2h before launch, spikes of 3. */
export const CAMPAIGN_WORKSPACE_YAML = `${TEST_WORKSPACE_YAML}
campaigns:
  channel: ${MARKETING.channel}
  announcers: [${MARKETING.marketer}, ${MARKETING.group}]
  minimumNotice: 48h
  reminders: [24h, 2h]
  linkTail: 72h
  spike: { factor: 3, window: 1h, minimum: 3 }
`;

export function campaignWorkspace(adjust?: (config: WorkspaceConfig) => void): WorkspaceConfig {
  const config = parseWorkspaceConfig(CAMPAIGN_WORKSPACE_YAML, "tests/helpers/campaign-fixture.ts");
  const baggage = config.departments.find((d) => d.key === "baggage");
  if (baggage) baggage.usergroup = BAGGAGE_GROUP;
  adjust?.(config);
  return config;
}

/** The Slack double's workspace for campaign tests. */
export function campaignDouble(): SlackDoubleOptions {
  const people = [...Object.values(PEOPLE), MARKETING.marketer, MARKETING.groupMember];
  return {
    channels: [
      { id: CHANNELS.service, name: "sb-service", members: [PEOPLE.alice, PEOPLE.bob] },
      { id: CHANNELS.baggage, name: "sb-baggage", members: [PEOPLE.alice, PEOPLE.bob] },
      { id: CHANNELS.pr, name: "sb-pr", members: [PEOPLE.outsider] },
      { id: CHANNELS.exec, name: "sb-exec", members: [PEOPLE.lead, PEOPLE.admin] },
      {
        id: MARKETING.channel,
        name: "sb-marketing",
        members: [MARKETING.marketer, MARKETING.groupMember],
      },
    ],
    users: people.map((id) => ({ id, name: id.toLowerCase() })),
    usergroups: [
      { id: MARKETING.group, handle: "marketing", users: [MARKETING.groupMember] },
      { id: BAGGAGE_GROUP, handle: "baggage", users: [PEOPLE.alice, PEOPLE.bob] },
    ],
    rateLimits: { postMessagePerChannel: { burst: 100, perSecond: 100 } },
  };
}

/** A valid campaigns API body; override any field. */
export function campaignBody(launchAt: Date, overrides: Record<string, unknown> = {}) {
  return {
    name: "Spring fare sale",
    description: "20% off every European fare for a week.",
    launchAt: launchAt.toISOString(),
    endAt: new Date(launchAt.getTime() + 7 * 86_400_000).toISOString(),
    channels: ["email", "social"],
    audienceSize: 16_000,
    expectedVolume: 168,
    departments: ["service", "baggage", "pr"],
    keywords: ["SPRING25", "#springsale", "spring fare sale"],
    talkingPoints:
      "The code SPRING25 works on new bookings only.\nIt cannot be combined with vouchers.",
    faqUrl: "https://skyline.example/spring-faq",
    owner: MARKETING.marketer,
    ...overrides,
  };
}

/** Calls the bot's HTTP API with any method (the intake token unless headers say otherwise). */
export async function api(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read whichever JSON shape the endpoint answers
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${INTAKE_TOKEN}`,
      "content-type": "application/json",
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, json };
}

/** The bot on the campaign workspace and its Slack double, on `clock`, timers swept by the test. */
export function startCampaignE2E(clock: FakeClock): Promise<E2E> {
  return startE2E({
    clock,
    timers: false,
    workspace: campaignWorkspace(),
    double: campaignDouble(),
  });
}

/** Announces a campaign over the API (campaignBody with `overrides`); its id and the API's answer. */
export async function createCampaign(
  e2e: E2E,
  launchAt: Date,
  overrides: Record<string, unknown> = {},
) {
  const created = await api(
    e2e.bot.url,
    "POST",
    "/api/v1/campaigns",
    campaignBody(launchAt, overrides),
  );
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  return { id: created.json.campaignId as string, json: created.json };
}

/**
 * A campaign made late by an edit: announced over the API `departments`, three days ahead
 * (notice enough), then joined by `added` 20 h before launch, less than the minimum notice.
 */
export async function campaignMadeLate(
  e2e: E2E,
  clock: FakeClock,
  input: { departments: string[]; added: string[] },
) {
  const launch = new Date(clock.now().getTime() + 72 * HOUR);
  const { id, json } = await createCampaign(e2e, launch, { departments: input.departments });
  expect(json.late).toBe(false);
  clock.set(new Date(launch.getTime() - 20 * HOUR));
  const edited = await api(e2e.bot.url, "PATCH", `/api/v1/campaigns/${id}`, {
    departments: [...input.departments, ...input.added],
  });
  expect(edited.status, JSON.stringify(edited.json)).toBe(200);
  expect(edited.json).toMatchObject({ late: true, campaign: { late: true } });
  return { id, launch };
}

/** A complaint filed over the API, and its card in `channel` once the double shows it. */
export async function complaintWithCard(e2e: E2E, text: string, channel: string) {
  const filed = await api(e2e.bot.url, "POST", "/api/v1/complaints", {
    source: "twitter",
    externalId: `c-${Math.random().toString(36).slice(2)}`,
    text,
  });
  expect(filed.status, JSON.stringify(filed.json)).toBe(202);
  const card = await eventually(
    () =>
      e2e.double
        .messages(channel)
        .find((m) => !m.threadTs && JSON.stringify(m.blocks).includes(text)),
    `the card of "${text}"`,
  );
  return { filed, card };
}

/** `userId` clicks a complaint card's Talking points; resolves to what the double showed them privately. */
export async function showTalkingPoints(
  e2e: E2E,
  card: StoredMessage,
  userId: string,
): Promise<StoredMessage> {
  await e2e.driver.clickButton({
    userId,
    channelId: card.channel,
    messageTs: card.ts,
    actionId: CAMPAIGN_ACTION_IDS.talkingPoints,
  });
  return eventually(
    () =>
      e2e.double
        .ephemerals(card.channel, userId)
        .find((m) => JSON.stringify(m.blocks).includes("Talking points")),
    `the talking points shown to ${userId}`,
  );
}

/** `userId` runs `/switchboard campaigns` in `channelId`; resolves to the double's record of the answer. */
export async function listCampaigns(e2e: E2E, userId: string, channelId: string) {
  await e2e.driver.slashCommand({ command: "/switchboard", text: "campaigns", userId, channelId });
  return eventually(
    () => e2e.double.responses.find((r) => JSON.stringify(r.body).includes("upcoming or live")),
    "the campaign list",
  );
}

/** `userId` runs `/switchboard headsup` in `channelId`; resolves to the heads-up form it opened. */
export async function openHeadsUpForm(e2e: E2E, userId: string, channelId: string) {
  const command = await e2e.driver.slashCommand({
    command: "/switchboard",
    text: "headsup",
    userId,
    channelId,
  });
  expect(command.status).toBe(200);
  return eventually(
    () => e2e.double.views.find((v) => v.userId === userId && v.isOpen),
    `the heads-up form for ${userId}`,
  );
}
