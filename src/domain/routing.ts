import type { ComplaintFacts, RoutingDecision, RoutingPolicy } from "./complaint.ts";
import { explainMatch, matchConditions } from "./match-conditions.ts";

/** The reason recorded when no rule matched and the default department caught the complaint. */
export const DEFAULT_ROUTE_REASON = "no rule matched; default department";

/** Picks a department: the first rule whose conditions hold wins, else the policy's default. */
export function routeComplaint(facts: ComplaintFacts, policy: RoutingPolicy): RoutingDecision {
  for (const rule of policy.rules) {
    const { matched, because } = matchConditions(facts, rule.match);
    if (matched) {
      return {
        department: rule.department,
        rule: rule.name,
        reason: `rule "${rule.name}": ${explainMatch(because)}`,
      };
    }
  }
  return { department: policy.defaultDepartment, rule: null, reason: DEFAULT_ROUTE_REASON };
}
