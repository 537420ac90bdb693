import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { DatabaseHandle } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import type { Clock, ServiceContext } from "../services/context.ts";
import type { ActorDirectory } from "./actor-directory.ts";

/** What Slack listeners need; built once in the composition root. */
export interface ListenerDeps {
  db: DatabaseHandle;
  config: WorkspaceConfig;
  clock: Clock;
  logger: Logger;
  directory: ActorDirectory;
  /** Wakes the outbox worker after a change queued Slack messages. */
  onQueued(): void;
}

/** The service context for a Slack user's request (Bolt args -> ServiceContext). */
export function slackContext(deps: ListenerDeps, userId: string): ServiceContext {
  return { db: deps.db, clock: deps.clock, logger: deps.logger, actor: { type: "slack", userId } };
}
