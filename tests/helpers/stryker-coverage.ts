import { afterAll, beforeAll, beforeEach, inject } from "vitest";

/**
 * A setup file for `npm run test:mutation` only (vitest.mutation.config.ts), loaded after
 * Stryker's own. Stryker records which test ran each mutated line; code run outside a test
 * (a file's beforeAll starting the bot, its afterAll stopping it, the outbox worker between two
 * tests, module-level code at import) it calls "static" and either ignores it or runs every test
 * against it. Vitest loads a fresh copy of the modules for each test file, so that code can only
 * matter to the tests of the files that ran it: this file hands its coverage to those tests, and
 * switches each mutant on before the test file is imported, so a mutated module-level line is
 * really in effect when they run.
 *
 * Code run in hooks is always handed over. Code run at import is handed over only with
 * SB_MUTATION_IMPORT_COVERAGE=1 (set by scripts/mutation.ts for targets whose tests are quick):
 * otherwise it stays static, and with ignoreStatic Stryker counts it as ignored.
 */

type Hits = Record<string, number>;
interface StrykerNamespace {
  activeMutant?: string;
  currentTestId?: string;
  mutantCoverage?: { static: Hits; perTest: Record<string, Hits> };
}

declare module "vitest" {
  export interface ProvidedContext {
    globalNamespace: string;
    mode: "dry-run" | "mutant";
    activeMutant: string;
  }
}

const globals = globalThis as unknown as Record<string, StrykerNamespace | undefined>;
const namespace = inject("globalNamespace");
if (namespace && !globals[namespace]) globals[namespace] = {};
const ns = namespace ? globals[namespace] : undefined;

const staticHits = (): Hits => ({ ...ns?.mutantCoverage?.static });
const minus = (a: Hits, b: Hits): Hits =>
  Object.fromEntries(
    Object.entries(a)
      .map(([id, n]) => [id, n - (b[id] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );

if (ns && inject("mode") === "mutant") {
  ns.activeMutant = inject("activeMutant");
} else if (ns) {
  const handImports = process.env.SB_MUTATION_IMPORT_COVERAGE === "1";
  const beforeImport = staticHits();
  let afterImport: Hits = {};
  const tests = new Set<string>();
  beforeAll(() => {
    afterImport = staticHits();
  });
  beforeEach(() => {
    if (ns.currentTestId) tests.add(ns.currentTestId);
  });
  afterAll(() => {
    const coverage = ns.mutantCoverage;
    if (!coverage || tests.size === 0) return;
    const fromHooks = minus(staticHits(), afterImport);
    const fromImport = handImports ? minus(afterImport, beforeImport) : {};
    for (const moved of [fromHooks, fromImport]) {
      for (const [id, n] of Object.entries(moved)) {
        const left = (coverage.static[id] ?? 0) - n;
        if (left > 0) coverage.static[id] = left;
        else delete coverage.static[id];
        for (const test of tests) {
          const hits = coverage.perTest[test] ?? {};
          hits[id] = (hits[id] ?? 0) + n;
          coverage.perTest[test] = hits;
        }
      }
    }
  });
}
