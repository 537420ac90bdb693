import { z } from "zod";

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

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
  externalId: z.string().trim().min(1).max(256),
  text: z.string().trim().min(1, "must not be empty").max(20_000),
  url: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL" })
    .max(2_048)
    .optional(),
  author: z
    .object({
      handle: z
        .string()
        .trim()
        .min(1)
        .max(256)
        .transform((h) => h.replace(/^@/, "")),
      name: z.string().trim().max(256).optional(),
      followers: count.optional(),
      verified: z.boolean().optional(),
    })
    .optional(),
  postedAt: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }).optional(),
  /** Posts with the same source and conversationId share one thread. */
  conversationId: z.string().trim().min(1).max(256).optional(),
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
