import { accessSync, constants } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/**
 * Debian's Chromium for the sandbox's browser tests, driven by playwright-core (which never
 * downloads a browser of its own). Without it the tests say so and are skipped, not passed.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Chromium's path when it can be run here, else undefined (after saying why once). */
export function findChromium(testName: string): string | undefined {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return CHROMIUM;
  } catch {
    console.warn(
      `SKIPPED: ${testName} needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH); it was not found, so the test is skipped, not passed.`,
    );
    return undefined;
  }
}

// Flags known to work on these machines: no sandbox as root (playwright adds --no-sandbox),
// and no background networking, which a closed network would refuse.
const CHROMIUM_ARGS = [
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Starts headless Chromium with those flags. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}
