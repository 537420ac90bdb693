import { formatDuration } from "../domain/duration.ts";
import {
  DEFAULT_NUDGE_POLICY,
  type NudgePolicy,
  nudgePolicyProblems,
  type WarningTarget,
} from "../domain/escalation-plan.ts";
import type { PathIssue } from "./key-path.ts";

// The `escalation` section of the workspace file, between its schema and the domain's
// NudgePolicy: targets are renamed here, omitted keys take DEFAULT_NUDGE_POLICY's values, and
// the domain's own policy checks are reported at the keys people wrote.

/** Who a warning notifies, as written in the file. */
export const WARNING_NOTIFY = ["thread", "owner"] as const;

/** The escalation section once its leaf values are valid: shares as fractions, delays in ms. */
export interface EscalationSection {
  executivesChannel?: string | undefined;
  warnings?: Array<{ at: number; notify: (typeof WARNING_NOTIFY)[number] }> | undefined;
  breach?: { notify: "leads" } | undefined;
  escalate?: Array<{ after: number; notify: "executives" }> | undefined;
}

const WARNING_TARGETS: Record<(typeof WARNING_NOTIFY)[number], WarningTarget> = {
  thread: "thread",
  owner: "owner_or_channel",
};

/** The domain policy for a section; with no section, or for keys left out, the default's. */
export function toNudgePolicy(section: EscalationSection | undefined): NudgePolicy {
  const warnings = section?.warnings?.map((warning) => ({
    atFraction: warning.at,
    target: WARNING_TARGETS[warning.notify],
  }));
  const escalate = section?.escalate?.map((step) => ({
    afterBreachMs: step.after,
    target: "executives_channel" as const,
  }));
  // Copies, so no caller can change the shared default through its config.
  return {
    warnings: warnings ?? DEFAULT_NUDGE_POLICY.warnings.map((warning) => ({ ...warning })),
    breach: { ...(section?.breach ?? DEFAULT_NUDGE_POLICY.breach) },
    escalate: escalate ?? DEFAULT_NUDGE_POLICY.escalate.map((step) => ({ ...step })),
  };
}

// nudgePolicyProblems reports "warnings[0].atFraction: …" for one entry, or "warnings: …"
// for the list as a whole (two entries sharing a value).
const DOMAIN_PROBLEM = /^(warnings|escalate)(?:\[(\d+)\]\.\w+)?: (.+)$/;
const WRITTEN_KEY = { warnings: "at", escalate: "after" } as const;

/**
 * The domain's checks of the resulting policy (duplicate shares, duplicate delays…), as
 * issues at key paths relative to `escalation`, so each one points at the line to fix.
 */
export function escalationPolicyIssues(section: EscalationSection): PathIssue[] {
  const policy = toNudgePolicy(section);
  return nudgePolicyProblems(policy).map((problem) => toPathIssue(problem, policy));
}

function toPathIssue(problem: string, policy: NudgePolicy): PathIssue {
  const match = DOMAIN_PROBLEM.exec(problem);
  const list = match?.[1] as keyof typeof WRITTEN_KEY | undefined;
  if (match === null || list === undefined) return { path: [], message: problem };
  const [, , index, reason = problem] = match;
  if (index !== undefined) {
    return { path: [list, Number(index), WRITTEN_KEY[list]], message: reason };
  }
  const values =
    list === "warnings"
      ? policy.warnings.map((warning) => warning.atFraction)
      : policy.escalate.map((step) => step.afterBreachMs);
  const repeat = values.findIndex((value, i) => values.indexOf(value) !== i);
  const value = values[repeat];
  if (value === undefined) return { path: [list], message: reason };
  const first = `escalation.${list}[${values.indexOf(value)}]`;
  return {
    path: [list, repeat, WRITTEN_KEY[list]],
    message:
      list === "warnings"
        ? `Another warning is already at ${formatShare(value)} (${first}); each warning needs its own share`
        : `Another escalation is already ${formatDuration(value, 4)} after the breach (${first}); each needs its own delay`,
  };
}

/** 0.5 as "50%", 0.333 as "33.3%". */
export function formatShare(fraction: number): string {
  return `${Number((fraction * 100).toFixed(6))}%`;
}
