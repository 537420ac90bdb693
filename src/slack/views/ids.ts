/**
 * Every block_id, action_id and callback_id Switchboard's views use, and the encoding of
 * button values and modal metadata. Listeners and views import these; never spell an id out
 * anywhere else.
 */
import * as z from "zod";

/** action_ids of the thread buttons, on complaint cards and nudges alike. */
export const THREAD_ACTION_IDS = {
  claim: "thread.claim",
  handOver: "thread.handover",
  responded: "thread.responded",
  waitOnCustomer: "thread.wait",
  resolve: "thread.resolve",
  dismiss: "thread.dismiss",
  reopen: "thread.reopen",
  timeline: "thread.timeline",
} as const;

/** A card button, by name: "claim", "handOver", … */
export type ThreadAction = keyof typeof THREAD_ACTION_IDS;
/** A card button's action_id: "thread.claim", … */
export type ThreadActionId = (typeof THREAD_ACTION_IDS)[ThreadAction];

/** Matches every card button's action_id, for `app.action(THREAD_ACTION_ID_PATTERN, …)`. */
export const THREAD_ACTION_ID_PATTERN =
  /^thread\.(claim|handover|responded|wait|resolve|dismiss|reopen|timeline)$/;

/**
 * action_id of the "Kind" picker on cards and notes. Not a thread button: a static_select,
 * whose chosen option carries the kind and the thread (see encodeKindChoice).
 */
export const KIND_SELECT_ACTION_ID = "kind.change";

/** Versioned prefix of a kind option's value: "kind:v1:<kind>:<thread id>". */
const KIND_VALUE_PREFIX = "kind:v1:";

/** The value of a kind option. Throws RangeError for a thread id that could not travel in it. */
export function encodeKindChoice(kind: string, threadId: string): string {
  if (!isThreadId(threadId) || !/^[a-z]+$/.test(kind)) {
    throw new RangeError(
      `invalid kind choice: ${JSON.stringify(`${kind}/${threadId}`.slice(0, 64))}`,
    );
  }
  return `${KIND_VALUE_PREFIX}${kind}:${threadId}`;
}

/** The kind and thread in a kind option's value, or null when it is missing or malformed. */
export function parseKindChoice(value: unknown): { kind: string; threadId: string } | null {
  if (typeof value !== "string" || !value.startsWith(KIND_VALUE_PREFIX)) return null;
  const rest = value.slice(KIND_VALUE_PREFIX.length);
  const at = rest.indexOf(":");
  const kind = rest.slice(0, at);
  const threadId = rest.slice(at + 1);
  return at > 0 && /^[a-z]+$/.test(kind) && isThreadId(threadId) ? { kind, threadId } : null;
}

/** block_ids on a kind note (a post shown outside the desk, e.g. in #kudos). */
export const NOTE_BLOCK_IDS = {
  summary: "note.summary",
  text: "note.text",
  link: "note.link",
  context: "note.context",
  actions: "note.actions",
} as const;

/** block_ids on a complaint card; unique within the message, as Slack requires. */
export const CARD_BLOCK_IDS = {
  summary: "card.summary",
  author: "card.author",
  text: "card.text",
  link: "card.link",
  status: "card.status",
  handOver: "card.handover",
  fields: "card.fields",
  dues: "card.dues",
  context: "card.context",
  actions: "card.actions",
} as const;

/** block_ids on a follow-up reply posted under a card. */
export const FOLLOW_UP_BLOCK_IDS = {
  context: "followup.context",
  text: "followup.text",
  link: "followup.link",
} as const;

/** block_ids on an SLA nudge (warning, breach or escalation). */
export const NUDGE_BLOCK_IDS = {
  headline: "nudge.headline",
  excerpt: "nudge.excerpt",
  context: "nudge.context",
  actions: "nudge.actions",
} as const;

/** block_ids of the DM telling someone a thread was handed to them. */
export const HANDOVER_NOTICE_BLOCK_IDS = {
  headline: "handover.headline",
  excerpt: "handover.excerpt",
  dues: "handover.dues",
  context: "handover.context",
  actions: "handover.actions",
  /** The note under the card when the new owner's account is deactivated. */
  ownerGone: "handover.owner_gone",
} as const;

/** block_ids of the `/switchboard mine` list; items are numbered after `itemPrefix`. */
export const MINE_LIST_BLOCK_IDS = {
  header: "mine.header",
  itemPrefix: "mine.item.",
  more: "mine.more",
} as const;

/** block_ids of a thread's timeline; events are numbered after `eventPrefix`. */
export const TIMELINE_BLOCK_IDS = {
  header: "timeline.header",
  omitted: "timeline.omitted",
  eventPrefix: "timeline.event.",
} as const;

/** block_id of a private notice (an ephemeral refusal or confirmation). */
export const NOTICE_BLOCK_ID = "notice";

/** callback_ids of the modals a thread button opens; Bolt routes `view_submission` by these. */
export const MODAL_CALLBACK_IDS = {
  handOver: "thread.handover.modal",
  dismiss: "thread.dismiss.modal",
  responded: "thread.responded.modal",
  /** A form replaced by why its opener may not use it; it has no submit. */
  refused: "thread.refused.modal",
} as const;

/** block_ids shared by the thread modals. */
export const MODAL_BLOCK_IDS = {
  excerpt: "modal.excerpt",
  refusal: "modal.refusal",
} as const;

/** An input block and the element inside it: Slack keys `view.state.values` by both. */
export interface InputIds {
  blockId: string;
  actionId: string;
}

/** Inputs of the hand-over modal. */
export const HAND_OVER_INPUTS = {
  person: { blockId: "handover.person", actionId: "handover.person.select" },
  department: { blockId: "handover.department", actionId: "handover.department.select" },
  note: { blockId: "handover.note", actionId: "handover.note.input" },
} as const satisfies Record<string, InputIds>;

/** Inputs of the dismiss modal. */
export const DISMISS_INPUTS = {
  reason: { blockId: "dismiss.reason", actionId: "dismiss.reason.radio" },
  note: { blockId: "dismiss.note", actionId: "dismiss.note.input" },
} as const satisfies Record<string, InputIds>;

/** Inputs of the responded modal. */
export const RESPONDED_INPUTS = {
  link: { blockId: "responded.link", actionId: "responded.link.input" },
  private: { blockId: "responded.private", actionId: "responded.private.checkbox" },
} as const satisfies Record<string, InputIds>;

/** Which card button an action_id names, or null for any other action. */
export function threadActionOf(actionId: string): ThreadAction | null {
  const entry = Object.entries(THREAD_ACTION_IDS).find(([, id]) => id === actionId);
  return entry ? (entry[0] as ThreadAction) : null;
}

/** Thread ids are ours (uuid, ulid or number), so anything else in a button value is forged or stale. */
const THREAD_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
/** Versioned prefix, so a later change of encoding can still read old cards. */
const VALUE_PREFIX = "thread:v1:";

/** True when `threadId` can travel in a button value. */
export function isThreadId(threadId: string): boolean {
  return THREAD_ID.test(threadId);
}

/** The button value carrying a thread id. Throws RangeError for an id we could not parse back. */
export function encodeThreadAction(threadId: string): string {
  if (!isThreadId(threadId)) {
    throw new RangeError(
      `invalid thread id for a button value: ${JSON.stringify(threadId.slice(0, 64))}`,
    );
  }
  return VALUE_PREFIX + threadId;
}

/** The thread id in a card button's value, or null when the value is missing or malformed. */
export function parseThreadAction(value: unknown): string | null {
  if (typeof value !== "string" || !value.startsWith(VALUE_PREFIX)) return null;
  const threadId = value.slice(VALUE_PREFIX.length);
  return isThreadId(threadId) ? threadId : null;
}

/** Slack ids as they appear in payloads: channels (C/G/D…) and message timestamps. */
const CHANNEL_ID = /^[CDG][A-Z0-9]{2,30}$/;
const MESSAGE_TS = /^\d{1,12}\.\d{1,8}$/;
/** Slack's limit on a view's private_metadata (SLACK.md §7). */
export const MAX_PRIVATE_METADATA = 3000;

/**
 * What a modal remembers between opening and submission: the thread, and the department it
 * was in (a form filled in for one desk is not applied after the thread moved to another;
 * absent from forms opened before it was added). The card's channel and ts, which earlier
 * versions also sent, are still accepted (a form opened before an upgrade submits after it)
 * but not read: the outbox finds the card from the thread. A field this version does not
 * know is dropped, not refused: during a rolling deploy a form opened on a newer replica is
 * submitted to an older one. The fields it knows are checked as strictly as ever.
 */
export const ModalMetadata = z.object({
  threadId: z.string().regex(THREAD_ID),
  department: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,999}$/)
    .optional(),
  /** Department hand-overs when the form opened: a move away and back changes it. */
  handOvers: z.number().int().min(0).max(1_000_000).optional(),
  channelId: z.string().regex(CHANNEL_ID).optional(),
  messageTs: z.string().regex(MESSAGE_TS).optional(),
});
/** The parsed private_metadata of a thread modal. */
export type ModalMetadata = z.infer<typeof ModalMetadata>;

/** private_metadata for a thread modal, as JSON. Throws RangeError for ids we could not parse back. */
export function encodeModalMetadata(metadata: ModalMetadata): string {
  const parsed = ModalMetadata.safeParse(metadata);
  if (!parsed.success) {
    throw new RangeError(`invalid modal metadata: ${parsed.error.issues[0]?.message ?? ""}`);
  }
  // Rebuilt from the parsed value, so no stray keys travel; the regexes keep it far below 3000.
  return JSON.stringify(parsed.data);
}

/** The metadata in a submitted view's private_metadata, or null when it is missing, forged or stale. */
export function parseModalMetadata(raw: unknown): ModalMetadata | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_PRIVATE_METADATA) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = ModalMetadata.safeParse(json);
  return parsed.success ? parsed.data : null;
}

// --- Campaigns -----------------------------------------------------------------------------

/** action_ids of campaign buttons: on heads-ups, reminders, the campaign card and complaint cards. */
export const CAMPAIGN_ACTION_IDS = {
  acknowledge: "campaign.acknowledge",
  edit: "campaign.edit",
  cancel: "campaign.cancel",
  talkingPoints: "campaign.talking_points",
} as const;

/** callback_ids of the heads-up modal, new or editing a campaign. */
export const CAMPAIGN_CALLBACK_IDS = {
  announce: "campaign.announce.modal",
  edit: "campaign.edit.modal",
  /** The confirmation a submitted modal turns into; it has nothing to submit. */
  done: "campaign.done.modal",
} as const;

/** Inputs of the heads-up modal; each block is named for the API field it fills. */
export const CAMPAIGN_INPUTS = {
  name: { blockId: "campaign.name", actionId: "campaign.name.input" },
  description: { blockId: "campaign.description", actionId: "campaign.description.input" },
  launchAt: { blockId: "campaign.launch", actionId: "campaign.launch.picker" },
  endAt: { blockId: "campaign.end", actionId: "campaign.end.picker" },
  channels: { blockId: "campaign.channels", actionId: "campaign.channels.checkboxes" },
  audienceSize: { blockId: "campaign.audience", actionId: "campaign.audience.input" },
  expectedVolume: { blockId: "campaign.volume", actionId: "campaign.volume.input" },
  departments: { blockId: "campaign.departments", actionId: "campaign.departments.select" },
  keywords: { blockId: "campaign.keywords", actionId: "campaign.keywords.input" },
  talkingPoints: { blockId: "campaign.talking", actionId: "campaign.talking.input" },
  faqUrl: { blockId: "campaign.faq", actionId: "campaign.faq.input" },
  owner: { blockId: "campaign.owner", actionId: "campaign.owner.select" },
} as const satisfies Record<string, InputIds>;

/** The edit form's line standing in for the keywords input when they are too long to edit there. */
export const CAMPAIGN_KEYWORDS_KEPT_BLOCK_ID = "campaign.keywords.kept";

/** block_ids of a department's heads-up card. */
export const HEADSUP_BLOCK_IDS = {
  header: "headsup.header",
  summary: "headsup.summary",
  fields: "headsup.fields",
  keywords: "headsup.keywords",
  talkingPoints: "headsup.talking",
  faq: "headsup.faq",
  status: "headsup.status",
  actions: "headsup.actions",
} as const;

/** block_ids of a campaign's own card in marketing's channel. */
export const CAMPAIGN_CARD_BLOCK_IDS = {
  header: "campaign.header",
  summary: "campaign.summary",
  fields: "campaign.fields",
  departments: "campaign.departments",
  keywords: "campaign.keywords",
  actions: "campaign.actions",
} as const;

/** block_ids of campaign replies and direct messages. */
export const CAMPAIGN_NOTE_BLOCK_IDS = {
  text: "campaign.note.text",
  actions: "campaign.note.actions",
  /** The talking points answer's quoted points and its FAQ link and owner. */
  talkingPoints: "campaign.note.talking_points",
  owner: "campaign.note.owner",
} as const;

/** block_ids of `/switchboard campaigns`; campaigns are numbered after `itemPrefix`. */
export const CAMPAIGN_LIST_BLOCK_IDS = {
  header: "campaigns.header",
  itemPrefix: "campaigns.item.",
  more: "campaigns.more",
} as const;

/** block_id of the "Related to campaign" line on a complaint card. */
export const CARD_CAMPAIGN_BLOCK_ID = "card.campaigns";

const CAMPAIGN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DEPARTMENT_KEY = /^[a-z][a-z0-9-]{0,99}$/;
const CAMPAIGN_VALUE_PREFIX = "campaign:v1:";

/** The button value naming a campaign, and the department when the button acts for one. */
export function encodeCampaignValue(
  campaignId: string,
  department?: string,
  /** An Acknowledge button's: the request to acknowledge it answers (acknowledgementRound). */
  round?: number,
): string {
  if (
    !CAMPAIGN_ID.test(campaignId) ||
    (department !== undefined && !DEPARTMENT_KEY.test(department)) ||
    (round !== undefined && (department === undefined || !Number.isSafeInteger(round)))
  )
    throw new RangeError(
      `invalid campaign button value: ${JSON.stringify(campaignId.slice(0, 64))}`,
    );
  const tail = `${department ? `:${department}` : ""}${round === undefined ? "" : `:${round}`}`;
  return `${CAMPAIGN_VALUE_PREFIX}${campaignId}${tail}`;
}

const ROUND = /^[0-9]{1,15}$/;

/**
 * The campaign (and department, and for Acknowledge the request it answers) in a campaign
 * button's value, or null when missing or forged. Buttons drawn before rounds were carried
 * have none.
 */
export function parseCampaignValue(
  value: unknown,
): { campaignId: string; department?: string; round?: number } | null {
  if (typeof value !== "string" || !value.startsWith(CAMPAIGN_VALUE_PREFIX)) return null;
  const [campaignId = "", department, round, ...rest] = value
    .slice(CAMPAIGN_VALUE_PREFIX.length)
    .split(":");
  if (rest.length > 0 || !CAMPAIGN_ID.test(campaignId)) return null;
  if (department === undefined) return { campaignId };
  if (!DEPARTMENT_KEY.test(department)) return null;
  if (round === undefined) return { campaignId, department };
  return ROUND.test(round) ? { campaignId, department, round: Number(round) } : null;
}

/**
 * What the heads-up modal remembers: the campaign being edited, if any, and a fingerprint of
 * what each field showed (campaign-form-changes.ts; absent from forms opened before it was
 * added). Unknown fields are dropped, as in ModalMetadata: a form from a newer replica is not
 * out of date.
 */
export const CampaignModalMetadata = z.object({
  campaignId: z.string().regex(CAMPAIGN_ID).optional(),
  shown: z
    .record(z.string().regex(/^[a-zA-Z]{1,30}$/), z.string().regex(/^[A-Za-z0-9_-]{16}$/))
    .optional(),
});
export type CampaignModalMetadata = z.infer<typeof CampaignModalMetadata>;

/** The heads-up modal's private_metadata, or null when it is missing, forged or stale. */
export function parseCampaignModalMetadata(raw: unknown): CampaignModalMetadata | null {
  if (typeof raw !== "string" || raw.length > MAX_PRIVATE_METADATA) return null;
  try {
    const parsed = CampaignModalMetadata.safeParse(raw === "" ? {} : JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
