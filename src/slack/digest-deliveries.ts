import { OUTBOX_KINDS_DIGESTS } from "../services/digest-outbox-kinds.ts";
import type { DeliveryDeps } from "./delivery-support.ts";
import { sendDigest } from "./digest-delivery.ts";
import { publishHome } from "./home-delivery.ts";
import type { DeliveryHandler } from "./outbox-worker.ts";

/** Delivery handlers for digests and App Home publishes; merged into createDeliveryHandlers. */
export function digestDeliveryHandlers(deps: DeliveryDeps): Record<string, DeliveryHandler> {
  return {
    [OUTBOX_KINDS_DIGESTS.sendDigest]: sendDigest(deps),
    [OUTBOX_KINDS_DIGESTS.publishHome]: publishHome(deps),
  };
}
