import { describe, expect, it } from "vitest";
import { workspaceNote } from "../../src/sandbox/workspace-note.ts";

/** The line under the sandbox's banner: what the start found in the database. */

const STATE = "data/sandbox/slack-workspace.json";

describe("the sandbox's start note", () => {
  it("says the last run's workspace is back, or that the workspace is new", () => {
    const found = {
      orphanedThreads: 0,
      uncheckedReason: undefined,
      stateFile: STATE,
      usesPostgres: false,
    };
    expect(workspaceNote({ ...found, restored: true })).toBe(
      "The workspace of your last run is back (npm run sandbox -- --reset starts from empty).",
    );
    expect(workspaceNote({ ...found, restored: false })).toBe(
      "A new, empty workspace: post a complaint from the page's Feed panel.",
    );
  });

  it("on DATABASE_URL, where --reset refuses, says how to start from empty by hand", () => {
    const note = workspaceNote({
      restored: true,
      orphanedThreads: 0,
      uncheckedReason: undefined,
      stateFile: STATE,
      usesPostgres: true,
    });
    expect(note).toBe(
      `The workspace of your last run is back (to start from empty, empty that database and delete ${STATE}).`,
    );
  });

  it("for threads in DATABASE_URL that the check before the start could not read, says what failed and a way out that works with DATABASE_URL", () => {
    const note = workspaceNote({
      restored: false,
      orphanedThreads: 3,
      uncheckedReason: "Connection terminated unexpectedly",
      stateFile: STATE,
      usesPostgres: true,
    });
    expect(note).toBe(
      [
        `Careful: the database in DATABASE_URL holds 3 threads that ${STATE} has no sandbox workspace for,`,
        "and the check that refuses such a database (most likely your bot's, if DATABASE_URL is set for npm start) could not read it before the start (Connection terminated unexpectedly).",
        "Their cards are not in this stand-in for Slack, so their follow-ups cannot reach them, and Slack messages the bot had queued may have been delivered here instead of to Slack.",
        "Stop the sandbox (Ctrl-C), then either unset DATABASE_URL and run npm run sandbox -- --reset (an embedded database in DATA_DIR),",
        `or set DATABASE_URL to an empty database of the sandbox's own and delete ${STATE}.`,
      ].join("\n"),
    );
    // `--reset` refuses while DATABASE_URL is set: never offered as the whole way out.
    expect(note).not.toContain("--reset starts clean");
  });

  it("counts one thread as one", () => {
    const note = workspaceNote({
      restored: false,
      orphanedThreads: 1,
      uncheckedReason: undefined,
      stateFile: STATE,
      usesPostgres: true,
    });
    expect(note).toContain("holds 1 thread that");
    expect(note).toContain("could not read it before the start.\n");
  });
});
