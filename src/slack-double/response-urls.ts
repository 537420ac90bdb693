import { ApiError, isObj, type Obj } from "./args.ts";
import { HANDLE_LIMITS, SLACKBOT_USER, UNCONFIRMED } from "./limits.ts";
import {
  deleteMessage,
  noteMissingFallback,
  replaceContent,
  storeMessage,
  validateContent,
} from "./message-store.ts";
import type { DoubleState, ResponseUrlRecord } from "./state.ts";
import type { ResponseRecord, StoredMessage } from "./types.ts";

/** What Slack shows a user whose slash command was not acknowledged within 3 s. */
const OPERATION_TIMEOUT = "operation_timeout";

/** Where a response_url came from: the channel, the user, and the source message if any. */
export interface ResponseUrlSource {
  channelId: string;
  userId: string;
  message?: { channel: string; ts: string; ephemeral: boolean };
}

/** Issues a response_url served by the double at /response/<id>. */
export function issueResponseUrl(state: DoubleState, source: ResponseUrlSource): string {
  const id = state.ids.secret();
  const record: ResponseUrlRecord = {
    id,
    issuedAt: state.now(),
    uses: 0,
    channelId: source.channelId,
    userId: source.userId,
    ...(source.message ? { source: source.message } : {}),
  };
  state.responseUrls.set(id, record);
  return `${state.baseUrl}/response/${id}`;
}

function sourceMessage(state: DoubleState, rec: ResponseUrlRecord): StoredMessage | undefined {
  const src = rec.source;
  if (!src) return undefined;
  const list = src.ephemeral ? state.ephemerals : state.messages;
  return list.find((m) => m.channel === src.channel && m.ts === src.ts);
}

function hasContent(body: Obj): boolean {
  const blocks = body.blocks;
  const attachments = body.attachments;
  return (
    (typeof body.text === "string" && body.text !== "") ||
    (Array.isArray(blocks) && blocks.length > 0) ||
    (Array.isArray(attachments) && attachments.length > 0)
  );
}

/** Posts the body as a new message: in the channel for in_channel, else ephemeral to the user. */
function postNew(state: DoubleState, rec: ResponseUrlRecord, body: Obj): ResponseRecord["effect"] {
  const threadTs = typeof body.thread_ts === "string" ? body.thread_ts : undefined;
  const inChannel = body.response_type === "in_channel";
  storeMessage(state, {
    channel: rec.channelId,
    text: typeof body.text === "string" ? body.text : "",
    ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    ...(Array.isArray(body.attachments) ? { attachments: body.attachments } : {}),
    ...(threadTs === undefined ? {} : { threadTs }),
    ...(inChannel ? {} : { ephemeralTo: rec.userId }),
  });
  return inChannel ? "in_channel" : "ephemeral";
}

/** Applies a response message's effect; throws ApiError for content Slack would reject. */
function effectOf(state: DoubleState, rec: ResponseUrlRecord, body: Obj): ResponseRecord["effect"] {
  const source = sourceMessage(state, rec);
  const deleting = body.delete_original === true || body.delete_original === "true";
  if (!deleting && !hasContent(body)) throw new ApiError("no_text");
  validateContent(body.blocks, body.attachments);
  if (deleting && source) deleteMessage(state, source);
  if (deleting && !hasContent(body)) return "deleted";
  noteMissingFallback(state, `response_url ${rec.id}`, body);
  const replacing = body.replace_original === true || body.replace_original === "true";
  if (replacing && source && !deleting) {
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    replaceContent(source, { text: String(body.text ?? ""), ...(blocks ? { blocks } : {}) });
    return "replaced";
  }
  return postNew(state, rec, body);
}

/**
 * Records and applies one response (a response_url POST or a message in an ack body).
 * Rejected content is recorded with effect "rejected".
 */
export function applyResponse(
  state: DoubleState,
  rec: ResponseUrlRecord,
  body: Obj,
  via: ResponseRecord["via"],
): ResponseRecord {
  const entry: ResponseRecord = {
    id: rec.id,
    via,
    body,
    at: state.now(),
    status: 200,
    effect: "rejected",
  };
  try {
    entry.effect = effectOf(state, rec, body);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    entry.status = UNCONFIRMED.responseUrlInvalid.status;
    entry.error = err.error;
  }
  state.responses.push(entry);
  return entry;
}

/**
 * A slash command acked after Slack's 3 s: the user sees only Slack's error (SLACK.md §2:
 * operation_timeout), as an ephemeral from Slackbot, and a message in the late ack body is
 * dropped. The error name is documented; the sentence around it is Slack's client wording.
 */
export function showOperationTimeout(
  state: DoubleState,
  responseUrl: string,
  p: { command: string; userId: string; channelId: string },
): void {
  const id = responseUrl.split("/").at(-1) ?? "";
  const text = `${p.command} failed with the error "${OPERATION_TIMEOUT}"`;
  storeMessage(state, { channel: p.channelId, user: SLACKBOT_USER, text, ephemeralTo: p.userId });
  state.responses.push({
    id,
    via: "ack",
    body: {},
    at: state.now(),
    status: 200,
    effect: "rejected",
    error: OPERATION_TIMEOUT,
  });
}

/** Rejects a POST to a response_url that is unknown, expired or used up. */
function refusal(state: DoubleState, rec: ResponseUrlRecord | undefined) {
  if (!rec) return UNCONFIRMED.responseUrlUnknown;
  if (state.now() - rec.issuedAt > HANDLE_LIMITS.responseUrlTtlMs) {
    return UNCONFIRMED.responseUrlExpired;
  }
  if (rec.uses >= HANDLE_LIMITS.responseUrlMaxUses) return UNCONFIRMED.responseUrlUsedUp;
  return undefined;
}

/** Parses a response_url body: JSON, or a form with a `payload` JSON field. */
function parseResponseBody(raw: Buffer): Obj | undefined {
  const text = raw.toString("utf8");
  try {
    const parsed: unknown = JSON.parse(text);
    return isObj(parsed) ? parsed : undefined;
  } catch {
    const payload = new URLSearchParams(text).get("payload");
    if (payload === null) return undefined;
    try {
      const parsed: unknown = JSON.parse(payload);
      return isObj(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Handles POST /response/<id>: the HTTP status and text body to answer with. */
export function handleResponsePost(state: DoubleState, id: string, raw: Buffer) {
  const rec = state.responseUrls.get(id);
  const body = parseResponseBody(raw);
  const refused = refusal(state, rec);
  if (refused || !rec) {
    const r = refused ?? UNCONFIRMED.responseUrlUnknown;
    state.responses.push({
      id,
      via: "response_url",
      body: body ?? {},
      at: state.now(),
      status: r.status,
      effect: "rejected",
      error: r.body,
    });
    return { status: r.status, text: r.body };
  }
  rec.uses += 1;
  if (!body) return { status: 400, text: "invalid_payload" };
  const entry = applyResponse(state, rec, body, "response_url");
  return entry.error === undefined
    ? { status: UNCONFIRMED.responseUrlOk.status, text: UNCONFIRMED.responseUrlOk.body }
    : { status: entry.status, text: entry.error };
}
