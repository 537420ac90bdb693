import { DrizzleQueryError, sql } from "drizzle-orm";
import { isDatabaseUnavailable } from "./availability.ts";
import type { DatabaseHandle } from "./client.ts";

/**
 * PostgreSQL in DATABASE_URL cannot be used: down, unreachable, or refusing the credentials.
 * The message names the setting, the server (host and port, never the user or password), the
 * server's or socket's own error, and the fix.
 */
export class DatabaseUnreachableError extends Error {
  readonly code = "database_unreachable";
  constructor(
    /** host:port, or undefined when it cannot be shown safely (see serverOf). */
    readonly server: string | undefined,
    reason: string,
    unavailable: boolean,
    options?: ErrorOptions,
  ) {
    const named = server
      ? `PostgreSQL at ${server} (DATABASE_URL)`
      : "the PostgreSQL server in DATABASE_URL";
    super(
      unavailable
        ? `Cannot reach ${named}: ${reason}. Start PostgreSQL there, or correct the host and port in DATABASE_URL (or unset it to use the embedded database in DATA_DIR).`
        : `Cannot connect to ${named}: ${reason}. Correct the user, password or database name in DATABASE_URL.`,
      options,
    );
    this.name = "DatabaseUnreachableError";
  }
}

/**
 * host:port of a postgres:// URL, for messages; never its user or password. The host part is
 * read as postgres.js reads it (after "://", up to the first "/", "?" or "#") and only what
 * follows its last "@" is shown. When the URL has an "@" only further on, a password holding
 * an unencoded "/", "?" or "#" may have been cut in two: then nothing is shown (undefined).
 */
export function serverOf(url: string): string | undefined {
  const rest = url.replace(/^[a-z][\w+.-]*:\/\//i, "");
  const authority = rest.split(/[/?#]/)[0] ?? "";
  const at = authority.lastIndexOf("@");
  if (at === -1 && rest.includes("@")) return undefined;
  const hosts = authority.slice(at + 1) || "localhost";
  // postgres.js's default port; several hosts ("h1:5432,h2") are shown as written.
  return /:\d+$/.test(hosts) || hosts.includes(",") ? hosts : `${hosts}:5432`;
}

/** The driver's error behind drizzle's wrapper, whose message is the SQL text. */
function driverError(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause ? error.cause : error;
}

/**
 * The URL's password as written and as decoded. None when it is shorter than 4 characters:
 * blotting out every "p" of a one-letter password would garble the message and hide little.
 */
function passwordsIn(url: string): string[] {
  const password = URL.canParse(url) ? new URL(url).password : "";
  if (password.length < 4) return [];
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password]; // a stray "%" that is not an escape
  }
}

/** The error's first line, with the URL's password blotted out should a driver ever echo it. */
function reasonOf(error: unknown, url: string): string {
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
  return passwordsIn(url).reduce((text, password) => text.replaceAll(password, "***"), message);
}

/**
 * Opens one connection to PostgreSQL and runs `SELECT 1`, so a server that is down or refuses
 * us is reported as such (DatabaseUnreachableError) before any real work, rather than as
 * whichever query happened to go first. Does nothing for the embedded database.
 */
export async function checkReachable(handle: DatabaseHandle): Promise<void> {
  if (handle.kind !== "postgres" || !handle.url) return;
  try {
    await handle.query(sql`SELECT 1`);
  } catch (error) {
    const cause = driverError(error);
    throw new DatabaseUnreachableError(
      serverOf(handle.url),
      reasonOf(cause, handle.url),
      isDatabaseUnavailable(cause),
      { cause },
    );
  }
}
