import { readStatusAs } from "../../../services/read-status.ts";
import { slackContext } from "../../listener-deps.ts";
import { buildNotice } from "../../views/private-notice.ts";
import { buildStatusMessage } from "../../views/status-message.ts";
import type { Subcommand } from "./subcommand.ts";

/** `/switchboard status`: delivery health, timers and the database, privately, for admins. */
export const statusCommand: Subcommand = async ({ ack, command, deps }) => {
  const result = await readStatusAs(
    slackContext(deps, command.user_id),
    deps.config,
    command.user_id,
  );
  const message = result.ok
    ? buildStatusMessage(result.status, deps.clock.now())
    : buildNotice(result.reason);
  await ack({ response_type: "ephemeral", ...message });
};
