import type { WebAPICallResult } from "@slack/web-api";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { Transaction } from "../db/client.ts";
import type { OutboxRow } from "../db/schema.ts";
import {
  channelProblem,
  deactivatedUserProblem,
  SETUP_PROBLEM_KINDS as K,
  missingScopeProblem,
} from "../services/setup-problem-subjects.ts";
import type { SetupProblems } from "./setup-problems.ts";
import { isUserDeactivated, slackErrorName } from "./slack-errors.ts";

const isUserId = (to: string) => /^[UW][A-Z0-9]{2,}$/.test(to);

/** What a delivery that failed for good says about the Slack setup, from Slack's error. */
export function problemOfFailure(config: WorkspaceConfig, item: OutboxRow, error: unknown) {
  const name = slackErrorName(error);
  const to = item.channel;
  if (name === "missing_scope") {
    const needed = (error as { data?: { needed?: unknown } }).data?.needed;
    return missingScopeProblem(typeof needed === "string" ? needed : "unknown", item.kind);
  }
  if (!to) return undefined;
  if (name === "not_in_channel") return channelProblem(config, K.notInChannel, to);
  if (name === "is_archived") return channelProblem(config, K.channelArchived, to);
  // A DM queued under its reader (a digest): they are the one Slack says is deactivated.
  if (isUserDeactivated(error) && isUserId(to)) return deactivatedUserProblem(config, to);
  return undefined;
}

/**
 * The outbox worker's hook for a delivery that failed for good: the Slack setup problem
 * Slack's error names, recorded in the transaction that marks the delivery failed.
 */
export function recordFailureProblem(setup: SetupProblems, config: WorkspaceConfig) {
  return (tx: Transaction, item: OutboxRow, error: unknown): Promise<void> =>
    setup.record(tx, problemOfFailure(config, item, error));
}

/** Methods whose success shows the bot can post in their `channel`. */
const POSTS = new Set(["chat.postMessage", "chat.postEphemeral", "chat.update"]);

/**
 * Clears the Slack setup problems a call Slack accepted shows fixed: a post to a channel (no
 * longer archived, the bot in it), a DM opened (the account active), and any scope Slack
 * says the token now has (x-oauth-scopes). Writes only for a problem known open.
 */
export async function clearWhatWorked(
  setup: SetupProblems,
  method: string,
  options: Record<string, unknown> | undefined,
  result: WebAPICallResult,
): Promise<void> {
  const cleared: Array<[string, string]> = [];
  if (POSTS.has(method)) {
    // A channel the workspace file names as "#name" is answered with its id: both are cleared.
    for (const channel of new Set([options?.channel, (result as { channel?: unknown }).channel]))
      if (typeof channel === "string")
        cleared.push([K.channelArchived, channel], [K.notInChannel, channel]);
  }
  if (method === "conversations.open" && typeof options?.users === "string")
    for (const user of options.users.split(",")) cleared.push([K.userDeactivated, user]);
  const scopes = result.response_metadata?.scopes ?? [];
  for (const scope of setup.subjectsOf(K.missingScope))
    if (scopes.includes(scope)) cleared.push([K.missingScope, scope]);
  for (const [kind, subject] of cleared)
    if (setup.isOpen(kind, subject)) await setup.clearNow(kind, subject);
}
