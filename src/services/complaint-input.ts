import { z } from "zod";
import { didYouMean } from "../config/closest-match.ts";
import { issueMessage } from "./issue-message.ts";
import { isStorableInstant, STORABLE_INSTANTS, storable } from "./storable.ts";

// int() already refuses unsafe integers; max() would say it again.
const count = z
  .number()
  .int({ abort: true, message: "must be a whole number no larger than 9007199254740991" })
  .min(0, "must be 0 or more");

const NOT_EMPTY = "must not be empty";
/** A blank handle only reaches the schema beside other author fields (all blank is no author). */
const HANDLE_NEEDED =
  "is needed when other author fields are given: send the author's handle, or leave every author field blank (or author out) for a post without an author";
const AT_MOST_256 = "must be at most 256 characters";

/** author.followers is an `integer` column (PostgreSQL's int4). */
const MAX_INT4 = 2_147_483_647;

const postedAt = z.iso
  // One issue per field: a value that is no date-time is not also out of range.
  .datetime({
    offset: true,
    abort: true,
    message: "must be an ISO 8601 date-time with an offset, e.g. 2026-11-24T08:15:00Z",
  })
  .refine(isStorableInstant, STORABLE_INSTANTS);

/**
 * One public post as a social-listening tool, a script or a CSV import sends it. An unknown
 * field is refused: a misspelt `conversation_id` would otherwise file every reply as a new
 * thread without a word.
 */
export const ComplaintInput = z.strictObject({
  /** Where it was posted: "twitter", "facebook", "instagram", "trustpilot"… */
  source: z
    .string()
    .trim()
    .min(1, { message: NOT_EMPTY, abort: true })
    .max(64, { message: "must be at most 64 characters", abort: true })
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, "use letters, digits, '.', '_' or '-' (e.g. \"twitter\")")
    .transform((s) => s.toLowerCase()),
  /** The source's own id for the post; with source, it makes a resend a duplicate. */
  externalId: storable(z.string().trim().min(1, NOT_EMPTY).max(256, AT_MOST_256)),
  text: storable(
    z.string().trim().min(1, NOT_EMPTY).max(20_000, "must be at most 20,000 characters"),
  ),
  // Length first: a long URL is too long, whatever else it is.
  url: storable(
    z
      .string()
      .max(2_048, { message: "must be at most 2,048 characters", abort: true })
      .pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" })),
  ).optional(),
  author: z
    .strictObject({
      handle: storable(
        z
          .string({ error: (issue) => (issue.input == null ? HANDLE_NEEDED : undefined) })
          .trim()
          .min(1, HANDLE_NEEDED)
          .max(256, AT_MOST_256),
      ).transform((h) => h.replace(/^@/, "")),
      name: storable(z.string().trim().max(256, AT_MOST_256)).optional(),
      followers: z
        .number()
        .int({ abort: true, message: "must be a whole number" })
        .min(0, "must be 0 or more")
        .max(MAX_INT4, "must be at most 2,147,483,647")
        .optional(),
      verified: z.boolean().optional(),
    })
    .optional(),
  postedAt: postedAt.optional(),
  /** Posts with the same source and conversationId share one thread. */
  conversationId: storable(z.string().trim().min(1, NOT_EMPTY).max(256, AT_MOST_256)).optional(),
  metrics: z
    .strictObject({ shares: count.optional(), likes: count.optional(), replies: count.optional() })
    .optional(),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i, 'must be a language code like "en" or "en-GB"')
    .optional(),
});
export type ComplaintInput = z.infer<typeof ComplaintInput>;

/** How far ahead of the bot's clock a post may be dated: a listening tool's clock may run fast. */
export const POSTED_AT_LEEWAY_MS = 24 * 60 * 60 * 1000;

/**
 * The issue with a postedAt more than a day ahead of the bot's clock, if there is one. A post
 * from the future is a wrong clock or time zone upstream; filed, its card would show the date
 * and every "posted … ago" would be wrong. It needs the clock, so it is checked after parsing.
 */
export function postedAtAheadIssue(
  postedAt: string | undefined,
  now: Date,
): { path: string; message: string } | undefined {
  if (postedAt === undefined) return undefined;
  if (Date.parse(postedAt) - now.getTime() <= POSTED_AT_LEEWAY_MS) return undefined;
  return {
    path: "postedAt",
    message: `is ${postedAt}, more than 24 hours after the bot's current time (${now.toISOString()}): a post cannot be from the future; check the sending tool's clock and time zone`,
  };
}

// Optional fields, per object of the body: null or blank there means "not given".
const OPTIONAL: Record<string, ReadonlySet<string>> = {
  "": new Set(["url", "author", "postedAt", "conversationId", "metrics", "language"]),
  author: new Set(["name", "followers", "verified"]),
  metrics: new Set(["shares", "likes", "replies"]),
};

const isBlank = (value: unknown) =>
  value === null || (typeof value === "string" && value.trim() === "");

/**
 * An author object whose fields are all known and all null or blank: what a tool sends for a
 * post it had no author to map to. An unknown field, even blank, is left for the schema to
 * name (a misspelt `handel` is not "no author").
 */
function isBlankAuthor(value: unknown): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const fields = fieldsAt(["author"]);
  return Object.entries(value).every(([key, field]) => fields.includes(key) && isBlank(field));
}

/**
 * The body with optional fields that are null or blank left out, and an author whose fields
 * are all blank counted as no author. Integration tools (Zapier, n8n, a CSV import) send an
 * unmapped field as null or "", and refusing the whole post for a missing URL would lose it;
 * a required field that is null or blank is still refused.
 */
export function blanksAsAbsent(raw: unknown, at = ""): unknown {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return raw;
  const optional = OPTIONAL[at] ?? new Set<string>();
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (isBlank(value) && optional.has(key)) continue;
    if (at === "" && key === "author" && isBlankAuthor(value)) continue;
    kept[key] =
      at === "" && (key === "author" || key === "metrics") ? blanksAsAbsent(value, key) : value;
  }
  return kept;
}

/**
 * The conversation a post joins: its conversationId, or its own id when it starts one (on
 * X/Twitter and Facebook a reply's conversation id is the id of the post that started it).
 */
export function conversationKeyOf(input: ComplaintInput): string {
  return input.conversationId ?? input.externalId;
}

/**
 * The conversation a raw batch item belongs to, read as ingestComplaint will read it (a blank
 * conversationId is absent, ids trimmed, the source lower-cased), or undefined when the item
 * will be refused. The batch files one conversation's posts one after another by this key: a
 * key taken from the raw JSON put a reply and the post it answers in different lanes.
 */
export function batchConversationOf(raw: unknown): string | undefined {
  const parsed = ComplaintInput.safeParse(blanksAsAbsent(raw));
  if (!parsed.success) return undefined;
  return `${parsed.data.source}\0${conversationKeyOf(parsed.data)}`;
}

/** The most complaints one batch request may carry. */
export const MAX_BATCH = 500;

/**
 * The batch body. An unknown key is refused like an unknown complaint field: a misspelt
 * option would otherwise be ignored without a word.
 */
export const ComplaintBatchInput = z.strictObject({
  complaints: z
    .array(z.unknown())
    .min(1, "must hold at least one complaint")
    .max(
      MAX_BATCH,
      `holds more than ${MAX_BATCH} complaints; send them in batches of ${MAX_BATCH} or fewer`,
    ),
});

/**
 * Turns zod issues into `{ path, message }` with paths like "author.followers"; an unknown key
 * is named with the nearest known one and every field of the object it is in, read from
 * `schema` (the body that was parsed).
 */
export function describeIssues(
  error: z.ZodError,
  schema: z.ZodObject = ComplaintInput,
): Array<{ path: string; message: string }> {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      const known = fieldsAt(at, schema);
      return issue.keys.map((key) => ({
        path: [...at, key].join("."),
        message: `unknown field${didYouMean(key, known)}; the fields are ${known.join(", ")}`,
      }));
    }
    return [{ path: at.length ? at.join(".") : "(body)", message: issueMessage(issue) }];
  });
}

/** The fields the object at `path` of `schema` takes (the body's, or author's or metrics'). */
function fieldsAt(path: readonly string[], schema: z.ZodObject = ComplaintInput): string[] {
  let shape = schema.shape;
  for (const key of path) {
    let field = shape[key];
    while (field instanceof z.ZodOptional) field = field.unwrap();
    if (!(field instanceof z.ZodObject)) break;
    shape = field.shape;
  }
  return Object.keys(shape);
}
