import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { ComplaintFacts, RoutingDecision } from "../domain/complaint.ts";
import { routeWithLearnedFallback } from "../domain/learned-routing.ts";
import { routeComplaint } from "../domain/routing.ts";
import type { ServiceContext } from "./context.ts";
import { currentRouterModels } from "./learned-models.ts";

/**
 * Picks a new post's department: the workspace's rules first, always; where none matched and
 * `routing.learned` is on, the learned model's department when it is sure enough; else the
 * default department. The model is only read when no rule matched, and a model that cannot
 * be read or used leaves the rules' answer (with a warning in the log), never a failed intake.
 */
export async function routePost(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  facts: ComplaintFacts,
): Promise<RoutingDecision> {
  const byRules = routeComplaint(facts, config.routing);
  const settings = config.learning.routing;
  if (byRules.rule !== null || !settings.enabled) return byRules;
  const stored = await currentRouterModels(ctx);
  const classifier = stored?.models.departments;
  if (!stored || !classifier) return byRules;
  try {
    return routeWithLearnedFallback(facts, config.routing, {
      model: { version: stored.version, classifier },
      minConfidence: settings.minConfidence,
      allowed: config.departments.map((d) => d.key),
    });
  } catch (error) {
    ctx.logger.warn("router.model_failed", {
      version: stored.version,
      error,
      fallback: "rules only",
    });
    return byRules;
  }
}
