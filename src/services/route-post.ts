import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { ComplaintFacts, RoutingDecision } from "../domain/complaint.ts";
import { routeWithLearnedFallback } from "../domain/learned-routing.ts";
import { routeComplaint } from "../domain/routing.ts";
import type { ServiceContext } from "./context.ts";
import { learnedFallback } from "./learned-models.ts";

/**
 * Picks a new post's department: the workspace's rules first, always; where none matched and
 * `routing.learned` is on, the learned model's department when it is sure enough; else the
 * default department. The model is only read when no rule matched; a model that cannot be
 * read or used leaves the rules' answer (with a warning in the log), never a failed intake.
 */
export async function routePost(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  facts: ComplaintFacts,
): Promise<RoutingDecision> {
  const byRules = routeComplaint(facts, config.routing);
  if (byRules.rule !== null) return byRules;
  const fallback = await learnedFallback(ctx, config, "departments");
  return fallback ? routeWithLearnedFallback(facts, config.routing, fallback) : byRules;
}
