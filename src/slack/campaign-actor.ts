import type { AnnouncerFacts } from "../domain/campaign-permissions.ts";
import type { ListenerDeps } from "./listener-deps.ts";

/** Who a Slack user is for campaign permissions: admin, and which announcer groups they are in. */
export async function announcerFacts(deps: ListenerDeps, userId: string): Promise<AnnouncerFacts> {
  const groups = deps.config.campaigns?.announcers.usergroups ?? [];
  return {
    userId,
    isAdmin: deps.config.admins.includes(userId),
    groups: groups.length ? await deps.directory.groupsOf(userId, groups) : [],
  };
}
