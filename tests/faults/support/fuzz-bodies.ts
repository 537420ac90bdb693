import { deflateSync, gzipSync } from "node:zlib";
import fc from "fast-check";

/** One fuzzed request to the intake API. */
export interface FuzzCase {
  path: "/api/v1/complaints" | "/api/v1/complaints/batch";
  headers: Record<string, string>;
  body: Uint8Array;
  /** What the case is, for the report of a failure. */
  label: string;
}

const JSON_TYPE = { "content-type": "application/json" };

/** Strings that have broken intake or a database before: NULs, lone surrogates, huge, empty. */
const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "lost\u0000bag",
    "\ud800",
    "bag \udc00 lost",
    "\u202e\u200b",
    "x".repeat(20_001),
    "'; DROP TABLE complaints; --",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59-12:00",
  ),
);

/** Any JSON value, including the wrong type for a field. */
const anyValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, 2 ** 31 - 1, 2 ** 53, -1, 1e308, -0),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Mostly a well-formed value, sometimes anything at all. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 10, arbitrary: valid }, { weight: 1, arbitrary: anyValue });

const isoDate = fc
  .date({
    min: new Date("0001-01-01T00:00:00Z"),
    // Not ahead of the bot's clock: a post from the future is refused (a 400, not a fault).
    max: new Date(),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());

/** A complaint object: real-looking fields, each sometimes replaced by something hostile. */
function complaintArb(run: string) {
  return fc.record(
    {
      source: mostly(fc.constantFrom("twitter", "facebook", "instagram", "trustpilot", "x.com")),
      // A small range of ids per run, so some bodies are resends of others (duplicates).
      externalId: mostly(fc.nat({ max: 4_000 }).map((i) => `${run}-${i}`)),
      text: mostly(
        fc.oneof(
          fc.lorem({ maxCount: 12 }),
          fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }),
        ),
      ),
      url: mostly(fc.webUrl()),
      author: mostly(
        fc.record(
          {
            handle: mostly(fc.stringMatching(/^@?[a-z0-9_]{1,15}$/)),
            name: mostly(fc.string({ maxLength: 40 })),
            followers: mostly(fc.integer({ min: 0, max: 2 ** 31 + 5 })),
            verified: mostly(fc.boolean()),
          },
          { requiredKeys: ["handle"] },
        ),
      ),
      postedAt: mostly(
        fc.oneof(
          isoDate,
          isoDate.map((s) => s.replace("Z", "-12:00")),
        ),
      ),
      conversationId: mostly(fc.nat({ max: 300 }).map((i) => `${run}-c${i}`)),
      metrics: mostly(
        fc.record(
          { shares: mostly(fc.nat()), likes: mostly(fc.nat()), replies: mostly(fc.nat()) },
          { requiredKeys: [] },
        ),
      ),
      language: mostly(fc.constantFrom("en", "pt-BR", "en-GB", "de")),
      unexpected: anyValue,
    },
    { requiredKeys: ["source", "externalId", "text"] },
  );
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/**
 * Request bodies for the intake API: mostly complaints with a hostile field or two, and
 * besides them arbitrary JSON, batches, text that is not JSON, compressed bodies (good and
 * corrupt) and the wrong content type. `run` keeps ids apart from other runs.
 */
export function fuzzCases(run: string): fc.Arbitrary<FuzzCase> {
  const complaint = complaintArb(run);
  return fc.oneof(
    {
      weight: 12,
      arbitrary: complaint.map((c) => ({
        path: "/api/v1/complaints" as const,
        headers: JSON_TYPE,
        body: json(c),
        label: "complaint",
      })),
    },
    {
      weight: 3,
      arbitrary: fc
        .oneof(
          fc.record({ complaints: fc.array(complaint, { maxLength: 6 }) }),
          fc.record({ complaints: fc.array(anyValue, { maxLength: 4 }) }),
          anyValue,
        )
        .map((b) => ({
          path: "/api/v1/complaints/batch" as const,
          headers: JSON_TYPE,
          body: json(b),
          label: "batch",
        })),
    },
    {
      weight: 2,
      arbitrary: anyValue.map((v) => ({
        path: "/api/v1/complaints" as const,
        headers: JSON_TYPE,
        body: json(v),
        label: "any JSON",
      })),
    },
    {
      weight: 1,
      arbitrary: fc.string({ unit: "binary", maxLength: 200 }).map((text) => ({
        path: "/api/v1/complaints" as const,
        headers: JSON_TYPE,
        body: new TextEncoder().encode(text),
        label: "not JSON",
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(complaint, fc.constantFrom("gzip", "deflate"), fc.nat({ max: 40 }), fc.boolean())
        .map(([c, encoding, cut, corrupt]) => {
          const packed =
            encoding === "gzip" ? gzipSync(JSON.stringify(c)) : deflateSync(JSON.stringify(c));
          return {
            path: "/api/v1/complaints" as const,
            headers: { ...JSON_TYPE, "content-encoding": encoding },
            body: new Uint8Array(corrupt ? packed.subarray(0, cut) : packed),
            label: corrupt ? `truncated ${encoding}` : encoding,
          };
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          complaint,
          fc.constantFrom(
            "text/plain",
            "application/x-www-form-urlencoded",
            "",
            "application/json; charset=latin1",
          ),
        )
        .map(([c, type]) => ({
          path: "/api/v1/complaints" as const,
          headers: (type ? { "content-type": type } : {}) as Record<string, string>,
          body: json(c),
          label: `content-type ${type || "(none)"}`,
        })),
    },
  );
}
