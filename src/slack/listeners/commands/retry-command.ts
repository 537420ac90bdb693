import { retryDeliveries } from "../../../services/retry-deliveries.ts";
import { slackContext } from "../../listener-deps.ts";
import { buildNotice } from "../../views/private-notice.ts";
import type { Subcommand } from "./subcommand.ts";

/** `/switchboard retry <outbox id|all-failed>`: failed deliveries back in the queue, for admins. */
export const retryCommand: Subcommand = async ({ ack, command, deps, args }) => {
  const user = command.user_id;
  // One target only: "12 13" would otherwise retry #12 and drop #13 without a word.
  const outcome = await retryDeliveries(slackContext(deps, user), deps.config, {
    user,
    target: args.length > 1 ? args.join(" ") : args[0],
  });
  if (outcome.ok) deps.onQueued();
  const text = !outcome.ok
    ? outcome.reason
    : outcome.retried === 0
      ? "No delivery has failed; there is nothing to retry."
      : `Queued ${outcome.retried} ${outcome.retried === 1 ? "delivery" : "deliveries"} again; \`/switchboard status\` shows how they fare.`;
  await ack({ response_type: "ephemeral", ...buildNotice(text) });
};
