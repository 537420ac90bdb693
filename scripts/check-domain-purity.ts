import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * src/domain holds pure rules: no database, Slack, HTTP, schedules, files or environment.
 * This lists every line that breaks that, so `npm run lint` (and a test) fail on it.
 */
const FORBIDDEN_IMPORTS = [
  /^node:/,
  /^(fs|path|http|https|net|os|child_process|crypto|dgram|dns|tls|worker_threads|cluster)(\/|$)/,
  /^@slack\//,
  /^drizzle-orm/,
  /^postgres$/,
  /^@electric-sql\//,
  /^node-cron$/,
  /^express$/,
  /^yaml$/,
  /\/(db|slack|http|jobs|config|services)\//,
];
const FORBIDDEN_GLOBALS = [
  /\bprocess\./,
  /\bfetch\(/,
  /\bDate\.now\(/,
  /\bnew Date\(\)/,
  /\bsetTimeout\(/,
  /\bsetInterval\(/,
];

export interface PurityViolation {
  file: string;
  line: number;
  text: string;
  reason: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const IMPORT =
  /(?:^|\s)(?:import|export)\s[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|^import\s+["']([^"']+)["']/;

/** Checks one file's text; exported for the test that proves the check can fail. */
export function checkSource(file: string, source: string): PurityViolation[] {
  const violations: PurityViolation[] = [];
  source.split("\n").forEach((text, index) => {
    const trimmed = text.trim();
    if (trimmed.startsWith("//") || trimmed.startsWith("*")) return;
    const match = IMPORT.exec(text);
    const target = match?.[1] ?? match?.[2] ?? match?.[3];
    if (target && FORBIDDEN_IMPORTS.some((re) => re.test(target))) {
      violations.push({
        file,
        line: index + 1,
        text: trimmed,
        reason: `imports "${target}", which does I/O`,
      });
    }
    const global = FORBIDDEN_GLOBALS.find((re) => re.test(text));
    if (global)
      violations.push({
        file,
        line: index + 1,
        text: trimmed,
        reason: `uses ${global.source.replace(/\\/g, "")}: pass it in instead`,
      });
  });
  return violations;
}

export function checkDomainPurity(root: string): PurityViolation[] {
  const domain = join(root, "src", "domain");
  return sourceFiles(domain).flatMap((file) =>
    checkSource(relative(root, file), readFileSync(file, "utf8")),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const violations = checkDomainPurity(process.cwd());
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.reason}\n    ${v.text}`);
  if (violations.length > 0) {
    console.error(
      `\nsrc/domain must stay free of I/O (${violations.length} problem(s)); see README "Architecture".`,
    );
    process.exit(1);
  }
  console.log("src/domain is pure: no I/O imports.");
}
