import { isObj, type Obj } from "./args.ts";
import type { ElementRef } from "./block-kit/interactive.ts";
import {
  checkCommandDelivered,
  checkInteractivity,
  checkUserActive,
  checkUserSees,
  eventRefusal,
} from "./deliveries.ts";
import { HttpTransport } from "./driver-http.ts";
import {
  commandFields,
  eventEnvelope,
  interactionBase,
  messageActionPayload,
  messageEvent,
  VERIFICATION_TOKEN,
  viewActionPayload,
} from "./driver-payloads.ts";
import {
  buttonAction,
  locateElement,
  locateTarget,
  messageStateValues,
  rememberViewSelection,
  selectionAction,
  type Target,
  type TargetRef,
  targetBlocks,
} from "./driver-targets.ts";
import type {
  DriverResponse,
  DriverTransport,
  InboundRequest,
  SignOptions,
} from "./driver-transport.ts";
import { ACK_DEADLINE_MS, UNCONFIRMED } from "./limits.ts";
import { storeMessage } from "./message-store.ts";
import { applyResponse, issueResponseUrl, showOperationTimeout } from "./response-urls.ts";
import type { DoubleState } from "./state.ts";
import { submissionValues } from "./submission-values.ts";
import type { StoredMessage } from "./types.ts";
import { issueTrigger, slackView } from "./view-store.ts";
import {
  applySubmissionAck,
  closeView,
  lateSubmission,
  type SubmissionOutcome,
} from "./view-submission.ts";

/** The answer to an interaction, with the payload sent and the handles it carried. */
export interface InteractionResponse extends DriverResponse {
  payload: Obj;
  triggerId: string;
  /** Absent for interactions inside views (Slack sends no response_url there). */
  responseUrl?: string;
}

/** One request the driver sent. */
export interface DriverRecord {
  kind: string;
  at: number;
  status: number;
  ackMs: number;
  late: boolean;
}

/**
 * Sends Slack's requests to the app: slash commands, block actions, view submissions and
 * events, built from what the double stores, either signed over HTTP or as Socket Mode
 * envelopes (the transport). Either way the ack must come within Slack's 3 seconds.
 */
export class SlackDriver {
  /** Every request sent, with its ack time. */
  readonly requests: DriverRecord[] = [];

  constructor(
    private readonly state: DoubleState,
    private readonly transport: DriverTransport,
  ) {}

  /** "http" or "socket". */
  get mode(): DriverTransport["mode"] {
    return this.transport.mode;
  }

  /** Requests whose ack took longer than 3 s. */
  get lateAcks(): DriverRecord[] {
    return this.requests.filter((r) => r.late);
  }

  private async send(request: InboundRequest, opts: SignOptions = {}): Promise<DriverResponse> {
    const sentAt = this.state.now();
    return this.record(request.kind, await this.transport.send(request, opts), sentAt);
  }

  /**
   * Records an ack. It is late when it took over 3 s of real time, or when the double's clock
   * (a test's fake clock) moved past 3 s while the app held the request.
   */
  private record(kind: string, r: DriverResponse, sentAt: number): DriverResponse {
    const late = r.late || this.state.now() - sentAt > ACK_DEADLINE_MS;
    this.requests.push({ kind, at: Date.now(), status: r.status, ackMs: r.ackMs, late });
    return { ...r, late };
  }

  private postPayload(kind: string, payload: Obj, opts?: SignOptions): Promise<DriverResponse> {
    return this.send({ kind, type: "interactive", payload }, opts);
  }

  /** Invokes a slash command; a message in the ack body is shown like Slack would. */
  async slashCommand(
    p: { command: string; text?: string; userId: string; channelId: string },
    opts?: SignOptions,
  ) {
    const channel = this.state.channels.get(p.channelId);
    if (!channel) throw new Error(`unknown channel ${p.channelId}`);
    checkCommandDelivered(this.state, p.command);
    checkUserActive(this.state, p.userId);
    checkUserSees(this.state, p.userId, channel);
    await this.transport.ready();
    const responseUrl = issueResponseUrl(this.state, { channelId: channel.id, userId: p.userId });
    const triggerId = issueTrigger(this.state, p.userId);
    const payload = commandFields(
      this.state,
      { ...p, text: p.text ?? "", channel },
      { responseUrl, triggerId },
    );
    const res = await this.send({ kind: "slash_command", type: "slash_commands", payload }, opts);
    if (res.late) showOperationTimeout(this.state, responseUrl, p);
    else if (res.status === 200) this.showAckMessage(responseUrl, res);
    return { ...res, payload, responseUrl, triggerId };
  }

  /** A slash command's ack may carry a message: ephemeral unless response_type is in_channel. */
  private showAckMessage(responseUrl: string, res: DriverResponse): void {
    const id = responseUrl.split("/").at(-1) ?? "";
    const rec = this.state.responseUrls.get(id);
    if (!rec || res.body.trim() === "") return;
    const message = isObj(res.json) ? res.json : { text: res.body };
    const hasContent = message.text !== undefined || message.blocks !== undefined;
    if (hasContent) applyResponse(this.state, rec, message, "ack");
  }

  /** Clicks a button in a stored message (or open view), building block_actions from it. */
  async clickButton(
    p: TargetRef & { actionId: string; blockId?: string; value?: string },
    opts?: SignOptions,
  ): Promise<InteractionResponse> {
    checkInteractivity(this.state);
    checkUserActive(this.state, p.userId);
    await this.transport.ready();
    const target = locateTarget(this.state, p);
    const ref = locateElement(targetBlocks(target), { ...p, types: ["button"] });
    return this.sendAction(p.userId, target, ref, buttonAction(ref, this.state.ids.ts()), opts);
  }

  /**
   * Picks a value in a static_select, overflow, radio_buttons, checkboxes, users/conversations
   * select or datepicker (value: option value, id, date, or a list for checkboxes).
   */
  async selectOption(
    p: TargetRef & { actionId: string; blockId?: string; value: unknown },
    opts?: SignOptions,
  ): Promise<InteractionResponse> {
    checkInteractivity(this.state);
    checkUserActive(this.state, p.userId);
    await this.transport.ready();
    const target = locateTarget(this.state, p);
    const types = [
      "static_select",
      "overflow",
      "radio_buttons",
      "checkboxes",
      "users_select",
      "conversations_select",
      "channels_select",
      "datepicker",
      "multi_static_select",
      "multi_users_select",
    ];
    const ref = locateElement(targetBlocks(target), {
      actionId: p.actionId,
      ...(p.blockId === undefined ? {} : { blockId: p.blockId }),
      types,
    });
    const action = selectionAction(ref, p.value, this.state.ids.ts());
    if (target.kind === "view") rememberViewSelection(target.view, ref, action);
    return this.sendAction(p.userId, target, ref, action, opts);
  }

  private async sendAction(
    userId: string,
    target: Target,
    ref: ElementRef,
    action: Obj,
    opts?: SignOptions,
  ): Promise<InteractionResponse> {
    if (target.kind === "view") {
      const triggerId = issueTrigger(this.state, userId, target.view.id);
      const payload = viewActionPayload(
        this.state,
        { userId, view: target.view, action },
        triggerId,
      );
      return { ...(await this.postPayload("block_actions", payload, opts)), payload, triggerId };
    }
    const m: StoredMessage = target.message;
    const ephemeral = m.ephemeralTo !== undefined;
    const source = { channel: m.channel, ts: m.ts, ephemeral };
    const responseUrl = issueResponseUrl(this.state, {
      channelId: m.channel,
      userId,
      message: source,
    });
    const triggerId = issueTrigger(this.state, userId);
    const values = messageStateValues(m, ref, action);
    const include = !ephemeral || UNCONFIRMED.ephemeralActionIncludesMessage;
    const payload = messageActionPayload(
      this.state,
      { userId, message: m, action, values },
      { responseUrl, triggerId },
      include,
    );
    return {
      ...(await this.postPayload("block_actions", payload, opts)),
      payload,
      responseUrl,
      triggerId,
    };
  }

  /** Submits an open modal; the ack's response_action is applied to the stored views. */
  async submitView(
    p: {
      viewId: string;
      userId: string;
      values?: Record<string, Record<string, unknown>>;
      skipClientChecks?: boolean;
    },
    opts?: SignOptions,
  ): Promise<DriverResponse & { payload: Obj; outcome: SubmissionOutcome }> {
    checkInteractivity(this.state);
    checkUserActive(this.state, p.userId);
    await this.transport.ready();
    const target = locateTarget(this.state, p);
    if (target.kind !== "view" || target.view.type !== "modal")
      throw new Error(`${p.viewId} is not a modal`);
    const view = target.view;
    view.state.values = submissionValues(view, p.values ?? {}, p.skipClientChecks === true);
    const payload = {
      ...interactionBase(this.state, "view_submission", p.userId),
      trigger_id: issueTrigger(this.state, p.userId, view.id),
      view: slackView(view),
      response_urls: [],
    };
    const res = await this.postPayload("view_submission", payload, opts);
    const outcome = res.late
      ? lateSubmission()
      : applySubmissionAck(this.state, view, res.status, res.json);
    return { ...res, payload, outcome };
  }

  /** The user closes a modal: view_closed is sent only when notify_on_close is set. */
  async closeView(
    p: { viewId: string; userId: string },
    opts?: SignOptions,
  ): Promise<DriverResponse | undefined> {
    checkInteractivity(this.state);
    checkUserActive(this.state, p.userId);
    await this.transport.ready();
    const target = locateTarget(this.state, p);
    if (target.kind !== "view" || target.view.type !== "modal") {
      throw new Error(`${p.viewId} is not a modal`);
    }
    const view = target.view;
    const root = this.state.views.find((v) => v.id === view.root_view_id) ?? view;
    // A pushed view's close button goes back one view unless clear_on_close is set.
    if (root === view || view.clear_on_close) closeView(this.state, root);
    else view.isOpen = false;
    if (!view.notify_on_close) return undefined;
    const payload = {
      ...interactionBase(this.state, "view_closed", p.userId),
      view: slackView(view),
      is_cleared: false,
    };
    return this.postPayload("view_closed", payload, opts);
  }

  /** Delivers an event in an event_callback envelope; retries keep the event_id. */
  async sendEvent(
    event: Obj,
    opts: SignOptions & { eventId?: string; retryNum?: number; retryReason?: string } = {},
  ) {
    const refused = eventRefusal(this.state, event);
    if (refused) throw new Error(refused);
    await this.transport.ready();
    const eventId = opts.eventId ?? this.state.ids.next("Ev");
    const full = { event_ts: this.state.ids.ts(), ...event };
    const payload = eventEnvelope(this.state, full, eventId);
    const { eventId: _e, retryNum, retryReason, ...sign } = opts;
    const retry =
      retryNum === undefined ? undefined : { num: retryNum, reason: retryReason ?? "http_timeout" };
    const request = { kind: "event_callback", type: "events_api" as const, payload };
    const res = await this.send(retry ? { ...request, retry } : request, sign);
    return { ...res, payload, eventId };
  }

  /** The user opens the app's Home tab: a signed `app_home_opened` event with their Home view, if any. */
  async appHomeOpened(p: { userId: string; tab?: "home" | "messages" }, opts?: SignOptions) {
    checkUserActive(this.state, p.userId);
    const im = [...this.state.channels.values()].find((c) => c.isIm && c.imUser === p.userId);
    const home = this.state.views.find((v) => v.type === "home" && v.userId === p.userId);
    const event = {
      type: "app_home_opened",
      user: p.userId,
      channel: im?.id ?? `D${p.userId.slice(1)}`,
      tab: p.tab ?? "home",
      ...(home ? { view: slackView(home) } : {}),
    };
    return this.sendEvent(event, opts);
  }

  /**
   * A user posts a message (stored in the double). Its `message` event is delivered when Slack
   * would deliver it (the app subscribes to it and the bot is in the conversation); otherwise
   * `notDelivered` says why and nothing is sent.
   */
  async userMessage(
    p: { channelId: string; userId: string; text: string; threadTs?: string },
    opts?: SignOptions & { eventId?: string },
  ) {
    checkUserActive(this.state, p.userId);
    const channel = this.state.channels.get(p.channelId);
    if (channel) checkUserSees(this.state, p.userId, channel);
    const message = storeMessage(this.state, {
      channel: p.channelId,
      user: p.userId,
      text: p.text,
      ...(p.threadTs === undefined ? {} : { threadTs: p.threadTs }),
    });
    const event = messageEvent(this.state, message);
    const notDelivered = eventRefusal(this.state, event);
    if (notDelivered) return { message, notDelivered };
    return { ...(await this.sendEvent(event, opts)), message };
  }

  /** The url_verification handshake (signed, as Bolt checks signatures first); HTTP only. */
  async urlVerification(challenge: string, opts?: SignOptions): Promise<DriverResponse> {
    if (!(this.transport instanceof HttpTransport)) {
      throw new Error("Socket Mode apps have no Request URL to verify");
    }
    const body = JSON.stringify({ token: VERIFICATION_TOKEN, challenge, type: "url_verification" });
    const sentAt = this.state.now();
    return this.record(
      "url_verification",
      await this.transport.post(body, "application/json", opts),
      sentAt,
    );
  }
}
