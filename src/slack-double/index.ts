/** The local Slack double: Web API server, inspection helpers and a signed-request driver. */

export type { Fault } from "./api-router.ts";
export { appFromManifest, type ManifestGrants } from "./app-manifest.ts";
export {
  homeViewProblems,
  messageBlockProblems,
  modalViewProblems,
} from "./block-kit/validate.ts";
export type { DriverRecord, InteractionResponse, SlackDriver } from "./driver.ts";
export type { DriverResponse, SignOptions } from "./driver-transport.ts";
export {
  ACK_DEADLINE_MS,
  BLOCK_LIMITS,
  FILE_LIMITS,
  GENEROUS_RATE_LIMITS,
  HANDLE_LIMITS,
  METHOD_PER_MINUTE,
  TEXT_LIMITS,
  UNCONFIRMED,
  VIEW_LIMITS,
} from "./limits.ts";
export { computeSignature, signatureHeaders } from "./signing.ts";
export { type SlackDouble, startSlackDouble } from "./slack-double.ts";
export type { DoubleSnapshot, FileSnapshot } from "./snapshot.ts";
export { SNAPSHOT_VERSION } from "./snapshot.ts";
export type { DisconnectReason } from "./socket-mode.ts";
export type { ChannelRecord, DoubleConfig, UserRecord } from "./state.ts";
// The records and specs the double takes and keeps: every type of types.ts is public.
export type * from "./types.ts";
export type { SubmissionOutcome } from "./view-submission.ts";
