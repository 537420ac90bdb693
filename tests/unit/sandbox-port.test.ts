import { describe, expect, it } from "vitest";
import { readPort } from "../../src/sandbox/sandbox-port.ts";

/** The sandbox's PORT: the page's port, with the bot's intake API on the next one. */

describe("the sandbox's PORT", () => {
  it("refuses 65535, naming the port the bot's intake API would need, and takes 65534", () => {
    expect(() => readPort("65535")).toThrow(
      "Cannot start the sandbox: PORT 65535 leaves no port for the bot's intake API, which takes the next one (65536 does not exist); use 65534 or lower, such as 3000 (0 picks free ports)",
    );
    expect(readPort("65534")).toBe(65_534);
  });

  it.each(["65536", "-1", "3e3", "web", "80.5"])(
    "refuses %s, giving the range it takes",
    (value) => {
      expect(() => readPort(value)).toThrow(
        `Cannot start the sandbox: PORT "${value}" is not a port number; use a whole number from 0 to 65534, such as 3000 (0 picks free ports)`,
      );
    },
  );
});
