import type { RespondFn } from "@slack/bolt";

/** What a private reply shows. */
export type PrivateMessage = { text: string; blocks?: unknown[] };

/** A reply only the person who clicked sees, leaving the message they clicked as it was. */
export function privateReply(respond: RespondFn) {
  return (message: PrivateMessage) =>
    respond({
      response_type: "ephemeral",
      replace_original: false,
      ...message,
    } as Parameters<RespondFn>[0]);
}
