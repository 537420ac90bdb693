import { DrizzleQueryError } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { oneLine } from "../../src/cli-database.ts";

/** What the CLIs print after "Report failed:" (and the like) for an unexpected error. */
describe("oneLine", () => {
  it("shows the database's own message, not drizzle's SQL text and parameters", () => {
    const cause = new Error('time zone displacement out of range: "+010000-01-01T08:00:00.000Z"');
    const error = new DrizzleQueryError("\n  SELECT thread_id FROM thread_events\n", ["x"], cause);
    expect(oneLine(error)).toBe(cause.message);
  });

  it("keeps the first line of anything else", () => {
    expect(oneLine(new Error("PGlite failed to initialize properly\n    at somewhere"))).toBe(
      "PGlite failed to initialize properly",
    );
    expect(oneLine("a thrown string")).toBe("a thrown string");
  });
});
