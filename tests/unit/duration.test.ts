import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../src/domain/duration.ts";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("parseDuration", () => {
  it.each([
    ["90s", 90 * SECOND],
    ["15m", 15 * MINUTE],
    ["4h", 4 * HOUR],
    ["2d", 2 * DAY],
    ["1h30m", HOUR + 30 * MINUTE],
    ["1h 30m", HOUR + 30 * MINUTE],
    ["1d2h3m4s", DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND],
    [" 0s ", 0],
  ])("reads %j", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", " ", "15", "m", "1.5h", "-5m", "30m1h", "1h1h", "15 minutes", "15M", "1w", "h1"])(
    "rejects %j",
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [999, "0s"],
    [90 * SECOND, "1m 30s"],
    [15 * MINUTE, "15m"],
    [HOUR + 30 * MINUTE, "1h 30m"],
    [HOUR + 5 * SECOND, "1h"],
    [DAY, "1d"],
    [DAY + 2 * HOUR + 3 * MINUTE, "1d 2h"],
    [-15 * MINUTE, "-15m"],
    [-(MINUTE + 59_999), "-1m 59s"],
  ])("formats %d ms as %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("shows more units on request", () => {
    expect(formatDuration(DAY + 2 * HOUR + 3 * MINUTE + 4 * SECOND, 4)).toBe("1d 2h 3m 4s");
    expect(formatDuration(DAY + 4 * SECOND, 4)).toBe("1d 0h 0m 4s");
    expect(formatDuration(DAY + 2 * HOUR, 1)).toBe("1d");
  });

  it("round-trips any whole number of seconds through parseDuration", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: (400 * DAY) / SECOND }), (seconds) => {
        const ms = seconds * SECOND;
        expect(parseDuration(formatDuration(ms, 4))).toBe(ms);
      }),
    );
  });
});
