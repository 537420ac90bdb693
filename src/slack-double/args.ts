import { UNCONFIRMED } from "./limits.ts";

/** A decoded JSON object. */
export type Obj = Record<string, unknown>;

/** True for a plain (non-array) object. */
export function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A string argument; form bodies carry numbers as strings, JSON bodies may not. */
export function argStr(args: Obj, name: string): string | undefined {
  const v = args[name];
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

/** A non-empty string argument, or undefined. */
export function argNonEmpty(args: Obj, name: string): string | undefined {
  const v = argStr(args, name);
  return v === undefined || v === "" ? undefined : v;
}

/** A boolean argument: form bodies send "true"/"1". */
export function argBool(args: Obj, name: string): boolean {
  const v = args[name];
  return v === true || v === "true" || v === "1" || v === 1;
}

/** A numeric argument, or undefined when absent or not a number. */
export function argNum(args: Obj, name: string): number | undefined {
  const v = args[name];
  if (v === undefined || v === null || v === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** A platform error: the router answers it as HTTP 200 `{ ok: false, error }`. */
export class ApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Obj = {},
  ) {
    super(error);
  }
}

/** Throws ApiError with Slack's `[ERROR] missing required field` message. */
export function requireArg(
  args: Obj,
  name: string,
  error: string = UNCONFIRMED.missingArgumentError,
): string {
  const v = argNonEmpty(args, name);
  if (v !== undefined) return v;
  throw new ApiError(error, {
    response_metadata: { messages: [`[ERROR] missing required field: ${name}`] },
  });
}
