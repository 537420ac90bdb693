/**
 * Every number the Slack double enforces, and every choice it makes where Slack's own
 * behaviour is not documented. Sources are in shared/SLACK.md (section numbers below).
 * Entries marked UNCONFIRMED are the double's guess: change them here, nowhere else.
 */

/** Block Kit limits (SLACK.md §7). */
export const BLOCK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  selectOptions: 100,
  selectOptionGroups: 100,
  optionText: 75,
  /** UNCONFIRMED: @slack/types says 75, the option-object docs page says 150; the double allows 150. */
  optionValue: 150,
  optionDescription: 75,
  placeholder: 150,
  radioOptions: 10,
  checkboxOptions: 10,
  overflowOptions: 5,
  inputMaxLength: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  imageAltText: 2000,
  imageUrl: 3000,
  imageTitle: 2000,
  markdownText: 12_000,
} as const;

/** Modal and Home view limits (SLACK.md §7). */
export const VIEW_LIMITS = {
  titleText: 24,
  submitText: 24,
  closeText: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  /** Modal stack depth: root + 2 pushes (SLACK.md §5 views.push). */
  stackDepth: 3,
  /** UNCONFIRMED: "250 kB" is not said to be 1000 or 1024 bytes; the double uses 250 × 1024 of JSON. */
  maxViewBytes: 250 * 1024,
} as const;

/** Message text limits (SLACK.md §7 and §5). */
export const TEXT_LIMITS = {
  /** chat.postMessage silently truncates text beyond this. */
  postMessageTruncateAt: 40_000,
  /** chat.update answers msg_too_long beyond this. */
  updateMaxText: 4000,
  maxAttachments: 100,
} as const;

/** Lifetimes of one-shot handles (SLACK.md §4). */
export const HANDLE_LIMITS = {
  triggerTtlMs: 3000,
  responseUrlTtlMs: 30 * 60 * 1000,
  responseUrlMaxUses: 5,
} as const;

/** Acknowledgement window for every inbound request (SLACK.md §2). */
export const ACK_DEADLINE_MS = 3000;

/** Signed timestamps older than this are stale for Bolt (SLACK.md §1); "stale" signs 6 minutes back. */
export const STALE_SIGNATURE_AGE_S = 6 * 60;

/** The driver gives up waiting for the receiver after this long (a hung receiver must not hang a test). */
export const DRIVER_GIVE_UP_MS = 10_000;

/** Rate-limit defaults (SLACK.md §6: about 1 message per second per channel, short bursts allowed). */
export const RATE_LIMIT_DEFAULTS = {
  /** UNCONFIRMED: Slack does not publish the burst size; 4 is the double's choice. */
  postMessageBurst: 4,
  postMessagePerSecond: 1,
  /** Retry-After is an integer number of seconds and never below this. */
  minRetryAfterS: 1,
} as const;

/** conversations.members paging (SLACK.md §5: limit under 1000, about 200 advised). */
export const PAGING = { defaultLimit: 100, maxLimit: 999 } as const;

/**
 * Choices where Slack's behaviour is UNCONFIRMED. Each names what the double does instead
 * of guessing silently in the method code.
 */
export const UNCONFIRMED = {
  /** thread_ts that matches no message in the channel. Slack documents no error for it. */
  threadNotFoundError: "thread_not_found",
  /** thread_ts naming a reply rather than a parent: treated like a missing parent. */
  replyAsThreadTsError: "thread_not_found",
  /** The double models a bot without chat:write.public: posting needs membership. */
  botHasChatWritePublic: false,
  /** Posting to a private conversation the bot is not in: it cannot see it, so not_in_channel is not used. */
  privateNotMemberError: "channel_not_found",
  /** Body of a successful response_url POST. */
  responseUrlOk: { status: 200, body: '{"ok":true}' },
  /** Body served during setOutage(status): Slack's outage pages are not JSON the client reads. */
  outageError: "service_unavailable",
  /** HTTP answer to a 6th response_url use (Slack's exact status/body is not documented). */
  responseUrlUsedUp: { status: 404, body: "used_url" },
  /** HTTP answer to a response_url used after 30 minutes. */
  responseUrlExpired: { status: 404, body: "expired_url" },
  /** HTTP answer to a response_url the double never issued. */
  responseUrlUnknown: { status: 404, body: "no_service" },
  /** HTTP answer to a response_url post with invalid blocks or no content. */
  responseUrlInvalid: { status: 400 },
  /** files.completeUploadExternal naming a file id that was never uploaded. */
  fileNotUploadedError: "file_not_found",
  /** Error for a JSON-bodied Web API call whose body does not parse. */
  invalidJsonError: "invalid_json",
  /** Error when a required argument is absent and Slack names no specific error. */
  missingArgumentError: "invalid_arguments",
  /** block_actions from an ephemeral message carries no `message` field (only `container`). */
  ephemeralActionIncludesMessage: false,
  /**
   * views.push with a trigger that did not come from inside a modal: push onto the user's
   * newest open modal, or open a new root when there is none.
   */
  pushWithoutModalOpensRoot: true,
  /** view_submission acked with an empty body closes only the submitted view (pops the stack). */
  emptySubmissionAckPopsOneView: true,
  /** Block types accepted without checks beyond `type` (real types the bot does not use). */
  lenientBlockTypes: [
    "file",
    "video",
    "table",
    "context_actions",
    "call",
    "alert",
    "card",
    "carousel",
    "container",
    "data_table",
    "task_card",
    "plan",
  ],
  /** Element types accepted with only action_id checks. */
  lenientElementTypes: [
    "multi_users_select",
    "multi_conversations_select",
    "multi_channels_select",
    "channels_select",
    "external_select",
    "multi_external_select",
    "timepicker",
    "email_text_input",
    "file_input",
    "workflow_button",
    "rich_text_input",
    "feedback_buttons",
    "icon_button",
  ],
} as const;
