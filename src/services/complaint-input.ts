import { z } from "zod";

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** author.followers is an `integer` column (PostgreSQL's int4). */
const MAX_INT4 = 2_147_483_647;

/** An unpaired UTF-16 surrogate: PostgreSQL would store U+FFFD instead, a different string. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Text a PostgreSQL `text` column stores exactly as received. */
function storable<T extends z.ZodType<string>>(schema: T) {
  return schema
    .refine((s) => !s.includes("\u0000"), "must not contain the NUL character (\\u0000)")
    .refine((s) => !LONE_SURROGATE.test(s), "must be valid Unicode (it has an unpaired surrogate)");
}

/**
 * The instants a timestamptz column takes from a JavaScript Date: years 0001 to 9999 in UTC
 * (PostgreSQL has no year 0, and later years do not serialise as ISO 8601).
 */
const EARLIEST = Date.parse("0001-01-01T00:00:00Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");
const postedAt = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time" })
  .refine((s) => {
    const at = Date.parse(s);
    return at >= EARLIEST && at <= LATEST;
  }, "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (in UTC)");

/** One public post as a social-listening tool, a script or a CSV import sends it. */
export const ComplaintInput = z.object({
  /** Where it was posted: "twitter", "facebook", "instagram", "trustpilot"… */
  source: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, "use letters, digits, '.', '_' or '-' (e.g. \"twitter\")")
    .transform((s) => s.toLowerCase()),
  /** The source's own id for the post; with source, it makes a resend a duplicate. */
  externalId: storable(z.string().trim().min(1).max(256)),
  text: storable(z.string().trim().min(1, "must not be empty").max(20_000)),
  url: storable(
    z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }).max(2_048),
  ).optional(),
  author: z
    .object({
      handle: storable(z.string().trim().min(1).max(256)).transform((h) => h.replace(/^@/, "")),
      name: storable(z.string().trim().max(256)).optional(),
      followers: z.number().int().min(0).max(MAX_INT4).optional(),
      verified: z.boolean().optional(),
    })
    .optional(),
  postedAt: postedAt.optional(),
  /** Posts with the same source and conversationId share one thread. */
  conversationId: storable(z.string().trim().min(1).max(256)).optional(),
  metrics: z
    .object({ shares: count.optional(), likes: count.optional(), replies: count.optional() })
    .optional(),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, 'must be a language code like "en" or "en-GB"')
    .optional(),
});
export type ComplaintInput = z.infer<typeof ComplaintInput>;

/** The most complaints one batch request may carry. */
export const MAX_BATCH = 500;

export const ComplaintBatchInput = z.object({
  complaints: z.array(z.unknown()).min(1, "must hold at least one complaint").max(MAX_BATCH),
});

/** Turns zod issues into `{ path, message }` with paths like "author.followers". */
export function describeIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join(".") : "(body)",
    message: issue.message,
  }));
}
