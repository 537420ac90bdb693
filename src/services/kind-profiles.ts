import type { WorkspaceConfig } from "../config/workspace-types.ts";
import {
  DEFAULT_KIND_PROFILES,
  isPostKind,
  type KindProfile,
  keepProfileClocks,
  POST_KINDS,
  type PostKind,
} from "../domain/post-kinds.ts";
import type { SlaClock } from "../domain/sla-clock.ts";

/** A stored kind as a PostKind; anything unknown (a newer release's kind) counts as a complaint. */
export function kindOf(value: string): PostKind {
  return isPostKind(value) ? value : "complaint";
}

/** The profile of a thread's kind: its clocks and where it is shown. */
export function profileOf(config: WorkspaceConfig, kind: string): KindProfile {
  return config.kindProfiles[kindOf(kind)] ?? DEFAULT_KIND_PROFILES.complaint;
}

/** A thread's clocks with those its kind does not run left out (a praise thread has none). */
export function keepKindClocks(
  config: WorkspaceConfig,
  kind: string,
  clocks: readonly SlaClock[],
): SlaClock[] {
  return keepProfileClocks(clocks, profileOf(config, kind));
}

/** What a thread's Slack message is: its card on the desk, or a note (e.g. in #kudos). */
export type Surface = "card" | "note";

/**
 * Where a thread's message goes when it is first posted, and as what: a card in the
 * department's channel for kinds on the desk, a note in the kind's own channel (e.g. #kudos)
 * otherwise; null for roll-up kinds, which are listed once a day instead.
 */
export function firstPostTarget(
  config: WorkspaceConfig,
  thread: { kind: string; department: string },
): { channel: string | null; surface: Surface } | null {
  const delivery = profileOf(config, thread.kind).delivery;
  if (delivery.to === "rollup") return null;
  if (delivery.to === "channel") return { channel: delivery.channel, surface: "note" };
  const department = config.departments.find((d) => d.key === thread.department);
  return { channel: department?.channel ?? null, surface: "card" };
}

/** Kinds whose posts are not cards on a department's desk (a note in #kudos, a roll-up). */
export function offDeskKinds(config: WorkspaceConfig): PostKind[] {
  return POST_KINDS.filter((kind) => profileOf(config, kind).delivery.to !== "card");
}

/** One daily roll-up: a channel, when (local time), and the kinds it lists. */
export interface RollupGroup {
  channel: string;
  at: string;
  timezone: string;
  kinds: PostKind[];
}

/** The roll-ups the workspace asks for: kinds sharing a channel and time share one message. */
export function rollupGroups(config: WorkspaceConfig): RollupGroup[] {
  const groups = new Map<string, RollupGroup>();
  for (const kind of POST_KINDS) {
    const delivery = config.kindProfiles[kind]?.delivery;
    if (delivery?.to !== "rollup") continue;
    const key = `${delivery.channel} ${delivery.at} ${delivery.timezone}`;
    const { channel, at, timezone } = delivery;
    const group = groups.get(key) ?? { channel, at, timezone, kinds: [] };
    group.kinds.push(kind);
    groups.set(key, group);
  }
  return [...groups.values()];
}
