import type { App } from "@slack/bolt";
import { buildHelpMessage } from "../../views/help-message.ts";

/** `/switchboard <subcommand>`; unknown subcommands get the help text. */
export function registerSwitchboardCommand(app: App): void {
  app.command("/switchboard", async ({ ack, command }) => {
    const sub = command.text.trim().split(/\s+/)[0]?.toLowerCase() ?? "";
    const unknown = sub !== "" && sub !== "help" ? sub : undefined;
    await ack({ response_type: "ephemeral", ...buildHelpMessage(unknown) });
  });
}
