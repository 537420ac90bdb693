import type { WebClient } from "@slack/web-api";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { ThreadView } from "../db/thread-queries.ts";
import type { Clock } from "../services/context.ts";
import { type CardLink, cardPermalink } from "./card-permalink.ts";
import { cardModel } from "./deliveries.ts";
import { cardRefused } from "./delivery-support.ts";
import type { SlackMessage } from "./views/complaint-card.ts";
import { buildHandOverOutcome } from "./views/handover-notice.ts";

/** True once a hand-over DM's buttons no longer fit its reader: closed, or someone else's. */
export function isHandOverStale(thread: ThreadView["thread"], reader: string): boolean {
  return thread.state === "resolved" || thread.state === "dismissed" || thread.owner !== reader;
}

/**
 * The hand-over DM as the thread stands now, without buttons. The card's link is asked of
 * Slack again: a card moved to another desk has a new one.
 */
export async function renderHandOverOutcome(
  deps: { client: WebClient; config: WorkspaceConfig; clock: Clock },
  view: ThreadView,
): Promise<SlackMessage> {
  const { thread } = view;
  const link = await linkOf(deps.client, thread);
  return buildHandOverOutcome({
    card: cardModel(view, deps.config, deps.clock.now()),
    closedAt: thread.closedAt ?? undefined,
    cardLink: link.permalink,
    missingCard: link.missing,
  });
}

async function linkOf(client: WebClient, thread: ThreadView["thread"]): Promise<CardLink> {
  if (cardRefused(thread)) return { missing: "channel_unavailable" };
  if (!thread.slackChannel || !thread.slackTs) return {};
  return cardPermalink(client, { channel: thread.slackChannel, ts: thread.slackTs });
}
