import type { PlainTextOption, StaticSelect } from "@slack/types";
import { POST_KINDS, type PostKind } from "../../domain/post-kinds.ts";
import { encodeKindChoice, KIND_SELECT_ACTION_ID } from "./ids.ts";
import { escapeAndTruncate, oneLine } from "./mrkdwn.ts";

/** What a card or note knows of its thread's kind. */
export interface KindView {
  kind: PostKind;
  /** Why: 'rule "thanks": phrase "thank you"', "learned: praise 0.93 …", "changed by <@U1>". */
  reason?: string | undefined;
}

/** Each kind as people read it. */
export const KIND_LABELS: Record<PostKind, string> = {
  complaint: "Complaint",
  question: "Question",
  praise: "Praise",
  other: "Other",
};

const KIND_EMOJI: Record<PostKind, string> = {
  complaint: ":exclamation:",
  question: ":question:",
  praise: ":tada:",
  other: ":speech_balloon:",
};

/** Bounds for the reason line; kind rules' reasons are config text, so they are cut. */
const MAX_REASON = 300;

/** "Praise" with its emoji, for a field or a heading. */
export function describeKind(kind: PostKind): string {
  return `${KIND_EMOJI[kind]} ${KIND_LABELS[kind]}`;
}

/** The noun in a card's headline: "new complaint", "question", … */
export function kindNoun(kind: PostKind): string {
  return KIND_LABELS[kind].toLowerCase();
}

/** "*Kind:* rule "thanks": phrase "thank you"" for a context line; undefined without a reason. */
export function describeKindReason(view: KindView): string | undefined {
  if (!view.reason) return undefined;
  // Our own "changed by <@U…>" is a mention to render as the person's name; any other reason
  // (a rule's phrase is config text) is escaped, so it can never mention or link by accident.
  const byPerson = CHANGED_BY.exec(view.reason);
  if (byPerson) return `*Kind:* changed by <@${byPerson[1]}>`;
  return `*Kind:* ${escapeAndTruncate(oneLine(view.reason), MAX_REASON)}`;
}

const CHANGED_BY = /^changed by <@([UW][A-Z0-9]+)>$/;

/**
 * The "Kind" picker: choosing another kind changes the thread's kind, its clocks and where
 * it is shown. Slack wants an initial option that is exactly one of the options.
 */
export function buildKindSelect(threadId: string, kind: PostKind): StaticSelect {
  const options: PlainTextOption[] = POST_KINDS.map((k) => ({
    text: { type: "plain_text", text: KIND_LABELS[k], emoji: true },
    value: encodeKindChoice(k, threadId),
  }));
  const initial = options[POST_KINDS.indexOf(kind)];
  return {
    type: "static_select",
    action_id: KIND_SELECT_ACTION_ID,
    placeholder: { type: "plain_text", text: "Kind", emoji: true },
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
}
