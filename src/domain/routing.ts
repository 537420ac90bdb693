import type { ComplaintFacts, RoutingDecision, RoutingPolicy, RoutingRule } from "./complaint.ts";
import { explainMatch, matchConditions } from "./match-conditions.ts";
import { firstMatchIndex } from "./match-position.ts";

/** The reason recorded when no rule matched and the default department caught the complaint. */
export const DEFAULT_ROUTE_REASON = "no rule matched; default department";

interface Match {
  rule: RoutingRule;
  because: string[];
  /** How many other matching rules it won over (earliest-match only). */
  outranked: number;
}

/**
 * Picks a department: by default the first rule whose conditions hold wins; with
 * `pick: earliest-match`, the matching rule named earliest in the text. Else the default.
 */
export function routeComplaint(facts: ComplaintFacts, policy: RoutingPolicy): RoutingDecision {
  const winner =
    policy.pick === "earliest-match"
      ? earliestMatch(facts, policy.rules)
      : firstMatch(facts, policy.rules);
  if (!winner) {
    return { department: policy.defaultDepartment, rule: null, reason: DEFAULT_ROUTE_REASON };
  }
  const { rule, because, outranked } = winner;
  const how = outranked > 0 ? `; named first of ${outranked + 1} matching rules` : "";
  return {
    department: rule.department,
    rule: rule.name,
    reason: `rule "${rule.name}": ${explainMatch(because)}${how}`,
  };
}

function firstMatch(facts: ComplaintFacts, rules: readonly RoutingRule[]): Match | undefined {
  for (const rule of rules) {
    const { matched, because } = matchConditions(facts, rule.match);
    if (matched) return { rule, because, outranked: 0 };
  }
  return undefined;
}

/**
 * Among the matching rules, the one whose phrase or pattern occurs earliest in the text (ties:
 * file order). A matching rule without phrases or patterns (a source or author rule) keeps its
 * place in the file: it wins when no text rule before it matched, and the rules after it are
 * not considered, so a "known journalists" rule at the top still wins as it did.
 */
function earliestMatch(facts: ComplaintFacts, rules: readonly RoutingRule[]): Match | undefined {
  let best: { rule: RoutingRule; because: string[]; index: number } | undefined;
  let matches = 0;
  for (const rule of rules) {
    const { matched, because } = matchConditions(facts, rule.match);
    if (!matched) continue;
    const index = firstMatchIndex(facts.text, rule.match);
    if (index === undefined) {
      return best ? { ...best, outranked: matches } : { rule, because, outranked: 0 };
    }
    matches += 1;
    if (!best || index < best.index) best = { rule, because, index };
  }
  return best ? { ...best, outranked: matches - 1 } : undefined;
}
