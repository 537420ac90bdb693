/**
 * Telling "the database is unavailable or too slow right now" (worth a 503 and a retry)
 * apart from a bug or bad data (a 500, or a 4xx upstream).
 */

/** Raised when the database did not answer within a bound we set (see client.ts). */
export class DatabaseTimeoutError extends Error {
  readonly code = "DATABASE_TIMEOUT";
  constructor(what: string, ms: number) {
    super(`The database did not answer ${what} within ${ms} ms`);
    this.name = "DatabaseTimeoutError";
  }
}

/** Error codes of postgres.js and Node's sockets that mean the connection failed or was lost. */
const CONNECTION_CODES = new Set([
  "DATABASE_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/**
 * SQLSTATEs that say "not now" rather than "never": connection exceptions (08), too many
 * connections (53), shutdown or statement/lock timeouts (57, 55P03), and serialization
 * failures and deadlocks (40), which a retry resolves.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
function isTransientSqlState(code: string): boolean {
  if (!/^[0-9A-Z]{5}$/.test(code)) return false;
  return ["08", "53", "57", "40"].includes(code.slice(0, 2)) || code === "55P03";
}

/** True when the error (or its cause: drizzle wraps driver errors) means "retry later". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || isTransientSqlState(code)))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Waits for `work` at most `ms`, then rejects with DatabaseTimeoutError. The work itself is
 * not cancelled (the client's own bounds end it); its late failure is only logged by `onLate`.
 */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  onLate: (error: unknown) => void = () => {},
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late = true;
      reject(new DatabaseTimeoutError(what, ms));
    }, ms);
  });
  work.catch((error) => {
    if (late) onLate(error);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
