import { configDefaults, defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

/**
 * The suite as `npm run test:mutation` runs it under Stryker (scripts/mutation.ts). Stryker's
 * vitest runner runs one test file at a time in a worker thread and picks, per mutant, the tests
 * that cover it. Tests that start the bot as a separate process are left out: the code they run
 * is not the mutated copy Stryker loads, so they cannot kill a mutant and would only cost time.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: [
      ...configDefaults.exclude,
      "tests/e2e/process.test.ts",
      "tests/e2e/two-processes.test.ts",
      "tests/e2e/two-processes-digest.test.ts",
      "tests/e2e/campaign-processes.test.ts",
      "tests/e2e/sandbox-process.test.ts",
      "tests/e2e/sandbox-browser.test.ts",
      "tests/e2e/startup-faults.test.ts",
    ],
    // Without the build of dist/: only the tests left out above run it.
    globalSetup: ["tests/helpers/global-setup.ts"],
    // After Stryker's own setup file: hands code run outside a test to that file's tests.
    setupFiles: [...(base.test?.setupFiles ?? []), "tests/helpers/stryker-coverage.ts"],
    reporters: ["dot"],
  },
});
