import * as z from "zod";
import { didYouMean } from "../config/closest-match.ts";
import { isCalendarDate } from "../domain/calendar-date.ts";
import { addLocalDays, instantAtLocal, isKnownTimeZone } from "../domain/zoned-time.ts";
import { issueMessage } from "../services/issue-message.ts";

/** Longest period one report covers. */
export const MAX_REPORT_DAYS = 366;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EARLIEST_YEAR = "1970";
/** The last instant a database timestamp (and an ISO 8601 string) takes. */
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");

/** "2026-11-02" (a local day) or an ISO 8601 date-time with an offset. */
const WHEN_FORMAT = 'a date "2026-11-02" or a date-time with an offset "2026-11-02T08:00:00Z"';
/** "2026-11-02T08:00:00 01:00": the offset's "+" written as is in a URL, which reads it as a space. */
const PLUS_READ_AS_SPACE = /[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)? \d{2}:?\d{2}$/;

const When = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? `is required: ${WHEN_FORMAT}`
        : Array.isArray(issue.input)
          ? "is given more than once: give it once"
          : `expected ${WHEN_FORMAT}`,
  })
  .trim()
  .refine(
    (v) =>
      DATE_ONLY.test(v) ||
      (/[T ]\d{2}:\d{2}/.test(v) &&
        /(Z|[+-]\d{2}:?\d{2})$/i.test(v) &&
        Number.isFinite(Date.parse(v))),
    {
      abort: true,
      error: (issue) =>
        PLUS_READ_AS_SPACE.test(String(issue.input))
          ? `"${String(issue.input)}" lost its offset's "+": in a URL "+" means a space, so write it as %2B (2026-11-02T08:00:00%2B01:00) or give the time in UTC with Z`
          : `expected ${WHEN_FORMAT}`,
    },
  )
  // Date.parse would read 2026-02-30 as 2 March and year 0050 as 1950: a report of another
  // period than the one asked for. No complaint predates 1970.
  .refine((v) => isCalendarDate(v.slice(0, 10)) && v.slice(0, 4) >= EARLIEST_YEAR, {
    abort: true,
    error: (issue) =>
      `"${String(issue.input)}" is not a day of the calendar from ${EARLIEST_YEAR} on`,
  });

/**
 * The report's query: from, to, departments, time zone, format. A date-only `from` is the
 * start of that day and a date-only `to` the end of that day, in `timezone` (so
 * from=2026-11-02&to=2026-11-08 is one whole week).
 */
export function reportQuery(departmentKeys: readonly string[]) {
  return z
    .strictObject({
      from: When,
      to: When,
      department: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .transform((v) =>
          v === undefined
            ? undefined
            : [v]
                .flat()
                .flatMap((s) => s.split(","))
                .map((s) => s.trim())
                .filter(Boolean),
        )
        .superRefine((keys, ctx) => {
          if (keys?.length === 0) {
            ctx.addIssue({
              code: "custom",
              message: "is empty: name a department, or leave department out for every one",
            });
          }
          for (const key of keys ?? []) {
            if (!departmentKeys.includes(key)) {
              ctx.addIssue({
                code: "custom",
                message: `unknown department "${key}"; one of ${departmentKeys.join(", ")}`,
              });
            }
          }
        }),
      timezone: z
        .string()
        .trim()
        .default("UTC")
        .refine(isKnownTimeZone, {
          error: (i) => `"${String(i.input)}" is not a known IANA time zone`,
        }),
      format: z.enum(["json", "csv"]).default("json"),
    })
    .transform((q, ctx) => {
      const from = instantOf(q.from, q.timezone, "start");
      const to = instantOf(q.to, q.timezone, "end");
      if (!(to.getTime() <= LATEST)) {
        ctx.addIssue({
          code: "custom",
          path: ["to"],
          message: "must be 9999-12-30 or earlier: a period must end before the year 10000",
        });
        return z.NEVER;
      }
      if (to.getTime() <= from.getTime()) {
        ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
        return z.NEVER;
      }
      if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
        ctx.addIssue({
          code: "custom",
          path: ["to"],
          message: `the period is longer than ${MAX_REPORT_DAYS} days`,
        });
        return z.NEVER;
      }
      return { from, to, departments: q.department, timezone: q.timezone, format: q.format };
    });
}
export type ReportQuery = z.output<ReturnType<typeof reportQuery>>;

function instantOf(text: string, timezone: string, edge: "start" | "end"): Date {
  const day = DATE_ONLY.exec(text);
  if (!day) return new Date(text);
  const date = { year: Number(day[1]), month: Number(day[2]), day: Number(day[3]) };
  return instantAtLocal(edge === "start" ? date : addLocalDays(date, 1), 0, timezone);
}

/** The report's parameters, for naming them when an unknown one is given. */
const PARAMETERS = ["from", "to", "department", "timezone", "format"];

/** zod issues as { path, message }, the shape every 400 carries; each unknown parameter by name. */
export function queryIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((key) => ({
          path: key,
          message: `is not a parameter of this report${didYouMean(key, PARAMETERS)}; the parameters are ${PARAMETERS.join(", ")}`,
        }))
      : [{ path: i.path.join(".") || "(query)", message: issueMessage(i) }],
  );
}
