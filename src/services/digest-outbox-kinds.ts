import { HOME_PUBLISH_KIND } from "../db/home-refresh-store.ts";

/**
 * Outbox kinds for digests and the App Home; the Slack adapter has a delivery handler for
 * each (src/slack/digest-delivery.ts, src/slack/home-delivery.ts). Kept beside OUTBOX_KINDS
 * rather than in it, so features can add kinds without editing one shared list.
 */
export const OUTBOX_KINDS_DIGESTS = {
  /** An executive digest by DM, with its chart. Payload: DigestDelivery. */
  sendDigest: "digest.send",
  /** Publish one user's App Home, rendered at delivery. Payload: { user }. */
  publishHome: HOME_PUBLISH_KIND,
} as const;
