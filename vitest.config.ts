import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/build-setup.ts", "tests/helpers/global-setup.ts"],
    setupFiles: ["tests/helpers/loopback-only.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./tests/helpers/summary-reporter.ts"],
  },
});
