import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { acquireDataDirLock } from "../../src/db/data-dir-lock.ts";
import { freePort } from "../helpers/bot-process.ts";
import { type CliResult, runCli } from "../helpers/cli-process.ts";

/**
 * `npm run report`, `routing:train` and `db:migrate` as a person runs them, with a database
 * that is not there: each refuses with one message naming the setting and the fix (exit 2),
 * and creates nothing.
 */

const dir = mkdtempSync(join(tmpdir(), "switchboard-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REPORT = "src/report-cli.ts";
const TRAIN = "src/train-router-cli.ts";
const MIGRATE = "src/db/migrate-cli.ts";
const PERIOD = ["--from", "2026-12-01", "--to", "2026-12-01"];
const CONFIG = { SWITCHBOARD_CONFIG: resolve("switchboard.example.yaml") };

/** stderr as lines, without empty ones. */
function lines(result: CliResult): string[] {
  return result.stderr.split("\n").filter((l) => l.trim() !== "");
}

describe("an empty DATA_DIR", () => {
  it.each([
    ["report", REPORT, PERIOD, "Cannot run the report"],
    ["routing:train", TRAIN, [], "Cannot train"],
  ])(
    "%s refuses, names DATA_DIR and the folder, and creates nothing",
    async (name, script, args, says) => {
      const dataDir = join(dir, `typo-${name.replace(":", "-")}`);
      const result = await runCli(script, args, { ...CONFIG, DATA_DIR: dataDir });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(says);
      expect(result.stderr).toContain(`DATA_DIR is ${dataDir}`);
      expect(result.stderr).toContain(`${dataDir}/pglite holds no embedded database`);
      expect(result.stderr).toContain("Start the bot once with this DATA_DIR");
      expect(result.stderr).not.toContain("sandbox");
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  /** A checkout where only the sandbox has run: ./data/sandbox holds a database, ./data none. */
  function sandboxOnlyCheckout(name: string): string {
    const cwd = join(dir, name);
    // What PGlite looks for to tell a database from an empty folder.
    mkdirSync(join(cwd, "data/sandbox/pglite"), { recursive: true });
    writeFileSync(join(cwd, "data/sandbox/pglite/PG_VERSION"), "17\n");
    return cwd;
  }

  // DATA_DIR=./data/sandbox alone would judge the sandbox's clocks by ./switchboard.yaml's windows.
  it("report points at --sandbox when DATA_DIR is unset and ./data/sandbox holds a database", async () => {
    const cwd = sandboxOnlyCheckout("checkout");
    const result = await runCli(REPORT, PERIOD, CONFIG, cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("DATA_DIR is unset, so the default ./data is used");
    expect(result.stderr).toContain(`${join(cwd, "data/pglite")} holds no embedded database`);
    expect(lines(result).at(-1)).toBe(
      "The sandbox keeps its database in ./data/sandbox: for the sandbox's figures, run npm run report -- --sandbox (with the same options).",
    );
    expect(existsSync(join(cwd, "data/pglite"))).toBe(false);
  });

  it("report without ./switchboard.yaml, where only the sandbox has run, points at --sandbox", async () => {
    const cwd = sandboxOnlyCheckout("checkout-no-config");
    const result = await runCli(REPORT, PERIOD, {}, cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("The workspace config file was not found at");
    expect(lines(result).at(-1)).toBe(
      "The sandbox keeps its database in ./data/sandbox: for the sandbox's figures, run npm run report -- --sandbox (with the same options).",
    );
  });

  it("routing:train says how to train on the sandbox's database, with the sandbox's rules", async () => {
    const cwd = sandboxOnlyCheckout("checkout-train");
    const result = await runCli(TRAIN, [], CONFIG, cwd);
    expect(result.code).toBe(2);
    expect(lines(result).at(-1)).toBe(
      "The sandbox keeps its database in ./data/sandbox: to train on that one, set DATA_DIR=./data/sandbox and SWITCHBOARD_CONFIG=switchboard.example.yaml (the sandbox's rules).",
    );
    expect(existsSync(join(cwd, "data/pglite"))).toBe(false);
  });
});

describe("an unreachable DATABASE_URL", () => {
  const password = "hunter2-not-shown";
  it.each([
    ["report", REPORT, PERIOD],
    ["routing:train", TRAIN, []],
    ["db:migrate", MIGRATE, []],
  ])(
    "%s refuses in one line naming DATABASE_URL and its host, never the password",
    async (_, script, args) => {
      const port = await freePort(); // nothing listens there
      const result = await runCli(script, args, {
        ...CONFIG,
        DATABASE_URL: `postgres://switchboard:${password}@127.0.0.1:${port}/switchboard`,
        DATA_DIR: join(dir, "unused"),
      });
      expect(result.code).toBe(2);
      expect(lines(result)).toHaveLength(1);
      expect(result.stderr).toContain(
        `Cannot reach PostgreSQL at 127.0.0.1:${port} (DATABASE_URL)`,
      );
      expect(result.stderr).toContain("ECONNREFUSED");
      expect(result.stderr).toContain("Start PostgreSQL there, or correct the host and port");
      expect(result.stderr + result.stdout).not.toContain(password);
      expect(existsSync(join(dir, "unused"))).toBe(false);
    },
  );

  it.each([
    ["report", REPORT, PERIOD, "mysql://switchboard:SECRET@db:3306/x", 'the scheme "mysql:"'],
    ["routing:train", TRAIN, [], "postgres://switchboard:SECRET@", "is not a valid URL"],
    // No "//": its host is not a scheme; it lacks one.
    ["db:migrate", MIGRATE, [], "localhost:5432", "does not start with postgres://"],
  ])(
    "%s refuses a DATABASE_URL that is not a Postgres URL, saying what to set",
    async (_, script, args, url, problem) => {
      const result = await runCli(script, args, {
        ...CONFIG,
        DATABASE_URL: url,
        DATA_DIR: join(dir, "unused"),
      });
      expect(result.code).toBe(2);
      expect(lines(result)).toHaveLength(1);
      expect(result.stderr).toContain(
        `DATABASE_URL ${problem.startsWith("the") ? "uses " : ""}${problem}`,
      );
      expect(result.stderr).toContain("Set it to a postgres:// or postgresql:// URL");
      expect(result.stderr + result.stdout).not.toContain("SECRET");
      expect(existsSync(join(dir, "unused"))).toBe(false);
    },
  );
});

describe("routing:train's and db:migrate's arguments", () => {
  it.each([
    ["routing:train", TRAIN],
    ["db:migrate", MIGRATE],
  ])(
    "%s refuses an unknown option with its usage, before touching any database",
    async (name, script) => {
      const dataDir = join(dir, `bogus-${name.replace(":", "-")}`);
      const result = await runCli(script, ["--bogus"], { ...CONFIG, DATA_DIR: dataDir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Unknown option '--bogus'");
      expect(result.stderr).toContain(`Usage: npm run ${name}`);
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  it("report names the option a misspelt one means, before touching any database", async () => {
    const dataDir = join(dir, "report-misspelt");
    const result = await runCli(REPORT, [...PERIOD, "--departmnet", "baggage"], {
      ...CONFIG,
      DATA_DIR: dataDir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--departmnet' (did you mean --department?)");
    expect(result.stderr).toContain("Usage: npm run report");
    expect(existsSync(dataDir)).toBe(false);
  });

  it("report, given the sandbox's layer as a whole workspace file, says to add --sandbox", async () => {
    const dataDir = join(dir, "report-layer");
    const result = await runCli(REPORT, PERIOD, {
      SWITCHBOARD_CONFIG: "sandbox/switchboard.yaml",
      DATA_DIR: dataDir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "sandbox/switchboard.yaml is the sandbox's layer, not a whole workspace file: for the sandbox's figures, run npm run report -- --sandbox (with the same options).",
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it("db:migrate prints its usage for --help and creates nothing", async () => {
    const dataDir = join(dir, "migrate-help");
    const result = await runCli(MIGRATE, ["--help"], { ...CONFIG, DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: npm run db:migrate");
    expect(existsSync(dataDir)).toBe(false);
  });

  it("prints its usage for --help and trains nothing", async () => {
    const dataDir = join(dir, "help");
    const result = await runCli(TRAIN, ["--help"], { ...CONFIG, DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: npm run routing:train");
    expect(result.stderr).toBe("");
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe("a data folder in use", () => {
  it("db:migrate refuses with exit 2 while another process holds the data folder", async () => {
    const dataDir = join(dir, "held");
    const release = acquireDataDirLock(dataDir); // this test's own (live) process holds it
    try {
      const result = await runCli(MIGRATE, [], { DATA_DIR: dataDir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `The embedded database in ${dataDir} is already in use by process ${process.pid}.`,
      );
      expect(result.stderr).toContain("Stop that process first");
    } finally {
      release();
    }
  });
});

describe("an unexpected error", () => {
  it("the report prints it as one line and exits 1, with no stack trace", async () => {
    const dataDir = join(dir, "broken");
    // Looks like a database (so it is not refused as missing) but PGlite cannot open it.
    mkdirSync(join(dataDir, "pglite"), { recursive: true });
    writeFileSync(join(dataDir, "pglite/PG_VERSION"), "17\n");
    const result = await runCli(REPORT, PERIOD, { ...CONFIG, DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(lines(result)).toEqual([expect.stringMatching(/^Report failed: \S/)]);
  });
});
