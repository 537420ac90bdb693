import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, type Obj } from "./args.ts";
import { parseArgs } from "./http-body.ts";
import { UNCONFIRMED } from "./limits.ts";
import { APP_METHODS } from "./methods/apps.ts";
import { CHAT_METHODS } from "./methods/chat.ts";
import { CONVERSATION_METHODS } from "./methods/conversations.ts";
import { FILE_METHODS } from "./methods/files.ts";
import { HISTORY_METHODS } from "./methods/history.ts";
import { type Method, type MethodContext, RateLimitedError } from "./methods/method.ts";
import { REACTION_METHODS } from "./methods/reactions.ts";
import { USER_METHODS } from "./methods/users.ts";
import { VIEW_METHODS } from "./methods/views.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { missingScope } from "./scopes.ts";
import type { DoubleState } from "./state.ts";

/** Every Web API method the double serves. */
export const METHODS: Record<string, Method> = {
  ...APP_METHODS,
  ...CHAT_METHODS,
  ...CONVERSATION_METHODS,
  ...HISTORY_METHODS,
  ...USER_METHODS,
  ...REACTION_METHODS,
  ...VIEW_METHODS,
  ...FILE_METHODS,
  "api.test": (args) => ({ args }),
};

/** Methods that need no token. */
const NO_AUTH = new Set(["api.test"]);
/** Methods that take the app-level token (xapp-…) rather than the bot token. */
const APP_TOKEN_METHODS = new Set(["apps.connections.open"]);

/** A one-off fault injected with failNext. */
export interface Fault {
  status?: number;
  error?: string;
  retryAfter?: number;
  /**
   * Slack does the call's work and answers, but the answer never reaches the caller: the
   * connection drops first (a timeout, a proxy or a network blip after Slack acted).
   */
  answerLost?: true;
}

interface Answer {
  status: number;
  body: Obj;
  headers?: Record<string, string>;
}

function rateLimited(retryAfterS: number): Answer {
  return {
    status: 429,
    body: { ok: false, error: "ratelimited" },
    headers: { "retry-after": String(retryAfterS) },
  };
}

function faultAnswer(fault: Fault): Answer {
  if (fault.retryAfter !== undefined || fault.status === 429) {
    return rateLimited(Math.max(1, Math.round(fault.retryAfter ?? 1)));
  }
  const status = fault.status ?? 200;
  return {
    status,
    body: { ok: false, error: fault.error ?? (status === 200 ? "fatal_error" : `http_${status}`) },
  };
}

function bearer(req: IncomingMessage, args: Obj): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  if (match?.[1]) return match[1];
  return typeof args.token === "string" && args.token !== "" ? args.token : undefined;
}

/** Answers /api/<method> calls: outages, faults, auth, rate limits, then the method itself. */
export class ApiRouter {
  outage: number | "network" | null = null;
  private readonly faults = new Map<string, Fault[]>();

  constructor(
    private readonly state: DoubleState,
    private readonly rate: RateLimiter,
  ) {}

  /** Queues `times` copies of a fault for the method's next calls. */
  failNext(method: string, fault: Fault, times: number): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(fault);
    this.faults.set(method, queue);
  }

  /** True when the method's next queued fault loses the answer (taken off the queue). */
  private takeLostAnswer(method: string): boolean {
    const queue = this.faults.get(method);
    if (!queue?.[0]?.answerLost) return false;
    queue.shift();
    return true;
  }

  /** Serves one Web API request and records it in state.calls. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    raw: Buffer,
  ): Promise<void> {
    const url = new URL(req.url ?? "/", "http://double");
    const parsed = await parseArgs(raw, req.headers["content-type"], url.searchParams);
    const token = bearer(req, parsed.args);
    const { token: _t, ...args } = parsed.args;
    const record = { method, args, token, at: this.state.now() };
    if (this.outage === "network") {
      this.state.calls.push({ ...record, status: 0, response: null });
      req.socket.destroy();
      return;
    }
    const lost = this.takeLostAnswer(method);
    const answer = this.answer(method, parsed.invalid, token, args);
    const retryAfter = answer.headers?.["retry-after"];
    this.state.calls.push({
      ...record,
      status: answer.status,
      response: answer.body,
      ...(retryAfter === undefined ? {} : { retryAfterS: Number(retryAfter) }),
      ...(lost ? { answerLost: true } : {}),
    });
    if (lost) {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, {
      "content-type": "application/json; charset=utf-8",
      ...answer.headers,
    });
    res.end(JSON.stringify(answer.body));
  }

  private answer(
    method: string,
    invalidJson: boolean,
    token: string | undefined,
    args: Obj,
  ): Answer {
    if (typeof this.outage === "number") {
      return { status: this.outage, body: { ok: false, error: UNCONFIRMED.outageError } };
    }
    const fault = this.faults.get(method)?.shift();
    if (fault) return faultAnswer(fault);
    if (invalidJson)
      return { status: 200, body: { ok: false, error: UNCONFIRMED.invalidJsonError } };
    const handler = METHODS[method];
    if (!handler)
      return { status: 200, body: { ok: false, error: "unknown_method", req_method: method } };
    const authError = NO_AUTH.has(method) ? undefined : this.tokenError(method, token);
    if (authError) return { status: 200, body: { ok: false, error: authError } };
    const scopeAnswer = this.scopeCheck(method, args);
    if (scopeAnswer) return scopeAnswer;
    const decision = this.rate.takeMethod(method);
    if (!decision.ok) return rateLimited(decision.retryAfterS);
    const answer = this.run(handler, args);
    return APP_TOKEN_METHODS.has(method) ? answer : this.withScopesHeader(answer);
  }

  /**
   * missing_scope, naming the scope needed and those the token has, for a call its token may
   * not make (SLACK.md §5 scopes, §9).
   */
  private scopeCheck(method: string, args: Obj): Answer | undefined {
    const needed = missingScope(this.state, method, args);
    if (needed === undefined) return undefined;
    const provided = (this.state.config.botScopes ?? []).join(",");
    return this.withScopesHeader({
      status: 200,
      body: { ok: false, error: "missing_scope", needed, provided },
    });
  }

  /** Slack tells the token's scopes in x-oauth-scopes (SLACK.md §5 transport facts). */
  private withScopesHeader(answer: Answer): Answer {
    const scopes = this.state.config.botScopes;
    if (scopes === null) return answer;
    return { ...answer, headers: { ...answer.headers, "x-oauth-scopes": scopes.join(",") } };
  }

  /** not_authed, invalid_auth, or not_allowed_token_type for the other kind of token. */
  private tokenError(method: string, token: string | undefined): string | undefined {
    if (token === undefined) return "not_authed";
    const { botToken, appToken } = this.state.config;
    const wanted = APP_TOKEN_METHODS.has(method) ? appToken : botToken;
    if (token === wanted) return undefined;
    return token === botToken || token === appToken ? "not_allowed_token_type" : "invalid_auth";
  }

  private run(handler: Method, args: Obj): Answer {
    const ctx: MethodContext = { state: this.state, rate: this.rate };
    try {
      return { status: 200, body: { ok: true, ...handler(args, ctx) } };
    } catch (err) {
      if (err instanceof ApiError)
        return { status: 200, body: { ok: false, error: err.error, ...err.extra } };
      if (err instanceof RateLimitedError) return rateLimited(err.retryAfterS);
      // A bug in the double itself: answer like Slack's own failures so the caller sees it.
      return { status: 500, body: { ok: false, error: "internal_error", detail: String(err) } };
    }
  }
}
