import { describe, expect, it } from "vitest";
import { checkDomainPurity, checkSource } from "../../scripts/check-domain-purity.ts";

describe("src/domain purity", () => {
  it("has no I/O imports or ambient time/environment reads", () => {
    expect(checkDomainPurity(process.cwd())).toEqual([]);
  });

  it.each([
    ['import { readFileSync } from "node:fs";', "node:fs"],
    ['import postgres from "postgres";', "postgres"],
    ['import { eq } from "drizzle-orm";', "drizzle-orm"],
    ['import { App } from "@slack/bolt";', "@slack/bolt"],
    ['import cron from "node-cron";', "node-cron"],
    ['import { threads } from "../db/schema.ts";', "../db/schema.ts"],
    ["const url = process.env.DATABASE_URL;", "process."],
    ["const now = Date.now();", "Date.now("],
  ])("flags %s", (line, culprit) => {
    const [violation] = checkSource("src/domain/x.ts", `export const a = 1;\n${line}\n`);
    expect(violation).toMatchObject({ file: "src/domain/x.ts", line: 2 });
    expect(violation?.reason).toContain(culprit.replace(/\(/, ""));
  });

  it("allows imports of other domain files", () => {
    expect(checkSource("src/domain/x.ts", 'import { PRIORITIES } from "./complaint.ts";')).toEqual(
      [],
    );
  });
});
