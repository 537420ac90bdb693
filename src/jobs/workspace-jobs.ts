import type { ScheduledTask } from "node-cron";
import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { DatabaseHandle } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { Clock, ServiceContext } from "../services/context.ts";
import { rollupGroups } from "../services/kind-profiles.ts";
import { sendKindRollup } from "../services/send-kind-rollup.ts";
import { trainRouter } from "../services/train-router.ts";
import { kindRollupJob } from "./kind-rollup-job.ts";
import { startJob } from "./sweep-timers-job.ts";
import { trainRouterJob } from "./train-router-job.ts";

/**
 * Starts the jobs the workspace file asks for: retraining the learned router
 * (`routing.learned.retrain`) and one daily roll-up per roll-up channel (`kinds.profiles`).
 * Returns a handle that stops them all.
 */
export function startWorkspaceJobs(deps: {
  db: DatabaseHandle;
  clock: Clock;
  logger: Logger;
  workspace: WorkspaceConfig;
  /** Wakes the outbox worker after a job queued Slack messages. */
  onQueued(): void;
}): { stop(): Promise<void> } {
  const { workspace, logger } = deps;
  const ctx: ServiceContext = { db: deps.db, clock: deps.clock, logger, actor: { type: "system" } };
  const tasks: ScheduledTask[] = [];
  const retrain = workspace.learning.retrain;
  // Trains even while routing ignores the model (routing.learned.enabled: false): the kinds
  // may use it, and the docs promise a model ready for when routing is switched back on.
  if (retrain) {
    tasks.push(
      startJob(
        trainRouterJob(retrain, () => trainRouter(ctx, workspace)),
        logger,
      ),
    );
  }
  for (const group of rollupGroups(workspace)) {
    const send = async () => {
      if ((await sendKindRollup(ctx, group)).sent) deps.onQueued();
    };
    tasks.push(startJob(kindRollupJob(group, send), logger));
  }
  return {
    async stop() {
      for (const task of tasks) await task.stop();
    },
  };
}
