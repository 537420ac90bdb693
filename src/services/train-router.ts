import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import {
  insertRouterModels,
  latestRouterModelRow,
  type RouterModels,
} from "../db/routing-model-store.ts";
import { confirmedThreads } from "../db/training-history.ts";
import { isPostKind } from "../domain/post-kinds.ts";
import {
  type LabelledText,
  type TextClassifier,
  trainingSteps,
} from "../domain/text-classifier.ts";
import type { ServiceContext } from "./context.ts";
import { forgetRouterModels } from "./learned-models.ts";

/** What one training run did, for the CLI and the logs. */
export interface TrainingOutcome {
  /** "trained": a new version; "unchanged": the history gives the model already in use; "skipped": nothing stored. */
  status: "trained" | "unchanged" | "skipped";
  /** The version in use afterwards (absent when none exists). */
  version?: number | undefined;
  /** Confirmed threads learned from, by department. */
  departments: Record<string, number>;
  /** Confirmed threads learned from, by kind (none until two kinds have enough). */
  kinds: Record<string, number>;
  /** Why nothing was stored, in words. */
  reason?: string | undefined;
}

// One training at a time across replicas: a scheduled retrain fires on every bot at once.
const TRAINING_LOCK = sql`SELECT pg_try_advisory_xact_lock(hashtext('switchboard.train-router')) AS locked`;

/**
 * Trains the learned router on the workspace's own history (threads people handed to another
 * department, changed the kind of, answered or resolved) and stores it as a new version,
 * used from then on where no routing or kind rule matches. Deterministic: the same history gives the same model, and then no new
 * version. Refuses, storing nothing, while the history is smaller than
 * `routing.learned.minExamples` or names fewer than two departments.
 */
export async function trainRouter(
  ctx: ServiceContext,
  config: WorkspaceConfig,
): Promise<TrainingOutcome> {
  const startedAt = ctx.clock.now();
  const history = await confirmedThreads(ctx.db);
  const known = new Set(config.departments.map((d) => d.key));
  // A department removed from the config since cannot be routed to; leave its threads out.
  const routed = history
    .filter((t) => t.departmentConfirmed && known.has(t.department))
    .map((t): LabelledText => ({ text: t.text, label: t.department }));
  const kinded = history
    .filter((t) => t.kindConfirmed && isPostKind(t.kind))
    .map((t): LabelledText => ({ text: t.text, label: t.kind }));
  const departments = countLabels(routed);
  const kinds = countLabels(kinded);
  const min = config.learning.minExamples;
  // Each part is learned once people have confirmed enough of two labels; until then, rules only.
  const routingProblem = trainingProblem(routed, departments, min, "department");
  const kindProblem = trainingProblem(kinded, kinds, min, "kind");
  if (routingProblem && kindProblem) return skipped(ctx, departments, kinds, routingProblem);
  const models: RouterModels = {
    departments: routingProblem ? null : await trainWithPauses(routed),
    kinds: kindProblem ? null : await trainWithPauses(kinded),
  };
  const examples = Math.max(routed.length, kinded.length);
  return store(ctx, models, { examples, startedAt }, departments, kinds);
}

/**
 * Trains in steps, letting the event loop run between them: the bot retrains on a schedule,
 * and a history of thousands of threads would otherwise hold up Slack's acknowledgements.
 */
async function trainWithPauses(examples: readonly LabelledText[]): Promise<TextClassifier> {
  const steps = trainingSteps(examples);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

function trainingProblem(
  examples: readonly LabelledText[],
  labels: Record<string, number>,
  minExamples: number,
  what: "department" | "kind",
): string | undefined {
  if (examples.length < minExamples) {
    return `${examples.length} confirmed threads so far, and routing.learned.minExamples is ${minExamples}: hand over, answer or resolve more threads first`;
  }
  if (Object.keys(labels).length < 2) {
    return `every confirmed thread is of one ${what}, so there is nothing to tell apart yet`;
  }
  return undefined;
}

async function store(
  ctx: ServiceContext,
  models: RouterModels,
  run: { examples: number; startedAt: Date },
  departments: Record<string, number>,
  kinds: Record<string, number>,
): Promise<TrainingOutcome> {
  const fingerprint = fingerprintOf(models);
  const outcome = await ctx.db.db.transaction(async (tx): Promise<TrainingOutcome> => {
    const [lock] = await ctx.db.query<{ locked: boolean }>(TRAINING_LOCK, tx);
    if (!lock?.locked) {
      return {
        status: "skipped",
        departments,
        kinds,
        reason: "another process is training right now",
      };
    }
    const latest = await latestRouterModelRow(tx);
    if (latest?.fingerprint === fingerprint) {
      return { status: "unchanged", version: latest.id, departments, kinds };
    }
    // Every replica retrains at the same minute: one that read the history, then finished after
    // another stored a model from at least as much of it, would put an older model on top.
    if (
      latest &&
      latest.trainedAt.getTime() > run.startedAt.getTime() &&
      latest.examples >= run.examples
    ) {
      return {
        status: "skipped",
        version: latest.id,
        departments,
        kinds,
        reason: "another process stored a model from at least this history while this one trained",
      };
    }
    const version = await insertRouterModels(tx, {
      trainedAt: ctx.clock.now(),
      examples: run.examples,
      fingerprint,
      models,
    });
    return { status: "trained", version, departments, kinds };
  });
  forgetRouterModels(ctx.db);
  ctx.logger.info("router.trained", { ...outcome, examples: run.examples });
  return outcome;
}

function skipped(
  ctx: ServiceContext,
  departments: Record<string, number>,
  kinds: Record<string, number>,
  reason: string,
): TrainingOutcome {
  ctx.logger.info("router.training_skipped", { reason });
  return { status: "skipped", departments, kinds, reason };
}

/** A stable hash of the models: JSON of sorted keys, since the classifier sorts its own. */
function fingerprintOf(models: RouterModels): string {
  return createHash("sha256").update(JSON.stringify(models)).digest("hex");
}

function countLabels(examples: readonly LabelledText[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { label } of [...examples].sort((a, b) => a.label.localeCompare(b.label))) {
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
