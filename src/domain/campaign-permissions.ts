/** Who may announce, edit, postpone and cancel campaigns. */

/** The configured announcers: Slack user ids and user group ids. */
export interface Announcers {
  users: readonly string[];
  usergroups: readonly string[];
}

/** Facts about the person asking, gathered by the adapter. */
export interface AnnouncerFacts {
  userId: string;
  isAdmin: boolean;
  /** The announcer user groups this person belongs to. */
  groups: readonly string[];
}

/** Admins always may; otherwise an announcer listed by id or through one of the user groups. */
export function mayAnnounce(actor: AnnouncerFacts, announcers: Announcers): boolean {
  return (
    actor.isAdmin ||
    announcers.users.includes(actor.userId) ||
    actor.groups.some((group) => announcers.usergroups.includes(group))
  );
}

/** Announcers and admins may change any campaign; its owner may change their own. */
export function mayManageCampaign(
  actor: AnnouncerFacts,
  announcers: Announcers,
  owner: string,
): boolean {
  return actor.userId === owner || mayAnnounce(actor, announcers);
}
