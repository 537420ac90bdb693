import { randomUUID } from "node:crypto";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { encodeClocks } from "../db/clock-codec.ts";
import type { ComplaintColumns, ThreadOpening } from "../db/open-thread.ts";
import type { PriorityDecision, RoutingDecision } from "../domain/complaint.ts";
import type { KindDecision } from "../domain/post-kinds.ts";
import { startClocks } from "../domain/sla-clock.ts";
import { type ComplaintInput, conversationKeyOf } from "./complaint-input.ts";
import { THREAD_TIMERS } from "./fire-thread-timers.ts";
import { firstPostTarget, keepKindClocks } from "./kind-profiles.ts";
import { OUTBOX_KINDS } from "./outbox-kinds.ts";
import { whoseHomesShow } from "./refresh-homes.ts";
import { threadTimerPlan } from "./thread-transition.ts";
import { windowsFor } from "./workspace-lookups.ts";

/** What intake decided about a post before filing it. */
export interface PostDecisions {
  route: RoutingDecision;
  kind: KindDecision;
  rank: PriorityDecision;
}

/**
 * Everything a post writes if it opens its conversation's thread (open-thread.ts): the rows,
 * the card, the SLA clocks and their timers, and the two questions asked back. Its ids are
 * chosen here, so the thread names its opening complaint and its timers their subject as
 * they are inserted.
 */
export function threadOpening(
  policy: WorkspaceConfig,
  input: ComplaintInput,
  { route, kind, rank }: PostDecisions,
  actor: string,
  now: Date,
): ThreadOpening {
  const complaintId = randomUUID();
  const clocks = keepKindClocks(
    policy,
    kind.kind,
    startClocks(now, windowsFor(policy, rank.priority)),
  );
  const thread = { department: route.department, kind: kind.kind, state: "open" };
  const card = firstPostTarget(policy, thread);
  return {
    threadId: randomUUID(),
    complaintId,
    now,
    thread: {
      conversationKey: conversationKeyOf(input),
      department: route.department,
      priority: rank.priority,
      routingRule: route.rule,
      routingReason: route.reason,
      routingModelVersion: route.modelVersion ?? null,
      priorityReasons: rank.reasons,
      kind: kind.kind,
      kindReason: kind.reason,
      clocks: encodeClocks(clocks),
    },
    complaint: complaintColumns(input),
    event: { actor, details: openedDetails(complaintId, { route, kind, rank }) },
    // Roll-up kinds post nothing now; every other kind gets its card or note.
    card: card && { kind: OUTBOX_KINDS.postCard, channel: card.channel },
    timers: { subjectType: THREAD_TIMERS, plan: threadTimerPlan(policy, thread, clocks) },
    linking: policy.campaigns
      ? { endedBefore: new Date(now.getTime() - policy.campaigns.linkTailMs) }
      : null,
    homes: whoseHomesShow(policy, { departments: [route.department], users: [] }),
  };
}

/** The thread.opened event's details: why the thread went where it did, with what clocks. */
function openedDetails(complaintId: string, { route, kind, rank }: PostDecisions) {
  return {
    complaintId,
    department: route.department,
    rule: route.rule,
    routingReason: route.reason,
    ...(route.modelVersion === undefined ? {} : { modelVersion: route.modelVersion }),
    priority: rank.priority,
    priorityReasons: rank.reasons,
    kind: kind.kind,
    kindReason: kind.reason,
  };
}

/** The complaint's columns from the intake API's fields. */
export function complaintColumns(input: ComplaintInput): ComplaintColumns {
  return {
    source: input.source,
    externalId: input.externalId,
    conversationId: input.conversationId ?? null,
    text: input.text,
    url: input.url ?? null,
    authorHandle: input.author?.handle ?? null,
    authorName: input.author?.name ?? null,
    authorFollowers: input.author?.followers ?? null,
    authorVerified: input.author?.verified ?? null,
    metrics: input.metrics ?? null,
    language: input.language ?? null,
    postedAt: input.postedAt ? new Date(input.postedAt) : null,
  };
}
