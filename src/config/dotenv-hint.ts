import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ConfigIssue } from "./config-error.ts";

/**
 * A variable reported unset while a `.env` file sits in the working folder: many tools load
 * one by themselves, Switchboard does not (it reads its environment only), so say how to
 * load it rather than leave the person wondering why the file's values are "not set".
 */
export function unreadDotenvHint(
  issues: readonly ConfigIssue[],
  cwd = process.cwd(),
): string | undefined {
  const unset = issues.some((issue) => issue.message.startsWith(`${issue.path} is not set`));
  if (!unset || !existsSync(join(cwd, ".env"))) return undefined;
  return "There is a .env file here, but Switchboard reads its environment, not that file: run npm run build && node --env-file=.env dist/main.js, or export its variables first (set -a; . ./.env; set +a; npm start).";
}
