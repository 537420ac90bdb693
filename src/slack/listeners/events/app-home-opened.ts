import type { App } from "@slack/bolt";
import { openHome } from "../../../services/open-home.ts";
import { type ListenerDeps, slackContext } from "../../listener-deps.ts";

/**
 * `app_home_opened` (Home tab): remember which departments the user belongs to or leads and
 * queue a publish of their Home through the outbox. Bolt acks events itself; Slack sends this
 * event on every open, and a publish already waiting absorbs the repeats.
 */
export function registerAppHomeOpened(app: App, deps: ListenerDeps): void {
  app.event("app_home_opened", async ({ event }) => {
    if (event.tab !== "home") return;
    const facts = await deps.directory.factsFor(event.user);
    await openHome(slackContext(deps, event.user), {
      user: event.user,
      departments: [...facts.memberOf, ...facts.leads],
    });
    deps.onQueued();
  });
}
