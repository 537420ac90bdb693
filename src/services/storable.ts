import type * as z from "zod";

// What PostgreSQL stores exactly as received, checked at every boundary that writes what
// callers send: a value it would refuse is a 400 naming the field, never a 500.

/** An unpaired UTF-16 surrogate: PostgreSQL would store U+FFFD instead, a different string. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Text a PostgreSQL `text` column stores exactly as received. */
export function storable<T extends z.ZodType<string>>(schema: T) {
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

export const STORABLE_INSTANTS =
  "must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z (in UTC)";

/** Whether an ISO 8601 date-time falls in the range a timestamptz column takes. */
export function isStorableInstant(iso: string): boolean {
  const at = Date.parse(iso);
  return at >= EARLIEST && at <= LATEST;
}
