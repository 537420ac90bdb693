import {
  type ComplaintFacts,
  PRIORITIES,
  type Priority,
  type PriorityDecision,
  type PriorityPolicy,
  type PriorityRule,
} from "./complaint.ts";
import { explainMatch, matchConditions } from "./match-conditions.ts";

/**
 * Decides how urgent a complaint is. Starts at the policy default; every matching rule applies
 * in order. `set` only ever makes it more urgent; `raise: n` makes it n levels more urgent,
 * stopping at P1. Each rule that changed or confirmed the level leaves one reason.
 */
export function prioritizeComplaint(
  facts: ComplaintFacts,
  policy: PriorityPolicy,
): PriorityDecision {
  let level = levelOf(policy.default);
  const reasons: string[] = [];
  for (const rule of policy.rules) {
    const { matched, because } = matchConditions(facts, rule.match);
    if (!matched) continue;
    const applied = applyRule(rule, level);
    level = applied.level;
    if (applied.actions.length > 0) {
      reasons.push(
        `rule "${rule.name}" ${applied.actions.join(" and ")}: ${explainMatch(because)}`,
      );
    }
  }
  return { priority: priorityAt(level), reasons };
}

/** Applies one matching rule to a level (index into PRIORITIES; lower is more urgent). */
function applyRule(rule: PriorityRule, start: number): { level: number; actions: string[] } {
  let level = start;
  const actions: string[] = [];
  if (rule.set !== undefined) {
    const target = levelOf(rule.set);
    if (target < level) actions.push(`set ${rule.set}`);
    else if (target === level) actions.push(`confirmed ${rule.set}`);
    level = Math.min(level, target);
  }
  const steps = wholeSteps(rule.raise);
  const raised = Math.max(0, level - steps);
  if (raised < level) actions.push(`raised ${level - raised}`);
  return { level: raised, actions };
}

/** Raises must be positive whole numbers; anything else is ignored so a rule can never lower. */
function wholeSteps(raise: number | undefined): number {
  if (raise === undefined || !Number.isFinite(raise)) return 0;
  return Math.max(0, Math.floor(raise));
}

const LEAST_URGENT = PRIORITIES.length - 1;

/** Index into PRIORITIES; an unknown level (bad data past the type checker) counts as least urgent. */
function levelOf(priority: Priority): number {
  const level = PRIORITIES.indexOf(priority);
  return level === -1 ? LEAST_URGENT : level;
}

function priorityAt(level: number): Priority {
  return PRIORITIES[level] ?? "P4";
}
