import { decodeClocks } from "../db/clock-codec.ts";
import type { Priority } from "../domain/complaint.ts";
import type { NudgePayload } from "../services/fire-thread-timers.ts";
import { kindOf } from "../services/kind-profiles.ts";
import { departmentOf, timezoneOf } from "../services/workspace-lookups.ts";
import { type DeliveryDeps, requirePosted, requireThreadView } from "./delivery-support.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";
import { postOnce } from "./post-once.ts";
import { PermanentDeliveryError } from "./slack-errors.ts";
import { buildNudge } from "./views/nudge-message.ts";

const CLOSED = new Set(["resolved", "dismissed"]);

/**
 * A warning, breach notice or escalation, rendered now so its "in 6 min" is true when it
 * lands. Nothing is sent when the thread was closed, or the clock stopped or restarted,
 * since it was queued: a resolved thread is never nudged.
 */
export function nudge(deps: DeliveryDeps): DeliveryHandler {
  return async (item) => {
    const p = item.payload as NudgePayload;
    const view = await requireThreadView(deps, p.threadId);
    const { thread, first } = view;
    const clock = decodeClocks(thread.clocks).find((c) => c.kind === p.clockKind);
    const stale =
      !clock || clock.stoppedAt !== null || clock.startedAt.toISOString() !== p.clockStartedAt;
    if (CLOSED.has(thread.state) || stale) return undefined;
    const now = deps.clock.now();
    const message = buildNudge({
      threadId: thread.id,
      step: p.step,
      clockKind: clock.kind,
      dueAt: new Date(p.dueAt),
      now,
      timezone: timezoneOf(deps.config, thread.department),
      department: { name: departmentOf(deps.config, thread.department)?.name ?? thread.department },
      priority: thread.priority as Priority,
      kind: kindOf(thread.kind),
      excerpt: first.text,
      owner: thread.owner ?? undefined,
      mention: p.mention,
      cardLink: await cardLink(deps, thread),
    });
    const channel = await nudgeChannel(deps, p, thread);
    const base = { channel, ...message, unfurl_links: false };
    const inThread = p.via === "thread" || p.via === "broadcast";
    await postOnce(
      deps.client,
      item,
      inThread
        ? {
            ...base,
            thread_ts: requirePosted(thread).slackTs,
            reply_broadcast: p.via === "broadcast",
          }
        : base,
    );
    return undefined;
  };
}

async function nudgeChannel(
  deps: DeliveryDeps,
  p: NudgePayload,
  thread: { slackChannel: string | null; slackTs: string | null },
): Promise<string> {
  if (p.via === "thread" || p.via === "broadcast") return requirePosted(thread).slackChannel;
  if (p.via === "channel" && p.channel) return p.channel;
  if (p.via === "dm" && p.user) {
    const im = await deps.client.conversations.open({ users: p.user });
    if (!im.channel?.id) throw new PermanentDeliveryError(`could not open a DM with ${p.user}`);
    return im.channel.id;
  }
  throw new PermanentDeliveryError(`nudge with nowhere to go (${p.via})`);
}

async function cardLink(
  deps: DeliveryDeps,
  thread: { slackChannel: string | null; slackTs: string | null },
) {
  if (!thread.slackChannel || !thread.slackTs) return undefined;
  const res = await deps.client.chat.getPermalink({
    channel: thread.slackChannel,
    message_ts: thread.slackTs,
  });
  return res.permalink;
}
