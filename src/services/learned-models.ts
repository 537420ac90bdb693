import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { DatabaseHandle } from "../db/client.ts";
import {
  latestRouterModelRow,
  parseRouterModels,
  type StoredRouterModels,
} from "../db/routing-model-store.ts";
import type { LearnedFallback } from "../domain/learned-routing.ts";
import { POST_KINDS } from "../domain/post-kinds.ts";
import { CURRENT_FORMAT } from "../domain/text-classifier.ts";
import type { ServiceContext } from "./context.ts";

/**
 * How long a process keeps using the model it read before looking for a newer one. A model
 * trained by `npm run routing:train` (another process) is in use within this time; one
 * trained in this process (the schedule) at once.
 */
export const MODEL_REFRESH_MS = 30_000;

interface Cached {
  readAt: number;
  value: StoredRouterModels | null;
}

// Per database, so tests and benchmarks with several databases in one process stay apart.
const cache = new WeakMap<DatabaseHandle, Cached>();
const warnedMissing = new WeakSet<DatabaseHandle>();
/** The version each database was last warned about as older than this code's format. */
const warnedOutdated = new WeakMap<DatabaseHandle, number>();
/** How many times each database's models were forgotten: a read begun before then is stale. */
const forgotten = new WeakMap<DatabaseHandle, number>();

/**
 * The newest learned models, or null when there is none or it cannot be used. Never throws:
 * a missing, corrupt or unreadable model is logged as a warning and intake routes by its
 * rules alone, as it did before anything was learned.
 */
export async function currentRouterModels(ctx: ServiceContext): Promise<StoredRouterModels | null> {
  const now = ctx.clock.now().getTime();
  const hit = cache.get(ctx.db);
  if (hit && now - hit.readAt >= 0 && now - hit.readAt < MODEL_REFRESH_MS) return hit.value;
  const generation = forgotten.get(ctx.db) ?? 0;
  const value = await readModels(ctx);
  // A version stored while this read was under way: its answer may predate it, so the next
  // intake reads again rather than keep the old model for MODEL_REFRESH_MS.
  if ((forgotten.get(ctx.db) ?? 0) === generation) cache.set(ctx.db, { readAt: now, value });
  return value;
}

/**
 * The learned fallback for departments or kinds, as the workspace file sets it up: undefined
 * when it is turned off, or no usable model has that part yet.
 */
export async function learnedFallback(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  part: "departments" | "kinds",
): Promise<LearnedFallback | undefined> {
  const settings = part === "departments" ? config.learning.routing : config.learning.kinds;
  if (!settings.enabled) return undefined;
  const stored = await currentRouterModels(ctx);
  const classifier = stored?.models[part];
  if (!stored || !classifier) return undefined;
  return {
    model: { version: stored.version, classifier },
    minConfidence: settings.minConfidence,
    allowed: part === "departments" ? config.departments.map((d) => d.key) : POST_KINDS,
  };
}

/** Drops what this process remembers, so the next intake reads the newest model. */
export function forgetRouterModels(db: DatabaseHandle): void {
  cache.delete(db);
  forgotten.set(db, (forgotten.get(db) ?? 0) + 1);
}

async function readModels(ctx: ServiceContext): Promise<StoredRouterModels | null> {
  let row: Awaited<ReturnType<typeof latestRouterModelRow>>;
  try {
    row = await latestRouterModelRow(ctx.db.db);
  } catch (error) {
    ctx.logger.warn("router.model_unreadable", { error, fallback: "rules only" });
    return null;
  }
  if (!row) {
    if (!warnedMissing.has(ctx.db)) {
      warnedMissing.add(ctx.db);
      ctx.logger.warn("router.model_missing", {
        fallback: "rules only",
        fix: "npm run routing:train, once people have handed over or answered some threads",
      });
    }
    return null;
  }
  const parsed = parseRouterModels(row.model);
  if (!parsed.ok) {
    ctx.logger.warn("router.model_unusable", {
      version: row.id,
      problem: parsed.problem,
      fallback: "rules only",
      fix: "npm run routing:train writes a fresh version",
    });
    return null;
  }
  warnIfOutdated(ctx, row.id, parsed.models);
  return {
    version: row.id,
    trainedAt: row.trainedAt,
    examples: row.examples,
    fingerprint: row.fingerprint,
    models: parsed.models,
  };
}

/**
 * An older model still routes as it was trained to, but reads a Chinese, Japanese or Thai
 * sentence as one word: say once per version that training again would read them better.
 */
function warnIfOutdated(
  ctx: ServiceContext,
  version: number,
  models: StoredRouterModels["models"],
) {
  const formats = [models.departments?.format, models.kinds?.format].filter((f) => f !== undefined);
  if (formats.every((f) => f === CURRENT_FORMAT) || warnedOutdated.get(ctx.db) === version) return;
  warnedOutdated.set(ctx.db, version);
  ctx.logger.warn("router.model_outdated", {
    version,
    formats,
    current: CURRENT_FORMAT,
    effect: "still used as trained; reads a sentence in Chinese, Japanese or Thai as one word",
    fix: "npm run routing:train (or routing.learned.retrain) stores a version that reads their words",
  });
}
