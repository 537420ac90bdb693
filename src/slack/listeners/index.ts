import type { App } from "@slack/bolt";
import type { Logger } from "../../logger.ts";
import { registerCardButtons } from "./actions/card-buttons.ts";
import { registerSwitchboardCommand } from "./commands/switchboard-command.ts";

/** Registers every listener, grouped by Slack surface. */
export function registerListeners(app: App, logger: Logger): void {
  registerCardButtons(app, logger);
  registerSwitchboardCommand(app);
  app.error(async (error) => {
    logger.error("slack.listener_failed", { error });
  });
}
