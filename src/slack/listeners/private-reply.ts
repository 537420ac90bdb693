import type { RespondFn } from "@slack/bolt";

/** A reply only the person who clicked sees, leaving the message they clicked as it was. */
export function privateReply(respond: RespondFn) {
  return (message: { text: string; blocks?: unknown[] }) =>
    respond({
      response_type: "ephemeral",
      replace_original: false,
      ...message,
    } as Parameters<RespondFn>[0]);
}
