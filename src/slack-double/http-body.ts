import type { IncomingMessage } from "node:http";
import { isObj, type Obj } from "./args.ts";

/** Form fields that carry JSON (web-api JSON-stringifies object/array args per field). */
const JSON_FIELDS = new Set(["blocks", "attachments", "view", "files", "metadata", "unfurls"]);

/** Reads the whole request body. */
export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a JSON-carrying form field; a value that does not parse stays a string. */
function decodeField(name: string, value: string): unknown {
  if (!JSON_FIELDS.has(name)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function fromPairs(pairs: Iterable<[string, string]>): Obj {
  const args: Obj = {};
  for (const [k, v] of pairs) args[k] = decodeField(k, v);
  return args;
}

/** Multipart bodies (web-api switches to them when an arg is a Buffer). */
async function fromMultipart(raw: Buffer, contentType: string): Promise<Obj> {
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  const args: Obj = {};
  for (const [k, v] of form.entries()) {
    args[k] = typeof v === "string" ? decodeField(k, v) : Buffer.from(await v.arrayBuffer());
  }
  return args;
}

/** The decoded body; `invalid` when a JSON body does not parse to an object. */
export interface ParsedBody {
  args: Obj;
  invalid: boolean;
}

/**
 * Decodes a Web API request's arguments: form (the web-api default), JSON or multipart,
 * merged over query-string arguments (Slack accepts those too).
 */
export async function parseArgs(
  raw: Buffer,
  contentType: string | undefined,
  query: URLSearchParams,
): Promise<ParsedBody> {
  const base = fromPairs(query.entries());
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (raw.length === 0) return { args: base, invalid: false };
  if (type === "application/json") {
    try {
      const parsed: unknown = JSON.parse(raw.toString("utf8"));
      if (isObj(parsed)) return { args: { ...base, ...parsed }, invalid: false };
    } catch {
      // fall through: reported as invalid below
    }
    return { args: base, invalid: true };
  }
  if (type === "multipart/form-data" && contentType) {
    return { args: { ...base, ...(await fromMultipart(raw, contentType)) }, invalid: false };
  }
  const form = new URLSearchParams(raw.toString("utf8"));
  return { args: { ...base, ...fromPairs(form.entries()) }, invalid: false };
}

/** The body of an upload POST: multipart field "body" (web-api) or the raw bytes. */
export async function uploadBytes(raw: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.toLowerCase().startsWith("multipart/form-data")) return raw;
  const args = await fromMultipart(raw, contentType);
  const first = Object.values(args).find((v) => Buffer.isBuffer(v));
  const body = args.body ?? args.file ?? first;
  return Buffer.isBuffer(body) ? body : Buffer.from(String(body ?? ""));
}
