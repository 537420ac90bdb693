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
  /**
   * The Block Kit reference (api.slack.com copy): overflow "Maximum number of options is 5,
   * minimum is 2"; docs.slack.dev now says only "up to five".
   */
  overflowMinOptions: 2,
  inputMaxLength: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  imageAltText: 2000,
  imageUrl: 3000,
  imageTitle: 2000,
  markdownText: 12_000,
  /** Confirmation dialog object: title, text, and its two buttons (SLACK.md §7; docs: Confirmation dialog object). */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
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

/** File upload limits (SLACK.md §5: files.getUploadURLExternal / completeUploadExternal). */
export const FILE_LIMITS = {
  /** Slack's maximum file size, 1 GB (file_upload_size_restricted above it). */
  maxBytes: 1024 * 1024 * 1024,
  /** Alt text (alt_txt) of an image: up to 1000 characters. */
  altText: 1000,
  /** files.completeUploadExternal takes at most this many files. */
  filesPerComplete: 10,
} as const;

/** Lifetimes of one-shot handles (SLACK.md §4). */
export const HANDLE_LIMITS = {
  triggerTtlMs: 3000,
  responseUrlTtlMs: 30 * 60 * 1000,
  responseUrlMaxUses: 5,
} as const;

/** Acknowledgement window for every inbound request (SLACK.md §2). */
export const ACK_DEADLINE_MS = 3000;

/** Socket Mode (SLACK.md §10). */
export const SOCKET_MODE = {
  /** Slack allows up to 10 open connections per app; envelopes go to any of them. */
  maxConnections: 10,
  /**
   * UNCONFIRMED: how often Slack pings is not documented; @slack/socket-mode reconnects when
   * no ping comes for 30 s, so the double pings every 10 s.
   */
  pingIntervalMs: 10_000,
  /**
   * UNCONFIRMED: after a "refresh_requested" or "link_disabled" disconnect the double closes
   * the connection itself if the app has not within this time ("warning" leaves it open).
   */
  closeAfterDisconnectMs: 1000,
} as const;

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
  /** Slack counts limits per method, per workspace, per app, in one-minute windows (SLACK.md §6). */
  windowMs: 60_000,
} as const;

/** Slack's Web API tiers: the documented floor of calls per minute (SLACK.md §6). */
export const TIER_PER_MINUTE = { tier1: 1, tier2: 20, tier3: 50, tier4: 100 } as const;

/**
 * UNCONFIRMED: "special" methods documented as "hundreds per minute" (auth.test,
 * chat.getPermalink) and chat.postMessage's workspace-wide limit ("several hundred messages
 * per minute"): the double allows 300 a minute.
 */
const SPECIAL_HUNDREDS = 300;

/**
 * The per-minute limit of every method the double serves, per workspace (SLACK.md §5 tiers,
 * §6). chat.postMessage's entry is its workspace-wide limit; its per-channel bucket
 * (RATE_LIMIT_DEFAULTS) applies on top. A test asserts every method has an entry.
 */
export const METHOD_PER_MINUTE: Readonly<Record<string, number>> = {
  "api.test": TIER_PER_MINUTE.tier4,
  "apps.connections.open": TIER_PER_MINUTE.tier1,
  "auth.test": SPECIAL_HUNDREDS,
  "chat.postMessage": SPECIAL_HUNDREDS,
  "chat.update": TIER_PER_MINUTE.tier3,
  "chat.delete": TIER_PER_MINUTE.tier3,
  "chat.postEphemeral": TIER_PER_MINUTE.tier4,
  "chat.getPermalink": SPECIAL_HUNDREDS,
  "conversations.open": TIER_PER_MINUTE.tier3,
  "conversations.info": TIER_PER_MINUTE.tier3,
  "conversations.members": TIER_PER_MINUTE.tier4,
  "conversations.join": TIER_PER_MINUTE.tier3,
  // Tier 3 for internal (customer-built) apps; new commercially distributed apps get far less
  // (SLACK.md §6: 1 a minute, 15 messages a page).
  "conversations.history": TIER_PER_MINUTE.tier3,
  "conversations.replies": TIER_PER_MINUTE.tier3,
  "conversations.list": TIER_PER_MINUTE.tier2,
  "users.info": TIER_PER_MINUTE.tier4,
  "users.lookupByEmail": TIER_PER_MINUTE.tier3,
  "usergroups.users.list": TIER_PER_MINUTE.tier2,
  "reactions.add": TIER_PER_MINUTE.tier3,
  "reactions.remove": TIER_PER_MINUTE.tier2,
  "views.open": TIER_PER_MINUTE.tier4,
  "views.push": TIER_PER_MINUTE.tier4,
  "views.update": TIER_PER_MINUTE.tier4,
  "views.publish": TIER_PER_MINUTE.tier4,
  "files.getUploadURLExternal": TIER_PER_MINUTE.tier4,
  "files.completeUploadExternal": TIER_PER_MINUTE.tier4,
  "files.info": TIER_PER_MINUTE.tier4,
};

/**
 * For tests and benchmarks that are not about rate limits: every tier a thousand times
 * Slack's, and chat.postMessage 100 a second per channel. Rate-limit tests set their own.
 */
export const GENEROUS_RATE_LIMITS = {
  postMessagePerChannel: { burst: 100, perSecond: 100 },
  perMinuteFactor: 1000,
} as const;

/** conversations.members paging (SLACK.md §5: limit under 1000, about 200 advised). */
export const PAGING = { defaultLimit: 100, maxLimit: 999 } as const;

/** Slackbot's user id: the author Slack gives a deleted message's placeholder (tombstone). */
export const SLACKBOT_USER = "USLACKBOT";

/**
 * Choices where Slack's behaviour is UNCONFIRMED. Each names what the double does instead
 * of guessing silently in the method code.
 */
export const UNCONFIRMED = {
  /**
   * thread_ts that matches no message in the channel, such as a parent deleted in Slack.
   * Slack's docs list no error for it; a Slack engineer explains thread_not_found as a reply
   * posted after its parent was deleted (slackapi/bolt-js#2307).
   */
  threadNotFoundError: "thread_not_found",
  /** thread_ts naming a reply rather than a parent: treated like a missing parent. */
  replyAsThreadTsError: "thread_not_found",
  /** The double models a bot without chat:write.public: posting needs membership. */
  botHasChatWritePublic: false,
  /**
   * chat.update (and chat.delete) of the bot's message after it was deleted in Slack while it
   * had replies: the placeholder left is Slackbot's, and chat.update lists cant_update_message
   * for "does not have permission to update this message" (docs: chat.update method). No source
   * shows the answer to exactly this call; message_not_found is the other candidate. Searched
   * (Dec 2026) Slack's docs, bolt-js / node-slack-sdk / python-slack-sdk issues and other
   * doubles: cant_update_message is reported for a message the caller may not edit
   * (slackapi/node-slack-sdk#414, #848), message_not_found for a ts that names no message
   * (dust-tt/dust#20023), neither for a deleted parent kept for its replies.
   */
  tombstoneUpdateError: "cant_update_message",
  /**
   * usergroups.users.list of a disabled user group without include_disabled ("Allow results
   * that involve disabled User Groups"): the method lists only no_such_subteam among its
   * errors for a group it will not answer for ("No usergroup found with the given ID").
   * Searched (Dec 2026) Slack's docs, the SDKs' types and issues, and code: no source says what
   * a disabled group gets. jslack's live test (predecessor of slackapi/java-slack-sdk,
   * Slack_usergroups_Test) saw no_such_subteam with include_disabled=false "as of 2018/05",
   * but for a group from usergroups.list, not one shown to be disabled; the Terraform Slack
   * provider reads no_such_subteam as "the group is gone". An empty `users` list is the other
   * candidate.
   */
  disabledUsergroupError: "no_such_subteam",
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
  /** HTTP status refusing a WebSocket upgrade with an unknown or used ticket, or an 11th connection. */
  socketUpgradeRefused: 401,
  /** A ticket from apps.connections.open opens one connection. */
  socketTicketSingleUse: true,
  /**
   * files.info for an upload never completed. Slack discards it ("If this method is not
   * called, the uploaded file and associated metadata will be discarded", docs:
   * files.completeUploadExternal) but documents no answer for the time before.
   */
  uncompletedFileInfoError: "file_not_found",
  /** files.completeUploadExternal for a file already completed: the double refuses it again. */
  fileAlreadyCompletedError: "file_not_found",
  /** Alt text over 1000 characters: Slack documents the limit but no error name. */
  altTextTooLongError: "invalid_arguments",
  /** HTTP answer to an upload whose byte count differs from the `length` announced. */
  uploadSizeMismatch: { status: 400, body: "size_mismatch" },
  /** HTTP answer to a second upload to the same URL, or one after completion. */
  uploadRepeated: { status: 400, body: "upload_already_received" },
  /** views.publish/open with an image block whose slack_file names no shared file. */
  unknownSlackFileError: "invalid_blocks",
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
  /**
   * Confirmation dialog `text`: the current docs say plain_text only, older ones allowed mrkdwn
   * (DISAGREE); the double follows the current docs.
   */
  confirmTextPlainOnly: true,
  /**
   * Slack answers invalid_blocks for a property a block, element or composition object does
   * not have; its exact message is not documented. The double says this.
   */
  unknownFieldMessage: "unsupported property",
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
