import type { App } from "@slack/bolt";
import type { ListenerDeps } from "../listener-deps.ts";
import { registerCampaignButtons } from "./actions/campaign-buttons.ts";
import { registerCardButtons } from "./actions/card-buttons.ts";
import { registerHomeButtons } from "./actions/home-buttons.ts";
import { registerSwitchboardCommand } from "./commands/switchboard-command.ts";
import { registerAppHomeOpened } from "./events/app-home-opened.ts";
import { registerCampaignModals } from "./views/campaign-modals.ts";
import { registerThreadModals } from "./views/thread-modals.ts";

/** Registers every listener, grouped by Slack surface. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCardButtons(app, deps);
  registerThreadModals(app, deps);
  registerSwitchboardCommand(app, deps);
  registerHomeButtons(app, deps);
  registerAppHomeOpened(app, deps);
  registerCampaignButtons(app, deps);
  registerCampaignModals(app, deps);
  app.error(async (error) => {
    deps.logger.error("slack.listener_failed", { error });
  });
}
