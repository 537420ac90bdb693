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
 * an admin (<@U9>)". Switchboard's own mrkdwn: mentions render as names.
 */
export function describeAnnouncers(config: WorkspaceConfig, settings: CampaignSettings): string {
  const people = settings.announcers.users.map((u) => `<@${u}>`);
  const groups = settings.announcers.usergroups.map((g) => `members of <!subteam^${g}>`);
  const admins = config.admins.length
    ? `an admin (${config.admins.map((a) => `<@${a}>`).join(", ")})`
    : "an admin";
  // Joined by hand: the admins' own list has commas, so "the last comma" would be inside it.
  const others = [...people, ...groups];
  return others.length > 0 ? `${others.join(", ")} or ${admins}` : admins;
}

/** The refusal for someone who may not announce: who can, so they know whom to ask. */
export function notAnnouncerMessage(config: WorkspaceConfig, settings: CampaignSettings): string {
  return `Only campaign announcers can send a heads-up, edit, postpone or cancel a campaign. Ask ${describeAnnouncers(config, settings)}.`;
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
  if (!allowed) throw new ForbiddenError(notAnnouncerMessage(config, settings));
}
