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

/**
 * The channel a thread's message goes to when first posted: the department's for kinds shown
 * as cards, the kind's own channel (e.g. #kudos) for notes, none for roll-up kinds (they are
 * listed once a day instead). Undefined means nothing is posted now.
 */
export function firstMessageChannel(
  config: WorkspaceConfig,
  thread: { kind: string; department: string },
): string | null | undefined {
  const delivery = profileOf(config, thread.kind).delivery;
  if (delivery.to === "channel") return delivery.channel;
  if (delivery.to === "rollup") return undefined;
  return config.departments.find((d) => d.key === thread.department)?.channel ?? null;
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
