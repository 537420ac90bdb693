import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { ThreadView } from "../db/thread-queries.ts";
import { kindOf, type Surface } from "../services/kind-profiles.ts";
import { departmentOf } from "../services/workspace-lookups.ts";
import type { SlackMessage } from "./views/complaint-card.ts";
import { buildComplaintCard, type ComplaintCardModel } from "./views/complaint-card.ts";
import { buildKindNote } from "./views/kind-note.ts";

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
