import cron from "node-cron";
import * as z from "zod";
import { WEEKDAYS } from "../domain/business-calendar-types.ts";
import { isCalendarDate } from "../domain/calendar-date.ts";
import { PRIORITIES } from "../domain/complaint.ts";
import { isLocalTime, parseDigestSchedule } from "../domain/digest-schedule.ts";
import { DURATION_EXAMPLES, parseDuration } from "../domain/duration.ts";
import { POST_KINDS } from "../domain/post-kinds.ts";
import { CLOCK_KINDS } from "../domain/sla-clock.ts";
import { isKnownTimeZone } from "../domain/zoned-time.ts";
import { closestTimeZone, meantHint, notWithHint } from "./closest-match.ts";
import { escalationPolicyIssues, formatShare, WARNING_NOTIFY } from "./escalation-policy.ts";
import { findOverlappingSlot, formatMinute, parseTimeSlot } from "./time-slot.ts";

// Schemas for the workspace YAML as written. Leaf values are converted here (durations to ms,
// patterns to RegExp, slots to minutes); references between sections are checked in
// workspace-checks.ts, and renaming into the runtime shape happens in to-workspace-config.ts.
// Objects are strict so a misspelt key is reported instead of silently ignored.

const text = z.string().trim().min(1);

const DEPARTMENT_KEY = /^[a-z][a-z0-9-]*$/;

/**
 * The valid key a mistyped department key most likely meant ("Lost Property" → "lost-property"),
 * or undefined when no simple rewrite makes one.
 */
export function fixDepartmentKey(value: string): string | undefined {
  const fixed = value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
  return fixed !== value && DEPARTMENT_KEY.test(fixed) ? fixed : undefined;
}

/** Lowercase slug used for department keys. */
export const DepartmentKey = z.string().regex(DEPARTMENT_KEY, {
  error: (issue) => {
    const fixed = typeof issue.input === "string" ? fixDepartmentKey(issue.input) : undefined;
    return fixed === undefined
      ? `"${String(issue.input)}" is not a lowercase key such as "baggage"`
      : `"${String(issue.input)}" is not a lowercase key: write "${fixed}"`;
  },
});

/** Slack user ID: U… for regular users, W… on Enterprise Grid. */
export const SlackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, {
  error: (issue) => `"${String(issue.input)}" is not a Slack member ID`,
});

const CHANNEL = /^(#[a-z0-9][a-z0-9_-]{0,79}|[CG][A-Z0-9]{2,})$/;

/**
 * The channel a mistyped one most likely names: Slack's names are lowercase with hyphens and
 * the file writes them with a "#" ("sb-pr", "#SB PR" → "#sb-pr"); undefined when none fits.
 */
function fixChannel(value: string): string | undefined {
  const name = value.trim().replace(/^#/, "").toLowerCase().replace(/\s+/g, "-");
  const fixed = `#${name}`;
  return fixed !== value && CHANNEL.test(fixed) ? fixed : undefined;
}

// "#name" must be quoted in YAML, where a bare # starts a comment.
const SlackChannel = z.string().regex(CHANNEL, {
  error: notWithHint("a channel name or ID", fixChannel),
});

const SlackUsergroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, {
  error: (issue) => `"${String(issue.input)}" is not a Slack user group ID`,
});

/** IANA time zone that this Node's Intl data actually knows. */
export const TimeZone = z.string().refine(isKnownTimeZone, {
  error: notWithHint("a known IANA time zone", closestTimeZone),
});

// SLA windows, reminders and spike windows must be longer than zero; an escalation may fire at
// the breach itself ("0m").
// No window or delay needs more than a year; far beyond it, clock arithmetic leaves the dates
// JavaScript and PostgreSQL can hold, and a complaint would fail at intake instead of here.
const LONGEST_DURATION_MS = 366 * 86_400_000;

function durationSchema(zero: "allowed" | "rejected") {
  return z.string({ error: bareNumber }).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms !== undefined && (ms > 0 || zero === "allowed") && ms <= LONGEST_DURATION_MS) return ms;
    const message =
      ms === 0
        ? `"${value}" is zero; this duration must be longer than that`
        : ms !== undefined && ms > LONGEST_DURATION_MS
          ? `"${value}" is longer than a year; write at most 366d`
          : `"${value}" is not a duration${durationHint(value)}; write a number and a unit (${DURATION_EXAMPLES.join(", ")})`;
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  });
}

const UNIT_WORDS: Array<[RegExp, string]> = [
  [/^(seconds?|secs?)$/, "s"],
  [/^(minutes?|mins?)$/, "m"],
  [/^(hours?|hrs?)$/, "h"],
  [/^days?$/, "d"],
];

/** ` (did you mean "2d"?)` for a duration with its units in words ("2 days", "90min"). */
function durationHint(value: string): string {
  const text = value.toLowerCase();
  // Only when the value is nothing but numbers and units: "1.5d" is not "5d".
  if (text.replace(/(\d+)\s*([a-z]+)/g, "").replace(/\s|,|\band\b/g, "") !== "") return "";
  const parts = [...text.matchAll(/(\d+)\s*([a-z]+)/g)];
  const short = parts.map(([, n, unit]) => {
    const found = UNIT_WORDS.find(([word]) => word.test(unit ?? ""));
    return found ? `${n}${found[1]}` : `${n}${unit}`;
  });
  const meant = short.join("");
  const ms = parseDuration(meant);
  return meantHint(
    parts.length > 0 && meant !== value && ms !== undefined && ms > 0 ? meant : undefined,
  );
}

// "claim: 30" has no unit; say which ones there are rather than "expected text".
function bareNumber(issue: { input?: unknown }): string | undefined {
  if (typeof issue.input !== "number") return undefined;
  const n = issue.input;
  return `${n} has no unit: write ${n}s, ${n}m, ${n}h or ${n}d (seconds, minutes, hours or days)`;
}

const Duration = durationSchema("rejected");
const Delay = durationSchema("allowed");

// A share of an SLA window, "80%" or 0.8, converted to a fraction strictly between 0 and 1.
const Share = z
  .union([z.number(), z.string()], {
    error: (issue) =>
      issue.input === undefined
        ? 'Missing required key "at"'
        : "Expected a percentage such as 80% or a fraction such as 0.8",
  })
  .transform((value, ctx) => {
    const fraction = typeof value === "number" ? value : parsePercentage(value);
    if (fraction !== undefined && fraction > 0 && fraction < 1) return fraction;
    ctx.addIssue({ code: "custom", message: describeBadShare(value, fraction) });
    return z.NEVER;
  });

// A pattern written in double quotes loses its backslashes to YAML: "\bbag\b" arrives as
// backspace, bag, backspace, and never matches. No one means a control character in a pattern.
function hasControlCharacter(source: string): boolean {
  return [...source].some((char) => char < " " && char !== "\t" && char !== "\n" && char !== "\r");
}

// Compiled once here with "i", as MatchConditions promises, so a bad pattern fails at start-up.
const Pattern = z.string().transform((source, ctx) => {
  if (hasControlCharacter(source)) {
    ctx.addIssue({
      code: "custom",
      message:
        "The pattern holds a control character: in double quotes YAML reads \\b as a backspace. Write patterns in single quotes, such as '\\bbag\\b'",
    });
    return z.NEVER;
  }
  try {
    return new RegExp(source, "i");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.addIssue({ code: "custom", message: `The pattern does not compile: ${reason}` });
    return z.NEVER;
  }
});

const Handle = text.transform((handle) => handle.replace(/^@/, ""));
const Count = z.number().int().min(0);

// Conditions shared by routing, priority and kind rules; at least one that can match is
// required: excludePhrases only narrows what the others match.
// An empty list would make its condition one that never holds, and the rule silently dead.
const nonEmpty = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, {
    error: "The list is empty, so the rule could never match: add an entry or leave the key out",
  });

const MatchConditionsSchema = z
  .strictObject({
    phrases: nonEmpty(text).optional(),
    patterns: nonEmpty(Pattern).optional(),
    excludePhrases: z.array(text).optional(),
    sources: nonEmpty(text).optional(),
    languages: nonEmpty(text).optional(),
    authors: nonEmpty(Handle).optional(),
    minFollowers: Count.optional(),
    minShares: Count.optional(),
    verified: z.boolean().optional(),
  })
  .superRefine(({ excludePhrases, ...positive }, ctx) => {
    if (Object.values(positive).some((value) => value !== undefined)) return;
    ctx.addIssue({
      code: "custom",
      message:
        excludePhrases === undefined
          ? "The match has no conditions, so the rule would match every complaint"
          : "excludePhrases only narrows a rule: add phrases, patterns or another condition for it to narrow, or the rule matches every complaint without those phrases",
    });
  });

const DepartmentSchema = z.strictObject({
  key: DepartmentKey,
  name: text,
  channel: SlackChannel,
  leads: z.array(SlackUserId),
  calendar: text.optional(),
  usergroup: SlackUsergroupId.optional(),
});

const RoutingRuleSchema = z.strictObject({
  name: text,
  department: text,
  match: MatchConditionsSchema,
});

// A share written as a fraction (0.8) or a percentage ("80%"), for model confidences.
const Confidence = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const fraction = typeof value === "number" ? value : parsePercentage(value);
  if (fraction !== undefined && fraction > 0 && fraction <= 1) return fraction;
  ctx.addIssue({
    code: "custom",
    message: `${JSON.stringify(value)} is not a confidence between 0 and 1 (such as 0.8 or 80%)`,
  });
  return z.NEVER;
});

// node-cron's own check, so a schedule that would never run is refused at start-up.
const CronSchedule = z.string().refine((value) => cron.validate(value), {
  error: (issue) => `"${String(issue.input)}" is not a cron schedule`,
});

/** The learned router: on unless enabled is false; see docs/configuration.md. */
const LearnedRoutingSchema = z.strictObject({
  enabled: z.boolean().default(true),
  minConfidence: Confidence.default(0.8),
  minExamples: z.number().int().min(2).default(30),
  retrain: CronSchedule.optional(),
});

const RoutingSchema = z.strictObject({
  default: text,
  rules: z.array(RoutingRuleSchema).default([]),
  learned: LearnedRoutingSchema.optional(),
});

const KindRuleSchema = z.strictObject({
  name: text,
  kind: z.enum(POST_KINDS),
  match: MatchConditionsSchema,
});

// "HH:MM" (daily) or five cron fields, read in the profile's time zone; node-cron must accept
// it too, since the roll-up job runs on it.
const RollupSchedule = z.string().superRefine((value, ctx) => {
  const result = parseDigestSchedule(value);
  const daily = isLocalTime(value);
  const problem =
    "problem" in result
      ? result.problem
      : daily || cron.validate(value.trim())
        ? null
        : "is not a cron schedule";
  if (problem) ctx.addIssue({ code: "custom", message: `"${value}" ${problem}` });
});

// Whether channel, at and timezone are given where `deliver` needs them is checked below.
const KindProfileSchema = z
  .strictObject({
    clocks: z.array(z.enum(CLOCK_KINDS)).optional(),
    deliver: z.enum(["card", "channel", "rollup"]).default("card"),
    channel: SlackChannel.optional(),
    at: RollupSchedule.optional(),
    timezone: TimeZone.optional(),
  })
  .superRefine((profile, ctx) => {
    const needs = (key: "channel" | "at" | "timezone", why: string) => {
      if (profile[key] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `Missing required key "${key}": ${why}`,
        });
      }
    };
    const unused = (key: "channel" | "at" | "timezone", only: string) => {
      if (profile[key] !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `"${key}" is only read with ${only}, and deliver is ${profile.deliver}: set deliver, or leave ${key} out`,
        });
      }
    };
    if (profile.deliver === "card") unused("channel", "deliver: channel or rollup");
    if (profile.deliver !== "rollup") {
      unused("at", "deliver: rollup");
      unused("timezone", "deliver: rollup");
    }
    if (profile.deliver !== "card") needs("channel", `deliver: ${profile.deliver} posts there`);
    if (profile.deliver === "rollup") {
      needs("at", "the roll-up is posted at this local time (or on this cron schedule)");
      needs("timezone", "the time zone of at");
    }
  });

const KindsSchema = z.strictObject({
  default: z.enum(POST_KINDS).default("complaint"),
  rules: z.array(KindRuleSchema).default([]),
  learned: z
    .strictObject({
      enabled: z.boolean().default(true),
      minConfidence: Confidence.default(0.9),
    })
    .optional(),
  profiles: z
    .strictObject(
      Object.fromEntries(POST_KINDS.map((kind) => [kind, KindProfileSchema.optional()])) as Record<
        (typeof POST_KINDS)[number],
        z.ZodOptional<typeof KindProfileSchema>
      >,
    )
    .default({}),
});

// Whether a rule has exactly one of set/raise is checked in workspace-checks.ts.
const PriorityRuleSchema = z.strictObject({
  name: text,
  match: MatchConditionsSchema,
  set: z.enum(PRIORITIES).optional(),
  raise: z.number().int().min(1).max(3).optional(),
});

const PrioritySchema = z.strictObject({
  default: z.enum(PRIORITIES).default("P3"),
  rules: z.array(PriorityRuleSchema).default([]),
});

const SlaWindowsSchema = z.strictObject({
  claim: Duration.optional(),
  firstResponse: Duration,
  nextResponse: Duration.optional(),
  resolution: Duration.optional(),
});

const SlaSchema = z.strictObject({
  P1: SlaWindowsSchema,
  P2: SlaWindowsSchema,
  P3: SlaWindowsSchema,
  P4: SlaWindowsSchema,
});

const TimeSlotSchema = z.string().transform((value, ctx) => {
  const result = parseTimeSlot(value);
  if ("slot" in result) return result.slot;
  ctx.addIssue({ code: "custom", message: `"${value}" ${result.problem}` });
  return z.NEVER;
});

const DaySlotsSchema = z.array(TimeSlotSchema).superRefine((slots, ctx) => {
  const index = findOverlappingSlot(slots);
  const slot = slots[index];
  if (slot === undefined) return;
  ctx.addIssue({
    code: "custom",
    path: [index],
    message: `The slot ${formatMinute(slot.startMinute)}-${formatMinute(slot.endMinute)} overlaps an earlier slot on the same day`,
  });
});

const HoursSchema = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((day) => [day, DaySlotsSchema.optional()])) as Record<
    (typeof WEEKDAYS)[number],
    z.ZodOptional<typeof DaySlotsSchema>
  >,
);

const HolidaySchema = z.string().refine(isCalendarDate, {
  error: (issue) => `"${String(issue.input)}" is not a date written as YYYY-MM-DD`,
});

const CalendarSchema = z.strictObject({
  timezone: TimeZone,
  // A week with no open hour would stop every SLA clock on the calendar for good.
  hours: HoursSchema.refine((hours) => Object.values(hours).some((slots) => slots?.length), {
    error:
      'Every day is closed, so no SLA clock on this calendar could ever run: give at least one day a slot, such as mon: ["09:00-17:00"]',
  }),
  holidays: z.array(HolidaySchema).default([]),
});

// Either a local time ("08:00") or five cron fields, read in the executive's time zone.
const DigestSchedule = z.string().superRefine((value, ctx) => {
  const result = parseDigestSchedule(value);
  if ("problem" in result)
    ctx.addIssue({ code: "custom", message: `"${value}" ${result.problem}` });
});

const ExecutiveSchema = z.strictObject({
  user: SlackUserId,
  name: text,
  timezone: TimeZone,
  digest: DigestSchedule.optional(),
  /** Department keys the digest covers; left out, every department. Checked in workspace-checks.ts. */
  departments: z.array(text).min(1).optional(),
});

const WarningSchema = z.strictObject({
  at: Share,
  notify: z.enum(WARNING_NOTIFY),
});

const EscalationStepSchema = z.strictObject({
  after: Delay,
  notify: z.enum(["executives"]),
});

// Keys left out take DEFAULT_NUDGE_POLICY's values (in escalation-policy.ts). Whether
// executivesChannel is needed is checked in workspace-checks.ts, on the raw file.
const EscalationSchema = z
  .strictObject({
    executivesChannel: SlackChannel.optional(),
    warnings: z.array(WarningSchema).optional(),
    breach: z.strictObject({ notify: z.enum(["leads"]) }).optional(),
    escalate: z.array(EscalationStepSchema).optional(),
  })
  .superRefine((section, ctx) => {
    for (const issue of escalationPolicyIssues(section)) {
      ctx.addIssue({ code: "custom", path: [...issue.path], message: issue.message });
    }
  });

// Whose DMs wait for working hours; the calendar reference is checked in workspace-checks.ts.
const PersonSchema = z.strictObject({
  user: SlackUserId,
  calendar: text.optional(),
});

// Announcers are people (U…/W…) or user groups (S…), in one list.
const AnnouncerId = z.string().regex(/^([UW][A-Z0-9]{2,}|S[A-Z0-9]{2,})$/, {
  error: (issue) => `"${String(issue.input)}" is neither a Slack member ID nor a user group ID`,
});

const LeadTimes = z.array(Duration).superRefine((leads, ctx) => {
  leads.forEach((lead, index) => {
    if (leads.indexOf(lead) !== index) {
      ctx.addIssue({
        code: "custom",
        path: [index],
        message: "This lead time is listed twice; each reminder needs its own",
      });
    }
  });
});

// Keys left out take DEFAULT_CAMPAIGN_SETTINGS's values (in to-workspace-config.ts).
const CampaignsSchema = z.strictObject({
  channel: SlackChannel,
  announcers: z.array(AnnouncerId).default([]),
  minimumNotice: Delay.optional(),
  reminders: LeadTimes.optional(),
  linkTail: Delay.optional(),
  spike: z
    .strictObject({
      factor: z
        .number()
        .min(1, "A factor below 1 would alert below the expected rate; use 1 or more")
        .optional(),
      window: Duration.optional(),
      minimum: z.number().int().min(1).optional(),
    })
    .optional(),
});

/** The whole workspace file as written, with leaf values already converted. */
export const WorkspaceFile = z.strictObject({
  departments: z.array(DepartmentSchema).min(1),
  routing: RoutingSchema,
  kinds: KindsSchema.optional(),
  priority: PrioritySchema.default({ default: "P3", rules: [] }),
  sla: SlaSchema,
  calendars: z.record(z.string(), CalendarSchema).default({}),
  executives: z.array(ExecutiveSchema).default([]),
  admins: z.array(SlackUserId).default([]),
  escalation: EscalationSchema.optional(),
  people: z.array(PersonSchema).default([]),
  campaigns: CampaignsSchema.optional(),
});
export type WorkspaceFile = z.output<typeof WorkspaceFile>;

// "29e-2" rather than 29 / 100, so that 29% is exactly the number 0.29 and a warning written
// either way is recognised as the same share.
function parsePercentage(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(text.trim());
  return match ? Number(`${match[1]}e-2`) : undefined;
}

function describeBadShare(value: number | string, fraction: number | undefined): string {
  if (fraction === undefined) {
    return `"${value}" is not a percentage; write it like 80%, or as a fraction like 0.8`;
  }
  if (typeof value === "number" && value > 1 && value < 100) {
    return `${value} would be ${formatShare(value)} of the window; write ${value}% or ${value / 100}`;
  }
  const written = typeof value === "number" ? String(value) : `"${value}"`;
  return `${written} is not strictly between 0% and 100% of the window`;
}
