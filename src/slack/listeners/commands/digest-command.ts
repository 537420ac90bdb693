import { requestDigest } from "../../../services/request-digest.ts";
import { slackContext } from "../../listener-deps.ts";
import { slackMemberZone } from "../../member-check.ts";
import { buildNotice } from "../../views/private-notice.ts";
import type { Subcommand } from "./subcommand.ts";

/** `/switchboard digest`: a digest by DM now, for executives and admins (others are told who may). */
export const digestCommand: Subcommand = async ({ ack, client, command, deps }) => {
  const user = command.user_id;
  // An executive's zone is in the workspace file; an admin's is in their Slack profile.
  const listed = deps.config.executives.some((e) => e.user === user);
  const mayAsk = listed || deps.config.admins.includes(user);
  const timezone = mayAsk && !listed ? await slackMemberZone(client, deps.logger, user) : undefined;
  const outcome = await requestDigest(slackContext(deps, user), deps.config, user, timezone);
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
