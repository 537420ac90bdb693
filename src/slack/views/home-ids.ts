/**
 * block_ids and action_ids of the App Home, the digest and the admin answers. Kept beside
 * ids.ts (which holds the card's) so features add their ids without editing one shared file.
 */

/** block_ids of the digest message. */
export const DIGEST_BLOCK_IDS = {
  header: "digest.header",
  headline: "digest.headline",
  breaches: "digest.breaches",
  atRisk: "digest.at_risk",
  departments: "digest.departments",
  times: "digest.times",
  routing: "digest.routing",
  changes: "digest.changes",
  campaigns: "digest.campaigns",
  footer: "digest.footer",
} as const;

/** action_ids of App Home buttons handled by the Home's own listener. */
export const HOME_ACTION_IDS = {
  claim: "home.claim",
  resolve: "home.resolve",
  retry: "home.retry",
  refresh: "home.refresh",
} as const;

/** Matches every HOME_ACTION_IDS value, for `app.action(HOME_ACTION_ID_PATTERN, …)`. */
export const HOME_ACTION_ID_PATTERN = /^home\.(claim|resolve|retry|refresh)$/;

/** block_ids of the App Home; repeated items are numbered after a prefix. */
export const HOME_BLOCK_IDS = {
  notice: "home.notice",
  mineHeader: "home.mine.header",
  mine: "home.mine.",
  mineActions: "home.mine.actions.",
  unclaimedHeader: "home.unclaimed.header",
  unclaimed: "home.unclaimed.",
  unclaimedActions: "home.unclaimed.actions.",
  leadHeader: "home.lead.header.",
  lead: "home.lead.",
  execHeader: "home.exec.header",
  exec: "home.exec.",
  chart: "home.exec.chart",
  adminHeader: "home.admin.header",
  admin: "home.admin.",
  slackSetup: "home.admin.slack_setup",
  failure: "home.admin.failure.",
  config: "home.admin.config.",
  footer: "home.footer",
} as const;

/** block_ids of /switchboard status. */
export const STATUS_BLOCK_IDS = {
  database: "status.database",
  delivery: "status.delivery",
  failures: "status.failures",
  timers: "status.timers",
  slackSetup: "status.slack_setup",
} as const;

/** The outbox id a Retry button carries, or null when the value is not one. */
export function parseRetryValue(value: unknown): number | null {
  if (typeof value !== "string" || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
