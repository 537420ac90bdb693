import type { App } from "@slack/bolt";
import type { Logger } from "../logger.ts";
import { type Clock, systemClock } from "../services/context.ts";
import { classifySlackError } from "./slack-errors.ts";

/** Where the bot stands with Slack, for /healthz. */
export interface SlackStatus {
  /** connecting: first try under way; unreachable: Slack failed to answer, retrying. */
  state: "connecting" | "connected" | "unreachable" | "refused";
  since: Date;
  /** Slack's error, or the HTTP/network failure, of the last failed try. */
  error?: string;
}

/** Slack refused the bot's token: retrying will not help; the operator must fix it. */
export class SlackRefusedError extends Error {
  constructor(readonly slackError: string) {
    super(`Slack refused SLACK_BOT_TOKEN (${slackError})`);
    this.name = "SlackRefusedError";
  }
}

export interface SlackConnectionOptions {
  /** Checks the token (auth.test) and, in Socket Mode, opens the socket. */
  connect: () => Promise<void>;
  logger: Logger;
  clock?: Clock;
  /** First wait between tries while Slack is unreachable; doubles up to maxRetryMs. */
  baseRetryMs?: number;
  maxRetryMs?: number;
}

/**
 * Connects the Slack app without making Slack's availability a condition of starting:
 * a deploy during a Slack outage still takes complaints (the outbox keeps their cards).
 * Slack answering 5xx, 429 or not at all is retried in the background with backoff; a
 * definitive refusal (invalid_auth, account_inactive, token_revoked…) is reported at once.
 */
export class SlackConnection {
  private current: SlackStatus;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly refusedListeners: Array<(error: SlackRefusedError) => void> = [];
  private readonly connectedListeners: Array<() => void> = [];
  private everConnected = false;

  constructor(private readonly o: SlackConnectionOptions) {
    this.current = { state: "connecting", since: this.now() };
  }

  private now(): Date {
    return (this.o.clock ?? systemClock).now();
  }

  /** Builds one for a Bolt app: auth.test, then in Socket Mode the socket. */
  static forApp(app: App, socketMode: boolean, options: Omit<SlackConnectionOptions, "connect">) {
    return new SlackConnection({
      ...options,
      connect: async () => {
        await app.init();
        if (socketMode) await app.start();
      },
    });
  }

  get status(): SlackStatus {
    return this.current;
  }

  /**
   * The first try. Resolves whether Slack answered or not (it keeps trying); rejects with
   * SlackRefusedError when Slack refused the token.
   */
  async start(): Promise<void> {
    const refusal = await this.attempt(0);
    if (refusal) throw refusal;
  }

  /** Called once, the first time Slack answers (at start, or on a later try). */
  onFirstConnected(listener: () => void): void {
    this.connectedListeners.push(listener);
  }

  /** Called if Slack refuses the token on a later try (the first one rejects start()). */
  onRefused(listener: (error: SlackRefusedError) => void): void {
    this.refusedListeners.push(listener);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async attempt(tries: number): Promise<SlackRefusedError | null> {
    try {
      await this.o.connect();
      this.set({ state: "connected" });
      if (tries > 0) this.o.logger.info("slack.connected", { tries: tries + 1 });
      if (!this.everConnected) {
        this.everConnected = true;
        for (const listener of this.connectedListeners) listener();
      }
      return null;
    } catch (error) {
      const failure = classifySlackError(error);
      if (failure.type === "permanent") {
        this.set({ state: "refused", error: failure.error });
        return new SlackRefusedError(failure.error);
      }
      this.set({ state: "unreachable", error: failure.error });
      const base = this.o.baseRetryMs ?? 1_000;
      const delay = Math.min(this.o.maxRetryMs ?? 60_000, base * 2 ** tries);
      this.o.logger.warn("slack.unreachable", { error: failure.error, retryInMs: delay });
      if (!this.stopped) this.timer = setTimeout(() => void this.retry(tries + 1), delay);
      return null;
    }
  }

  private async retry(tries: number): Promise<void> {
    if (this.stopped) return;
    const refusal = await this.attempt(tries);
    if (refusal) for (const listener of this.refusedListeners) listener(refusal);
  }

  private set(status: Omit<SlackStatus, "since">): void {
    const since = status.state === this.current.state ? this.current.since : this.now();
    this.current = { ...status, since };
  }
}
