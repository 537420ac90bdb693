import { BLOCK_LIMITS } from "../limits.ts";
import { checkBlocks } from "./block-checks.ts";
import { formatIssues, Issues } from "./issues.ts";
import { checkView } from "./view-checks.ts";

/**
 * What the double (and so, as far as its checks go, Slack) would refuse in a message's
 * blocks, in Slack's "[ERROR] … [json-pointer:…]" form; empty when it would accept them.
 * Lets view builders be tested against the same rules chat.postMessage enforces here.
 */
export function messageBlockProblems(blocks: unknown): string[] {
  const issues = new Issues();
  checkBlocks(blocks, "/blocks", issues, BLOCK_LIMITS.messageBlocks);
  return formatIssues(issues);
}

/** The same for a modal view, as views.open checks it. */
export function modalViewProblems(view: unknown): string[] {
  const issues = new Issues();
  checkView(view, "modal", issues);
  return formatIssues(issues);
}

/** The same for a Home view, as views.publish checks it. */
export function homeViewProblems(view: unknown): string[] {
  const issues = new Issues();
  checkView(view, "home", issues);
  return formatIssues(issues);
}
