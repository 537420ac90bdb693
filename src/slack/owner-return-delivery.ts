import { standingIn } from "../domain/permissions.ts";
import { silentLogger } from "../logger.ts";
import { returnToOwner as returnThreadToOwner } from "../services/return-to-owner.ts";
import type { OwnerReturnPayload } from "../services/thread-transition.ts";
import { ActorDirectory } from "./actor-directory.ts";
import type { DeliveryDeps } from "./delivery-support.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";

/**
 * Finds whether a reopened thread's last owner could still work it, then records the answer:
 * theirs again, or left open. A lead of its department or an admin could, as the workspace
 * file says, whether or not they sit in its channel; anyone else only as a member (its
 * channel, or its user group), which Slack is asked. Slack busy is retried like any delivery;
 * the follow-up queued behind it waits for the answer.
 */
export function returnToOwner(deps: DeliveryDeps): DeliveryHandler {
  const directory = new ActorDirectory(
    deps.client,
    deps.config,
    deps.db,
    60_000,
    () => deps.clock.now().getTime(),
    deps.logger,
    deps.setup,
  );
  const ctx = {
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger ?? silentLogger,
    actor: { type: "system" as const },
  };
  return async (item) => {
    const p = item.payload as OwnerReturnPayload;
    // No department named: the workspace file alone, without asking Slack.
    const configured = standingIn(await directory.factsFor(p.user, []), p.department);
    const standing =
      configured ?? standingIn(await directory.factsFor(p.user, [p.department]), p.department);
    return (tx) => returnThreadToOwner(ctx, deps.config, tx, { ...p, standing });
  };
}
