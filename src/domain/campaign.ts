/**
 * A marketing campaign as the rest of Switchboard sees it: when it runs, whether it is
 * upcoming, live, ended or cancelled, how much notice departments were given, and while
 * complaints are linked to it. Pure: every moment is a parameter.
 */

/** Where a campaign stands at a moment. */
export const CAMPAIGN_STATUSES = ["upcoming", "live", "ended", "cancelled"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** The marketing channels a campaign can use, by key, with their labels. */
export const MARKETING_CHANNELS = {
  email: "Email",
  social: "Social",
  tv: "TV",
  "in-store": "In-store",
  push: "Push",
  other: "Other",
} as const;
export type MarketingChannel = keyof typeof MARKETING_CHANNELS;
export const MARKETING_CHANNEL_KEYS = Object.keys(MARKETING_CHANNELS) as MarketingChannel[];

/** The fields of a campaign that decide its status and linking window. */
export interface CampaignTiming {
  launchAt: Date;
  endAt: Date;
  announcedAt: Date;
  cancelledAt?: Date | null | undefined;
}

/** Upcoming before launch, live until the end, then ended; cancelled overrides all three. */
export function campaignStatus(campaign: CampaignTiming, now: Date): CampaignStatus {
  if (campaign.cancelledAt) return "cancelled";
  if (now.getTime() < campaign.launchAt.getTime()) return "upcoming";
  if (now.getTime() < campaign.endAt.getTime()) return "live";
  return "ended";
}

/** How long before launch the departments heard of it (negative: after launch). */
export function noticeMs(launchAt: Date, announcedAt: Date): number {
  return launchAt.getTime() - announcedAt.getTime();
}

/** A launch time the departments were told, and when: the announcement's, then each edit's that moved it. */
export interface ToldLaunch {
  at: Date;
  launchAt: Date;
}

/**
 * Since when the departments have had notice of `launchAt`, given every launch time they were
 * told, oldest first: the start of the latest run of them that all named a launch no later than
 * it. Staff planned for an earlier launch are ready for a later one, so a postponement keeps the
 * notice given and bringing the launch forward counts from that edit; brought forward and then
 * put back, it counts again from when they were first told of a launch that early.
 */
export function noticeFromLaunches(told: readonly ToldLaunch[], launchAt: Date, now: Date): Date {
  let from = now;
  for (const launch of [...told].reverse()) {
    if (launch.launchAt.getTime() > launchAt.getTime()) break;
    from = launch.at;
  }
  return from;
}

/** True when departments were given less notice than the minimum. */
export function isLateNotice(launchAt: Date, announcedAt: Date, minimumNoticeMs: number): boolean {
  return noticeMs(launchAt, announcedAt) < minimumNoticeMs;
}

/**
 * True while complaints are linked to the campaign: from its announcement until `tailMs`
 * after it ends (customers keep writing about an offer once it is over). Never once cancelled.
 */
export function isLinking(campaign: CampaignTiming, now: Date, tailMs: number): boolean {
  if (campaign.cancelledAt) return false;
  const t = now.getTime();
  return t >= campaign.announcedAt.getTime() && t <= campaign.endAt.getTime() + tailMs;
}

/** The campaign fields an edit may change, as the services and views name them. */
export const EDITABLE_FIELDS = [
  "name",
  "description",
  "launchAt",
  "endAt",
  "channels",
  "audienceSize",
  "expectedVolume",
  "departments",
  "keywords",
  "talkingPoints",
  "faqUrl",
  "owner",
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/**
 * Changes that make departments read the heads-up again: a new launch time (they plan staff
 * around it), a department added, or new talking points (what they tell customers).
 */
const REACKNOWLEDGE: ReadonlySet<EditableField> = new Set([
  "launchAt",
  "departments",
  "talkingPoints",
]);

/**
 * True when an edit asks every department for a fresh acknowledgement. A change of departments
 * does only when it adds one: dropping a department changes nothing for the others.
 */
export function needsFreshAcknowledgement(changes: readonly FieldChange[]): boolean {
  return changes.some((change) => {
    if (change.field === "departments") return addsDepartment(change);
    return REACKNOWLEDGE.has(change.field) && isShownChange(change);
  });
}

/**
 * False for a launch or end moved within the minute it was shown at: every view shows times to
 * the minute (Slack's date tokens, the date-time picker), so such a move changes nothing anyone
 * reads, and the heads-up people acknowledged is still right. The new time is stored all the same.
 */
export function isShownChange(change: FieldChange): boolean {
  if (change.field !== "launchAt" && change.field !== "endAt") return true;
  const from = shownMinute(change.from);
  const to = shownMinute(change.to);
  return from === undefined || to === undefined || from !== to;
}

// Every time zone in use is offset from UTC by whole minutes, so the UTC minute is the minute
// each reader sees.
function shownMinute(value: unknown): number | undefined {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? Math.floor(ms / 60_000) : undefined;
}

function addsDepartment({ from, to }: FieldChange): boolean {
  const before = new Set(Array.isArray(from) ? from : []);
  return Array.isArray(to) && to.some((department) => !before.has(department));
}

/** One field an edit changed, with its value before and after (as JSON-friendly values). */
export interface FieldChange {
  field: EditableField;
  from: unknown;
  to: unknown;
}

/**
 * The fields whose value differs between `before` and `after`, in EDITABLE_FIELDS order.
 * Dates compare by instant, lists by their items in order; departments and channels as sets,
 * whose order means nothing (a tool that sends them in another order changed nothing).
 */
export function diffCampaign(
  before: Partial<Record<EditableField, unknown>>,
  after: Partial<Record<EditableField, unknown>>,
): FieldChange[] {
  return EDITABLE_FIELDS.filter((field) => field in after)
    .filter((field) => !sameValue(field, before[field], after[field]))
    .map((field) => ({ field, from: jsonValue(before[field]), to: jsonValue(after[field]) }));
}

const UNORDERED: ReadonlySet<EditableField> = new Set(["departments", "channels"]);

function sameValue(field: EditableField, a: unknown, b: unknown): boolean {
  if (UNORDERED.has(field) && Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && [...a].sort().join("\0") === [...b].sort().join("\0");
  }
  return JSON.stringify(jsonValue(a)) === JSON.stringify(jsonValue(b));
}

function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  return value ?? null;
}
