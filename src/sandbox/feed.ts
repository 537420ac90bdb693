import { randomBytes } from "node:crypto";
import { z } from "zod";
import { type ComplaintBody, complaintBody, type SampleEntry, samplePosts } from "./sample-feed.ts";

/**
 * The page's feed panel: complaints typed by hand and the sample feed replayed at a chosen
 * pace, both sent to the bot's real intake API with its bearer token, as a social-listening
 * tool would send them.
 */

/** The paces the page offers: milliseconds between two posts. */
export const REPLAY_PACES = { slow: 10_000, steady: 3000, fast: 1000, burst: 250 } as const;
export type ReplayPace = keyof typeof REPLAY_PACES;

/** A complaint typed into the feed panel. */
export const HandPost = z.object({
  source: z.string().trim().min(1).max(64),
  handle: z.string().trim().min(1).max(100),
  name: z.string().trim().max(100).optional(),
  followers: z.coerce.number().int().min(0).optional(),
  verified: z.boolean().optional(),
  text: z.string().trim().min(1).max(20_000),
  /** To post a follow-up: the conversation of an earlier post. */
  conversationId: z.string().trim().max(256).optional(),
});

/** The intake API's answer, passed to the page. */
export interface IntakeAnswer {
  status: number;
  body: unknown;
}

/** What the replay is doing, for the page's progress line. */
export interface ReplayStatus {
  state: "idle" | "running" | "done" | "stopped";
  pace?: ReplayPace | undefined;
  sent: number;
  total: number;
  duplicates: number;
  rejected: number;
  /** The last answer that was not a 202, if any. */
  lastProblem?: string | undefined;
}

/** Posts to the bot's intake API. */
export class IntakeClient {
  constructor(
    private readonly botUrl: string,
    private readonly token: string,
  ) {}

  async post(
    body: ComplaintBody | Record<string, unknown>,
    path = "/api/v1/complaints",
  ): Promise<IntakeAnswer> {
    const res = await fetch(`${this.botUrl}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: pass the text on
    }
    return { status: res.status, body: parsed };
  }

  /** A complaint typed by hand; its id is new each time (it is a new post). */
  postByHand(raw: unknown, now: Date): Promise<IntakeAnswer> {
    const p = HandPost.parse(raw);
    const externalId = `hand-${now.getTime()}-${randomBytes(3).toString("hex")}`;
    return this.post({
      source: p.source.toLowerCase(),
      externalId,
      text: p.text,
      author: {
        handle: p.handle.replace(/^@/, ""),
        ...(p.name ? { name: p.name } : {}),
        ...(p.followers === undefined ? {} : { followers: p.followers }),
        ...(p.verified === undefined ? {} : { verified: p.verified }),
      },
      conversationId: p.conversationId || externalId,
      postedAt: now.toISOString(),
    });
  }
}

/**
 * Replays the sample feed, one post every `pace`, each answer counted. Ids carry a tag new to
 * each replay, so a second replay files new posts; a repeat inside the sample is a duplicate.
 */
export class FeedReplay {
  private timer: NodeJS.Timeout | undefined;
  private queue: ComplaintBody[] = [];
  private current: ReplayStatus = { state: "idle", sent: 0, total: 0, duplicates: 0, rejected: 0 };

  constructor(
    private readonly intake: IntakeClient,
    private readonly sample: readonly SampleEntry[],
    private readonly onStatus: (status: ReplayStatus) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get status(): ReplayStatus {
    return { ...this.current };
  }

  /** Starts (or restarts at a new pace, from where it was). */
  start(pace: ReplayPace): void {
    if (this.current.state !== "running" || this.queue.length === 0) {
      const tag = `r${this.now().getTime().toString(36)}`;
      this.queue = samplePosts(this.sample).map((post) => complaintBody(post, tag, this.now()));
      this.current = {
        state: "running",
        pace,
        sent: 0,
        total: this.queue.length,
        duplicates: 0,
        rejected: 0,
      };
    }
    this.current.pace = pace;
    this.current.state = "running";
    this.schedule(0);
    this.onStatus(this.status);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.current.state === "running") this.current.state = "stopped";
    this.queue = [];
    this.onStatus(this.status);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.next(), delayMs);
    this.timer.unref();
  }

  private async next(): Promise<void> {
    this.timer = undefined;
    const body = this.queue.shift();
    if (!body || this.current.state !== "running") return;
    try {
      const answer = await this.intake.post({ ...body, postedAt: this.now().toISOString() });
      this.count(answer);
    } catch (error) {
      this.current.rejected += 1;
      this.current.lastProblem = `The intake API did not answer: ${(error as Error).message}`;
    }
    this.current.sent += 1;
    if (this.current.state !== "running") return;
    if (this.queue.length === 0) this.current.state = "done";
    else this.schedule(REPLAY_PACES[this.current.pace ?? "steady"]);
    this.onStatus(this.status);
  }

  private count(answer: IntakeAnswer): void {
    const body = answer.body as { duplicate?: boolean; error?: { message?: string } } | undefined;
    if (answer.status === 202 && body?.duplicate) this.current.duplicates += 1;
    if (answer.status !== 202) {
      this.current.rejected += 1;
      this.current.lastProblem = `HTTP ${answer.status}: ${body?.error?.message ?? JSON.stringify(answer.body)}`;
    }
  }
}
