import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { ThreadView } from "../db/thread-queries.ts";
import { kindOf, profileOf } from "../services/kind-profiles.ts";
import { departmentOf } from "../services/workspace-lookups.ts";
import type { SlackMessage } from "./views/complaint-card.ts";
import { buildComplaintCard, type ComplaintCardModel } from "./views/complaint-card.ts";
import { buildKindNote } from "./views/kind-note.ts";

/** What a thread's Slack message is: its card on the desk, or a note (e.g. in #kudos). */
export type Surface = "card" | "note";

/**
 * Where a thread's message goes when it is first posted, and as what: a card in the
 * department's channel for kinds on the desk, a note in the kind's channel otherwise; null
 * for roll-up kinds, which are listed once a day instead.
 */
export function firstPostTarget(
  config: WorkspaceConfig,
  thread: { kind: string; department: string },
): { channel: string | undefined; surface: Surface } | null {
  const delivery = profileOf(config, thread.kind).delivery;
  if (delivery.to === "rollup") return null;
  if (delivery.to === "channel") return { channel: delivery.channel, surface: "note" };
  return { channel: departmentOf(config, thread.department)?.channel, surface: "card" };
}

/** The surface of a posted message; threads posted before kinds existed have cards. */
export function surfaceOf(thread: { slackSurface: string | null }): Surface {
  return thread.slackSurface === "note" ? "note" : "card";
}

/** The message as the thread is now, drawn as `surface`. */
export function renderThreadMessage(
  view: ThreadView,
  config: WorkspaceConfig,
  card: (view: ThreadView) => ComplaintCardModel,
  surface: Surface,
): SlackMessage {
  if (surface === "card") return buildComplaintCard(card(view));
  const { thread, first } = view;
  return buildKindNote({
    threadId: thread.id,
    source: first.source,
    text: first.text,
    url: first.url ?? undefined,
    author: first.authorHandle
      ? { handle: first.authorHandle, ...(first.authorName ? { name: first.authorName } : {}) }
      : undefined,
    postedAt: first.postedAt ?? undefined,
    department: { name: departmentOf(config, thread.department)?.name ?? thread.department },
    kind: { kind: kindOf(thread.kind), reason: thread.kindReason ?? undefined },
    followUps: view.followUps,
  });
}
