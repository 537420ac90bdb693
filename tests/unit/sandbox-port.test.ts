import { describe, expect, it } from "vitest";
import { loadEnv } from "../../src/config/env.ts";
import { readPort } from "../../src/sandbox/sandbox-port.ts";

/** The sandbox's PORT: the page's port, with the bot's intake API on the next one. */

describe("the sandbox's PORT", () => {
  it("is unset: the page and its intake API keep clear of npm start's port, so both run side by side", () => {
    const started = loadEnv({
      SLACK_BOT_TOKEN: "xoxb-111-222-secretbotpart",
      SLACK_SIGNING_SECRET: "8f14e45fceea167a5a36dedd4bea2543",
      INTAKE_TOKENS: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    }).port;
    expect(started).toBe(3000);
    for (const unset of [undefined, "", " "]) {
      const page = readPort(unset);
      expect(page).toBe(3030);
      expect([page, page + 1]).not.toContain(started);
    }
  });

  it("is set: it wins, even where npm start listens", () => {
    expect(readPort("3000")).toBe(3000);
    expect(readPort("0")).toBe(0);
  });

  it("refuses 65535, naming the port the bot's intake API would need, and takes 65534", () => {
    expect(() => readPort("65535")).toThrow(
      "Cannot start the sandbox: PORT 65535 leaves no port for the bot's intake API, which takes the next one (65536 does not exist); use 65534 or lower, such as 3030 (0 picks free ports)",
    );
    expect(readPort("65534")).toBe(65_534);
  });

  it.each(["65536", "-1", "3e3", "web", "80.5"])(
    "refuses %s, giving the range it takes",
    (value) => {
      expect(() => readPort(value)).toThrow(
        `Cannot start the sandbox: PORT "${value}" is not a port number; use a whole number from 0 to 65534, such as 3030 (0 picks free ports)`,
      );
    },
  );
});
