import { silentLogger } from "../logger.ts";
import { returnToOwner as returnThreadToOwner } from "../services/return-to-owner.ts";
import type { OwnerReturnPayload } from "../services/thread-transition.ts";
import { ActorDirectory } from "./actor-directory.ts";
import type { DeliveryDeps } from "./delivery-support.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";

/**
 * Asks Slack whether a reopened thread's last owner is still a member of its department (its
 * channel, or its user group), then records the answer: theirs again, or left open. Slack
 * busy is retried like any delivery; the follow-up queued behind it waits for the answer.
 */
export function returnToOwner(deps: DeliveryDeps): DeliveryHandler {
  const directory = new ActorDirectory(deps.client, deps.config, deps.db, 60_000, () =>
    deps.clock.now().getTime(),
  );
  const ctx = {
    db: deps.db,
    clock: deps.clock,
    logger: deps.logger ?? silentLogger,
    actor: { type: "system" as const },
  };
  return async (item) => {
    const p = item.payload as OwnerReturnPayload;
    const facts = await directory.factsFor(p.user, [p.department]);
    const member = facts.memberOf.includes(p.department);
    return (tx) => returnThreadToOwner(ctx, deps.config, tx, { ...p, member });
  };
}
