import { requestDigest } from "../../../services/request-digest.ts";
import { slackContext } from "../../listener-deps.ts";
import { buildNotice } from "../../views/private-notice.ts";
import type { Subcommand } from "./subcommand.ts";

/** `/switchboard digest`: a digest by DM now, for executives and admins (others are told who may). */
export const digestCommand: Subcommand = async ({ ack, command, deps }) => {
  const outcome = await requestDigest(
    slackContext(deps, command.user_id),
    deps.config,
    command.user_id,
  );
  if (!outcome.ok) {
    await ack({ response_type: "ephemeral", ...buildNotice(outcome.reason) });
    return;
  }
  deps.onQueued();
  await ack({
    response_type: "ephemeral",
    ...buildNotice("Your digest is on its way: look in your direct messages from Switchboard."),
  });
};
