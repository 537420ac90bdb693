import * as z from "zod";
import { formatKeyPath } from "../config/key-path.ts";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { MARKETING_CHANNEL_KEYS, type MarketingChannel } from "../domain/campaign.ts";
import { ValidationError } from "../domain/errors.ts";
import { issueMessage } from "./issue-message.ts";
import { isStorableInstant, STORABLE_INSTANTS, storable } from "./storable.ts";

/** Bounds on what a campaign may hold: Slack's text limits, and enough for any real campaign. */
export const CAMPAIGN_LIMITS = {
  name: 150,
  description: 3000,
  talkingPoints: 3000,
  keyword: 100,
  keywords: 50,
  departments: 50,
  faqUrl: 2000,
  /** Postgres integer; no audience is larger. */
  count: 2_000_000_000,
} as const;

/** A Slack member ID as the API and the modal take it. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,31}$/;
/** As mrkdwn.ts's linkMrkdwn demands, so the link is clickable in Slack. */
const SAFE_URL = /^https?:\/\/[^\s<>|]+$/i;

const Text = (max: number) =>
  storable(z.string().trim().max(max, `must be at most ${max} characters`));
const OptionalText = (max: number) =>
  Text(max)
    .nullish()
    .transform((v) => (v ? v : null));
const Count = z
  .number({ error: "must be a whole number" })
  .int("must be a whole number")
  .min(0, "must be 0 or more")
  .max(CAMPAIGN_LIMITS.count, `must be at most ${CAMPAIGN_LIMITS.count.toLocaleString("en-US")}`)
  .nullish()
  .transform((v) => v ?? null);
const Instant = z.iso
  .datetime({
    offset: true,
    // One issue per field: a value that is no date-time is not also out of range.
    abort: true,
    error: (issue) =>
      issue.input === undefined
        ? "is required"
        : "must be an ISO 8601 date-time with an offset, e.g. 2027-03-01T09:00:00+01:00",
  })
  .refine(isStorableInstant, STORABLE_INSTANTS)
  .transform((v) => new Date(v));

const Fields = {
  name: Text(CAMPAIGN_LIMITS.name).min(1, "must not be empty"),
  description: OptionalText(CAMPAIGN_LIMITS.description),
  launchAt: Instant,
  endAt: Instant,
  channels: z
    .array(
      z.enum(MARKETING_CHANNEL_KEYS, {
        error: `must be one of ${MARKETING_CHANNEL_KEYS.join(", ")}`,
      }),
    )
    .nullish()
    .transform((v): MarketingChannel[] => [...new Set(v ?? [])]),
  audienceSize: Count,
  expectedVolume: Count,
  departments: z
    .array(z.string({ error: "must be a department key" }))
    .min(1, "must name at least one department")
    .max(CAMPAIGN_LIMITS.departments),
  keywords: z
    .array(Text(CAMPAIGN_LIMITS.keyword).min(1, "must not be empty"))
    .max(CAMPAIGN_LIMITS.keywords, `must hold at most ${CAMPAIGN_LIMITS.keywords} keywords`)
    .nullish()
    .transform((v) => uniqueIgnoringCase(v ?? [])),
  talkingPoints: OptionalText(CAMPAIGN_LIMITS.talkingPoints),
  faqUrl: storable(
    z
      .string()
      .trim()
      .max(CAMPAIGN_LIMITS.faqUrl, `must be at most ${CAMPAIGN_LIMITS.faqUrl} characters`)
      .regex(SAFE_URL, "must be an http(s) URL"),
  )
    .nullish()
    .transform((v) => v ?? null),
  owner: z.string().regex(SLACK_USER_ID, "must be a Slack member ID (U… or W…)"),
};

/** A new campaign, as the API and the heads-up modal send it. Unknown keys are refused. */
export const CampaignInput = z.strictObject(Fields);
/** An edit: any subset of the fields; null clears an optional one. */
export const CampaignPatch = z
  .strictObject({
    name: Fields.name.optional(),
    description: Fields.description.optional(),
    launchAt: Fields.launchAt.optional(),
    endAt: Fields.endAt.optional(),
    channels: Fields.channels.optional(),
    audienceSize: Fields.audienceSize.optional(),
    expectedVolume: Fields.expectedVolume.optional(),
    departments: Fields.departments.optional(),
    keywords: Fields.keywords.optional(),
    talkingPoints: Fields.talkingPoints.optional(),
    faqUrl: Fields.faqUrl.optional(),
    owner: Fields.owner.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "name at least one field to change");

/** A campaign's fields, parsed and normalised. */
export type CampaignDraft = z.output<typeof CampaignInput>;
export type CampaignChanges = z.output<typeof CampaignPatch>;

type Issue = { path: string; message: string };

/** Parses a new campaign; throws ValidationError naming every bad field (`departments[1]`, …). */
export function parseCampaignInput(
  raw: unknown,
  config: WorkspaceConfig,
  now: Date,
): CampaignDraft {
  const parsed = CampaignInput.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError([
      ...zodIssues(parsed.error),
      ...departmentIssues(raw, config),
      ...timeIssues(raw, now),
    ]);
  }
  const issues = draftIssues(parsed.data, config, now);
  if (issues.length > 0) throw new ValidationError(issues);
  return parsed.data;
}

/**
 * Parses an edit and applies it to `current`; throws ValidationError for bad fields or a
 * result that breaks a rule (end before launch, unknown department).
 */
export function parseCampaignPatch(
  raw: unknown,
  current: CampaignDraft,
  config: WorkspaceConfig,
  now: Date,
): { draft: CampaignDraft; changes: CampaignChanges } {
  const parsed = CampaignPatch.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError([...zodIssues(parsed.error), ...departmentIssues(raw, config)]);
  }
  const changes = Object.fromEntries(
    Object.entries(parsed.data).filter(([, value]) => value !== undefined),
  ) as CampaignChanges;
  const draft = { ...current, ...changes } as CampaignDraft;
  const timesChanged = changes.launchAt !== undefined || changes.endAt !== undefined;
  // Only what this edit touched: a department since removed from the config is not the editor's problem.
  const touched = (issue: Issue) => issue.path === "endAt" || topField(issue.path) in changes;
  // The horizon only for times this edit sets: a campaign saved before the rule keeps its dates.
  const horizon = (["launchAt", "endAt"] as const).filter((key) => changes[key] !== undefined);
  const issues = draftIssues(draft, config, now, {
    checkEndInFuture: timesChanged,
    horizon,
  }).filter(touched);
  if (issues.length > 0) throw new ValidationError(issues);
  return { draft, changes };
}

/** Rules across fields and against the workspace: known departments, end after launch, end ahead. */
function draftIssues(
  draft: CampaignDraft,
  config: WorkspaceConfig,
  now: Date,
  options: { checkEndInFuture?: boolean; horizon?: ReadonlyArray<"launchAt" | "endAt"> } = {},
): Issue[] {
  const { launchAt, endAt } = draft;
  const horizon = options.horizon ?? ["launchAt", "endAt"];
  return [
    ...departmentIssues(draft, config),
    ...horizonIssues({ launchAt, endAt }, now).filter((issue) =>
      horizon.some((key) => key === issue.path),
    ),
    ...timingIssues(launchAt, endAt, now, options.checkEndInFuture ?? true),
  ];
}

// No real campaign is planned further out or ran longer ago; the bound also keeps reminders
// and the link tail (launch and end plus or minus days) inside the dates the database takes.
const HORIZON_YEARS = 10;

function timingIssues(launchAt: Date, endAt: Date, now: Date, checkEndInFuture: boolean): Issue[] {
  if (endAt.getTime() <= launchAt.getTime())
    return [{ path: "endAt", message: "must be after launchAt" }];
  if (checkEndInFuture && endAt.getTime() <= now.getTime())
    return [{ path: "endAt", message: "must be in the future" }];
  return [];
}

function horizonIssues(times: { launchAt: Date; endAt: Date }, now: Date): Issue[] {
  const earliest = new Date(now);
  earliest.setUTCFullYear(now.getUTCFullYear() - HORIZON_YEARS);
  const latest = new Date(now);
  latest.setUTCFullYear(now.getUTCFullYear() + HORIZON_YEARS);
  return Object.entries(times)
    .filter(([, at]) => at < earliest || at > latest)
    .map(([path]) => ({ path, message: `must be within ${HORIZON_YEARS} years of today` }));
}

/** The timing rules for a body whose other fields failed, when both times at least parse. */
function timeIssues(raw: unknown, now: Date): Issue[] {
  const fields = (raw ?? {}) as { launchAt?: unknown; endAt?: unknown };
  const launchAt = Fields.launchAt.safeParse(fields.launchAt);
  const endAt = Fields.endAt.safeParse(fields.endAt);
  if (!launchAt.success || !endAt.success) return [];
  const times = { launchAt: launchAt.data, endAt: endAt.data };
  return [...horizonIssues(times, now), ...timingIssues(times.launchAt, times.endAt, now, true)];
}

/** Each department that is not a key of the workspace, or named twice. */
function departmentIssues(raw: unknown, config: WorkspaceConfig): Issue[] {
  const list = (raw as { departments?: unknown } | null)?.departments;
  if (!Array.isArray(list)) return [];
  const keys = config.departments.map((d) => d.key);
  return list.flatMap((value, index): Issue[] => {
    const path = `departments[${index}]`;
    if (typeof value !== "string") return [];
    if (!keys.includes(value)) {
      return [{ path, message: `unknown department "${value}" (known: ${keys.join(", ")})` }];
    }
    if (list.indexOf(value) !== index) return [{ path, message: `"${value}" is listed twice` }];
    return [];
  });
}

/** "departments[1]" → "departments". */
function topField(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}

/** Zod's issues with paths like "departments[1]"; each unknown key is named as its own field. */
function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.flatMap((issue): Issue[] => {
    const base = issue.path as PropertyKey[];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        path: formatKeyPath([...base, key]),
        message: "unknown field",
      }));
    }
    if (base.length === 0 && issue.code === "invalid_type") {
      return [{ path: "(body)", message: "must be a JSON object" }];
    }
    return [{ path: base.length ? formatKeyPath(base) : "(body)", message: issueMessage(issue) }];
  });
}

/** Keywords once each, ignoring case; the first spelling wins. */
function uniqueIgnoringCase(words: readonly string[]): string[] {
  const seen = new Set<string>();
  return words.filter((word) => {
    const key = word.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
