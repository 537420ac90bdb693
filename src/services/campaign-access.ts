import type { CampaignSettings, WorkspaceConfig } from "../config/workspace-types.ts";
import {
  type AnnouncerFacts,
  mayAnnounce,
  mayManageCampaign,
} from "../domain/campaign-permissions.ts";
import { ForbiddenError } from "../domain/errors.ts";
import type { ServiceContext } from "./context.ts";

/**
 * Who may announce, in words, for someone who may not: "<@U1>, members of <!subteam^S1> or
 * an admin (<@U9>)"; a campaign's owner first when given. Switchboard's own mrkdwn: mentions
 * render as names.
 */
export function describeAnnouncers(
  config: WorkspaceConfig,
  settings: CampaignSettings,
  owner?: string,
): string {
  const people = settings.announcers.users.filter((u) => u !== owner).map((u) => `<@${u}>`);
  const groups = settings.announcers.usergroups.map((g) => `members of <!subteam^${g}>`);
  const admins = config.admins.length
    ? `an admin (${config.admins.map((a) => `<@${a}>`).join(", ")})`
    : "an admin";
  // Joined by hand: the admins' own list has commas, so "the last comma" would be inside it.
  const others = [...(owner ? [`<@${owner}>`] : []), ...people, ...groups];
  return others.length > 0 ? `${others.join(", ")} or ${admins}` : admins;
}

/**
 * The refusal for someone who may not announce or, given the campaign's owner, may not change
 * that campaign: who can, so they know whom to ask.
 */
export function notAnnouncerMessage(
  config: WorkspaceConfig,
  settings: CampaignSettings,
  owner?: string,
): string {
  const who = describeAnnouncers(config, settings, owner);
  return owner === undefined
    ? `Only campaign announcers and admins can send a heads-up. Ask ${who}.`
    : `Only this campaign's owner (<@${owner}>), campaign announcers and admins can edit, postpone or cancel it. Ask ${who}.`;
}

/**
 * Checks a Slack user may announce (or, given the campaign's owner, manage that campaign).
 * Intake-token callers (marketing tools) are trusted: the token is their authority.
 */
export function requireAnnouncer(
  ctx: ServiceContext,
  config: WorkspaceConfig,
  settings: CampaignSettings,
  facts: AnnouncerFacts | undefined,
  owner?: string,
): void {
  if (ctx.actor.type !== "slack") return;
  const allowed =
    facts !== undefined &&
    facts.userId === ctx.actor.userId &&
    (owner === undefined
      ? mayAnnounce(facts, settings.announcers)
      : mayManageCampaign(facts, settings.announcers, owner));
  if (!allowed) throw new ForbiddenError(notAnnouncerMessage(config, settings, owner));
}
