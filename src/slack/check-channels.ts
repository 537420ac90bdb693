import type { WebClient } from "@slack/web-api";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { namedChannels } from "../services/workspace-lookups.ts";
import { listChannels } from "./channel-list.ts";

/** A channel the configuration names that the bot cannot post to, and what to do about it. */
export interface ChannelProblem {
  channel: string;
  /** Where the configuration names it ("department baggage", "campaigns.channel"). */
  for: string[];
  problem: string;
}

// A workspace of many channels (several replicas starting together) gets 429s from the Tier 2
// conversations.list: each page waits out Retry-After this many times before the check gives up.
const RATE_LIMITED_TRIES = 5;

/** Waits `ms` without keeping the process alive for it (the check runs in the background). */
const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * The configured channels Slack does not have (or the bot cannot see: a private channel it
 * was not invited to) or has archived. Run once the bot is connected: otherwise the first
 * card for such a department fails with channel_not_found, found only when someone wonders
 * where it went. Reads the channel list (conversations.list, a page per 999 channels).
 */
export async function findChannelProblems(
  client: WebClient,
  config: WorkspaceConfig,
  wait: (ms: number) => Promise<void> = sleep,
): Promise<ChannelProblem[]> {
  const channels = await listChannels(client, {
    withArchived: true,
    rateLimited: { wait, tries: RATE_LIMITED_TRIES },
  });
  const byRef = (ref: string) =>
    channels.find((c) => c.id === ref || c.name === ref.replace(/^#/, ""));
  const uses = new Map<string, string[]>();
  for (const { ref, what } of namedChannels(config))
    uses.set(ref, [...(uses.get(ref) ?? []), what]);
  const problems: ChannelProblem[] = [];
  for (const [ref, used] of uses) {
    const found = byRef(ref);
    if (!found) {
      problems.push({
        channel: ref,
        for: used,
        problem: `Slack has no channel ${ref} that the bot can see: create it and invite the bot (/invite @Switchboard; a private channel must invite it to be seen), or name another channel in the workspace file`,
      });
    } else if (found.archived) {
      problems.push({
        channel: ref,
        for: used,
        problem: `${ref} is archived, so nothing can be posted there: unarchive it, or name another channel in the workspace file`,
      });
    }
  }
  return problems;
}
