import type { KnownBlock } from "@slack/types";
import type { FieldChange } from "../../domain/campaign.ts";
import { reminderTimeLeft } from "../../domain/campaign-plan.ts";
import { formatCount } from "../../domain/match-conditions.ts";
import { acknowledgeButton } from "./campaign-blocks.ts";
import {
  type CampaignModel,
  campaignName,
  departmentMentions,
  departmentName,
  describeChanges,
  statusLine,
  whenMrkdwn,
} from "./campaign-text.ts";
import type { SlackMessage } from "./complaint-card.ts";
import { formatSpan } from "./due-line.ts";
import { CAMPAIGN_NOTE_BLOCK_IDS as IDS } from "./ids.ts";
import { describeMissingCard, type MissingCard } from "./missing-card.ts";
import {
  joinBounded,
  linkMrkdwn,
  quoteMrkdwn,
  slackDate,
  truncate,
  userMention,
} from "./mrkdwn.ts";
import { section } from "./section-block.ts";

/** A spike as the detector saw it. */
export interface SpikeNote {
  count: number;
  threshold: number;
  expected: number;
  windowMs: number;
}

/** Plain text for notifications: mrkdwn markers and Slack tokens kept readable. */
const SECTION_TEXT_MAX = 3000;

function message(
  text: string,
  withAcknowledge?: { campaignId: string; department: string; round: number | undefined },
): SlackMessage {
  const blocks: KnownBlock[] = [section(IDS.text, text)];
  if (withAcknowledge)
    blocks.push({
      type: "actions",
      block_id: IDS.actions,
      elements: [
        acknowledgeButton(
          withAcknowledge.campaignId,
          withAcknowledge.department,
          withAcknowledge.round,
        ),
      ],
    });
  return { text: truncate(text, 3000), blocks };
}

function departmentOf(model: CampaignModel, key: string) {
  return (
    model.departments.find((d) => d.key === key) ?? { key, name: key, active: false, leads: [] }
  );
}

const complaints = (n: number) => `${formatCount(n)} ${n === 1 ? "complaint" : "complaints"}`;
const missed = (n: number) =>
  n === 0
    ? "no SLA deadline missed"
    : `${formatCount(n)} SLA ${n === 1 ? "deadline" : "deadlines"} missed`;

/** A reminder under the heads-up, for a department that has not acknowledged: mentions the team. */
export function buildReminder(
  model: CampaignModel,
  departmentKey: string,
  leadMs: number,
): SlackMessage {
  const department = departmentOf(model, departmentKey);
  const mentions = departmentMentions(department);
  const left = reminderTimeLeft(leadMs, model.launchAt, model.now);
  const lead = left > 0 ? ` (${formatSpan(left)} to go)` : "";
  const text = `${mentions ? `${mentions} ` : ""}:bell: *Reminder:* *${campaignName(model)}* launches ${slackDate(model.launchAt) ?? "soon"}${lead}, and *${departmentName(department)}* has not acknowledged the heads-up yet. Read it, then press Acknowledge.`;
  return message(text, {
    campaignId: model.id,
    department: departmentKey,
    round: model.acknowledgementRound,
  });
}

/** "Live now" under each heads-up at launch. */
export function buildLiveNow(model: CampaignModel): SlackMessage {
  return message(
    `:rocket: *${campaignName(model)} is live now*, until ${slackDate(model.endAt) ?? "its end"}. Complaints that mention its keywords are marked on their cards.`,
  );
}

/** What an edit changed, under a heads-up or the campaign card; asks for a fresh acknowledgement when needed. */
export function buildChanged(
  model: CampaignModel,
  input: {
    changes: readonly FieldChange[];
    by?: string | undefined;
    /** The department whose heads-up this is under, when it should acknowledge again. */
    acknowledgeAgain?: string | undefined;
  },
): SlackMessage {
  const names = Object.fromEntries(model.departments.map((d) => [d.key, d.name]));
  const by = input.by ? ` by ${userMention(input.by)}` : "";
  const lines = [
    `:pencil2: *${campaignName(model)} was changed*${by}:`,
    describeChanges(input.changes, names),
  ];
  if (input.acknowledgeAgain) {
    lines.push(
      `These changes matter to *${departmentName(departmentOf(model, input.acknowledgeAgain))}*: please read the heads-up again and acknowledge it.`,
    );
    return message(lines.join("\n"), {
      campaignId: model.id,
      department: input.acknowledgeAgain,
      round: model.acknowledgementRound,
    });
  }
  return message(lines.join("\n"));
}

/** "Cancelled" under each heads-up and the campaign card. */
export function buildCancelled(model: CampaignModel, by?: string): SlackMessage {
  const who = by ? ` by ${userMention(by)}` : "";
  return message(
    `:no_entry_sign: *${campaignName(model)} was cancelled*${who}. There is nothing to prepare for.`,
  );
}

/** Under a heads-up, when an edit took the department off the campaign. */
export function buildRemoved(model: CampaignModel, departmentKey: string): SlackMessage {
  return message(
    `:information_source: *${campaignName(model)}* no longer affects *${departmentName(departmentOf(model, departmentKey))}*.`,
  );
}

/** Under the campaign card, and to the owner and leads: a spike of linked complaints. */
export function buildSpikeAlert(
  model: CampaignModel,
  spike: SpikeNote,
  cardLink?: string,
  missingCard?: MissingCard,
): SlackMessage {
  // An estimate of 0 was given: saying none was would send the owner looking for a missing field.
  const expected =
    spike.expected > 0
      ? `about ${formatCount(Math.round(spike.expected * 10) / 10)} expected from the campaign's estimate`
      : model.expectedVolume === 0
        ? "none expected from the campaign's estimate"
        : "no expected volume was given";
  const link = campaignCardLink(cardLink, missingCard);
  return message(
    `:chart_with_upwards_trend: *Complaint spike on ${campaignName(model)}:* ${formatCount(spike.count)} linked ${spike.count === 1 ? "complaint" : "complaints"} in the last ${formatSpan(spike.windowMs)} (${expected}; alert at ${formatCount(spike.threshold)}). You will hear again only if it calms down and spikes anew.${link}`,
  );
}

/**
 * One line per department, as many whole lines as fit beside `used` characters in a section
 * (Slack's 3,000), and "and N more" for the rest: a campaign may name 50 departments.
 */
function whole(lines: readonly string[], used: number): string {
  return joinBounded(lines, "\n", SECTION_TEXT_MAX - used - 2);
}

/**
 * The end-of-campaign summary under the campaign card: every affected department (one that
 * nobody complained to says so) and any other that linked complaints were routed to.
 * Deadlines, not complaints, are counted as missed: one thread can miss its claim, first
 * response and resolution windows, so the figure may exceed the complaints.
 */
export function buildEndSummary(
  model: CampaignModel,
  outcome: ReadonlyArray<{ department: string; complaints: number; breaches: number }>,
  /** Until when complaints are still linked (campaigns.linkTail after the end). */
  linkedUntil: Date,
): SlackMessage {
  const total = outcome.reduce((sum, row) => sum + row.complaints, 0);
  const breaches = outcome.reduce((sum, row) => sum + row.breaches, 0);
  const figures =
    total === 0 && breaches === 0
      ? "No complaints linked."
      : `${complaints(total)} linked; ${missed(breaches)} across them.`;
  const head = `:checkered_flag: *${campaignName(model)} has ended.* ${figures}`;
  const byKey = new Map(outcome.map((row) => [row.department, row]));
  const keys = new Set([
    ...model.departments.filter((d) => d.active).map((d) => d.key),
    ...outcome.map((row) => row.department),
  ]);
  // In the config's order of departments, as every campaign view lists them.
  const order = (key: string) => {
    const index = model.departments.findIndex((d) => d.key === key);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  const rows = [...keys]
    .sort((a, b) => order(a) - order(b))
    .map((key) => {
      const name = departmentName(departmentOf(model, key));
      const row = byKey.get(key);
      if (!row || (row.complaints === 0 && row.breaches === 0))
        return `• *${name}*: no complaints linked`;
      return `• *${name}*: ${complaints(row.complaints)}, ${missed(row.breaches)}`;
    });
  const tail =
    linkedUntil.getTime() > model.endAt.getTime()
      ? `_Complaints mentioning its keywords are still linked until ${slackDate(linkedUntil) ?? "later"}, and counted on the campaign card._`
      : "_Complaints are no longer linked to it._";
  return message([head, whole(rows, head.length + tail.length), tail].join("\n"));
}

/** A lead's DM about a late announcement, or the owner's (no departments of their own). */
export function buildLateAlert(
  model: CampaignModel,
  input: {
    departments: readonly string[];
    headsUpLinks?: Record<string, string>;
    /** Heads-ups Slack no longer has, by department key: named without a link, saying why. */
    missingHeadsUps?: Record<string, MissingCard>;
    /** The notice these departments got, when not the campaign's (added by a late edit). */
    noticeMs?: number | undefined;
  },
): SlackMessage {
  const minimum = formatSpan(model.minimumNoticeMs);
  const noticeMs = input.noticeMs ?? model.noticeMs;
  const given = noticeMs > 0;
  if (input.departments.length === 0) {
    const notice = given
      ? `only ${formatSpan(noticeMs)} notice before launch`
      : "no notice: it was announced after launch";
    return message(
      `:warning: *${campaignName(model)}* was announced with ${notice} (minimum ${minimum}). The affected departments' leads were alerted.`,
    );
  }
  const names = input.departments.map((key) => {
    const name = `*${departmentName(departmentOf(model, key))}*`;
    const link = input.headsUpLinks?.[key];
    const missing = input.missingHeadsUps?.[key];
    if (link) return `${name} (${linkMrkdwn(link, "heads-up")})`;
    return missing ? `${name} (${describeMissingCard(missing, "heads-up")})` : name;
  });
  const launched = `:warning: *Late heads-up:* *${campaignName(model)}* launched ${whenMrkdwn(model.launchAt, model.now)}`;
  if (!given && input.noticeMs !== undefined) {
    // Departments added to a live campaign: it was announced in time, only not to them.
    return message(
      `${launched}, and ${joinBounded(names, ", ", 1500)} only heard of it now (minimum notice ${minimum}): please make sure your team has read it.`,
    );
  }
  return message(
    given
      ? `:warning: *Late heads-up:* *${campaignName(model)}* launches ${whenMrkdwn(model.launchAt, model.now)}, with only ${formatSpan(noticeMs)} notice (minimum ${minimum}). It affects ${joinBounded(names, ", ", 1500)}: please make sure your team has read it.`
      : `${launched}, before it was announced (minimum notice ${minimum}). It affects ${joinBounded(names, ", ", 1500)}: please make sure your team has read it.`,
  );
}

/** The new owner's DM when an edit hands them the campaign. */
export function buildOwnerNotice(
  model: CampaignModel,
  input: {
    by?: string | undefined;
    cardLink?: string | undefined;
    missingCard?: MissingCard | undefined;
  },
): SlackMessage {
  const by = input.by ? ` ${userMention(input.by)} handed it to you.` : "";
  const link = campaignCardLink(input.cardLink, input.missingCard);
  // A live campaign's launch report went to the owner at launch: only spike alerts are ahead.
  const live = model.status === "live";
  const when = `${live ? "live since" : "launching"} ${whenMrkdwn(model.launchAt, model.now)}`;
  const ahead = live
    ? "any complaint spike alert"
    : "its launch report (which departments never acknowledged) and any complaint spike alert";
  return message(
    `:mega: You are now the owner of *${campaignName(model)}*, ${when}.${by} You will get ${ahead}.${link}`,
  );
}

/** The owner's DM at launch: which departments never acknowledged. */
export function buildLaunchReport(
  model: CampaignModel,
  unacknowledged: readonly string[],
): SlackMessage {
  if (unacknowledged.length === 0)
    return message(
      `:rocket: *${campaignName(model)}* is live. Every affected department acknowledged the heads-up.`,
    );
  const names = unacknowledged.map((key) => {
    const department = departmentOf(model, key);
    const leads = department.leads.length
      ? ` (leads: ${department.leads.map(userMention).join(", ")})`
      : "";
    return `• *${departmentName(department)}*${leads}`;
  });
  const head = `:rocket: *${campaignName(model)}* is live. ${unacknowledged.length === 1 ? "One department" : `${unacknowledged.length} departments`} never acknowledged the heads-up:`;
  return message([head, whole(names, head.length)].join("\n"));
}

/**
 * The talking points a complaint card's button shows privately. Three sections, each within
 * Slack's 3,000 characters: talking points may take all of theirs (quoting and escaping make
 * them longer still), and the FAQ link and owner must not be cut off behind them.
 */
export function buildTalkingPoints(model: CampaignModel): SlackMessage {
  // The status in words, as the cards show it: a raw "upcoming" says nothing of when.
  const head = `:mega: *${campaignName(model)}* · ${statusLine(model)}`;
  const title = "*Talking points*\n";
  const points = model.talkingPoints
    ? `${title}${quoteMrkdwn(model.talkingPoints, SECTION_TEXT_MAX - title.length)}`
    : "_Marketing gave no talking points for this campaign._";
  const faq = model.faqUrl ? `:link: ${linkMrkdwn(model.faqUrl, "Campaign FAQ")}\n` : "";
  const owner = `${faq}Owner: ${userMention(model.owner)}`;
  return {
    text: truncate([head, points, owner].join("\n"), 3000),
    blocks: [
      section(IDS.text, head),
      section(IDS.talkingPoints, points),
      section(IDS.owner, owner),
    ],
  };
}

/** " Open the campaign card" as a link, " (campaign card deleted in Slack)", or nothing. */
function campaignCardLink(cardLink?: string, missingCard?: MissingCard): string {
  if (cardLink) return ` ${linkMrkdwn(cardLink, "Open the campaign card")}`;
  return missingCard ? ` (${describeMissingCard(missingCard, "campaign card")})` : "";
}
