import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { ComplaintFacts } from "../domain/complaint.ts";
import { classifyPost, type KindDecision } from "../domain/post-kinds.ts";
import type { ServiceContext } from "./context.ts";
import { learnedFallback } from "./learned-models.ts";

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
  if (byRules.rule !== null) return byRules;
  const fallback = await learnedFallback(ctx, config, "kinds");
  return fallback ? classifyPost(facts, config.kinds, fallback) : byRules;
}
