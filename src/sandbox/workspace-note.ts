/** What the start found in the database, for the line under the sandbox's banner. */
export interface WorkspaceFound {
  /** The workspace of the last run was restored from its saved file. */
  restored: boolean;
  /** Threads in the database with no saved workspace beside it. */
  orphanedThreads: number;
  /** Why the check that DATABASE_URL's database is the sandbox's own could not read it. */
  uncheckedReason: string | undefined;
  /** The file the sandbox keeps its workspace in (DATA_DIR/slack-workspace.json). */
  stateFile: string;
  /** DATABASE_URL is set: `--reset` refuses, so a fresh start is done by hand. */
  usesPostgres: boolean;
}

/**
 * The line under the banner. Threads without a saved workspace reach a running sandbox only
 * through DATABASE_URL when the check before the start could not read the database (an
 * embedded one, or a readable one with threads, is refused): say so and how to get a database
 * of the sandbox's own. `--reset` alone cannot help there, as it refuses with DATABASE_URL set.
 */
export function workspaceNote(found: WorkspaceFound): string {
  if (found.restored) {
    const fresh = found.usesPostgres
      ? `to start from empty, empty that database and delete ${found.stateFile}`
      : "npm run sandbox -- --reset starts from empty";
    return `The workspace of your last run is back (${fresh}).`;
  }
  if (found.orphanedThreads === 0) {
    return "A new, empty workspace: post a complaint from the page's Feed panel.";
  }
  const n = found.orphanedThreads;
  const things = n === 1 ? "1 thread" : `${n} threads`;
  const why = found.uncheckedReason ? ` (${found.uncheckedReason})` : "";
  return [
    `Careful: the database in DATABASE_URL holds ${things} that ${found.stateFile} has no sandbox workspace for,`,
    `and the check that refuses such a database (most likely your bot's, if DATABASE_URL is set for npm start) could not read it before the start${why}.`,
    "Their cards are not in this stand-in for Slack, so their follow-ups cannot reach them, and Slack messages the bot had queued may have been delivered here instead of to Slack.",
    "Stop the sandbox (Ctrl-C), then either unset DATABASE_URL and run npm run sandbox -- --reset (an embedded database in DATA_DIR),",
    `or set DATABASE_URL to an empty database of the sandbox's own and delete ${found.stateFile}.`,
  ].join("\n");
}
