import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { ComplaintFacts } from "../domain/complaint.ts";
import { classifyPost, type KindDecision, POST_KINDS } from "../domain/post-kinds.ts";
import type { ServiceContext } from "./context.ts";
import { currentRouterModels } from "./learned-models.ts";

/**
 * Decides a new post's kind: the workspace's `kinds` rules first; where none matched and
 * `kinds.learned` is on, the learned model's kind when it is sure enough (0.9 by default: a
 * complaint taken for praise would lose its clocks); else `kinds.default`. Like routing, a
 * model that cannot be used leaves the rules' answer and never fails intake.
 */
export async function classifyNewPost(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  facts: ComplaintFacts,
): Promise<KindDecision> {
  const byRules = classifyPost(facts, config.kinds);
  const settings = config.learning.kinds;
  if (byRules.rule !== null || !settings.enabled) return byRules;
  const stored = await currentRouterModels(ctx);
  const classifier = stored?.models.kinds;
  if (!stored || !classifier) return byRules;
  try {
    return classifyPost(facts, config.kinds, {
      model: { version: stored.version, classifier },
      minConfidence: settings.minConfidence,
      allowed: POST_KINDS,
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
