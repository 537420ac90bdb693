import type { FaultBot } from "./bots.ts";
import { FAULT_TOKEN } from "./bots.ts";
import { sleep } from "./wait.ts";

/** One HTTP attempt at filing a complaint, as the sender saw it. */
export interface Attempt {
  /** When it was sent and how long the answer took (ms since the epoch; ms). */
  at: number;
  ms: number;
  /** HTTP status, or what happened instead. */
  status: number | "network" | "timeout";
  retryAfter: string | null;
}

/** An intake body with the id the audit follows it by. */
export interface Complaint {
  externalId: string;
  body: Record<string, unknown>;
}

/** A request with no answer after this long counts as a hang (and is retried). */
const HANG_MS = 30_000;

/**
 * Files complaints the way a well-behaved integration does: each one until it is accepted,
 * honouring Retry-After on a 503, moving to another bot when one does not answer, and
 * sending the very same body again (a resend is safe: the same externalId is a duplicate).
 * It keeps every attempt, so the suite can judge how intake answered during a fault.
 */
export class Sender {
  readonly attempts: Attempt[] = [];
  /** externalId → complaintId of each accepted complaint (202). */
  readonly accepted = new Map<string, string>();
  /** externalId → status of complaints refused with a 4xx (none expected). */
  readonly refused = new Map<string, number>();
  private next = 0;

  constructor(private readonly bots: () => readonly FaultBot[]) {}

  /** Files one complaint; resolves once a bot accepted or refused it. */
  async file(complaint: Complaint): Promise<void> {
    for (;;) {
      const live = this.bots().filter((b) => b.alive);
      const bot = live[this.next++ % Math.max(1, live.length)];
      if (!bot) {
        await sleep(100);
        continue;
      }
      const attempt = await this.post(bot, complaint.body);
      this.attempts.push(attempt.record);
      const { status } = attempt.record;
      if (status === 202) {
        this.accepted.set(complaint.externalId, attempt.complaintId ?? "");
        return;
      }
      if (typeof status === "number" && status >= 400 && status < 500) {
        this.refused.set(complaint.externalId, status);
        return;
      }
      const retryAfter = Number(attempt.record.retryAfter);
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 250);
    }
  }

  /**
   * Files `count` complaints from `make`, `concurrency` at a time, starting at most
   * `perSecond` a second when given, and none once `stop` says so. `onProgress` runs after
   * each is settled.
   */
  async fileMany(
    count: number,
    make: (i: number) => Complaint,
    options: {
      concurrency: number;
      perSecond?: number;
      onProgress?: () => void;
      stop?: () => boolean;
    },
  ): Promise<void> {
    let index = 0;
    const gap = options.perSecond ? 1000 / options.perSecond : 0;
    let nextStart = Date.now();
    const worker = async () => {
      while (index < count && !options.stop?.()) {
        const i = index++;
        if (gap > 0) {
          const wait = nextStart - Date.now();
          nextStart = Math.max(nextStart, Date.now()) + gap;
          if (wait > 0) await sleep(wait);
        }
        await this.file(make(i));
        options.onProgress?.();
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
  }

  private async post(
    bot: FaultBot,
    body: unknown,
  ): Promise<{ record: Attempt; complaintId?: string }> {
    const at = Date.now();
    try {
      const res = await fetch(`${bot.url}/api/v1/complaints`, {
        method: "POST",
        headers: { authorization: `Bearer ${FAULT_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(HANG_MS),
      });
      const json = (await res.json().catch(() => null)) as { complaintId?: string } | null;
      return {
        record: {
          at,
          ms: Date.now() - at,
          status: res.status,
          retryAfter: res.headers.get("retry-after"),
        },
        ...(json?.complaintId ? { complaintId: json.complaintId } : {}),
      };
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      return {
        record: {
          at,
          ms: Date.now() - at,
          status: timedOut ? "timeout" : "network",
          retryAfter: null,
        },
      };
    }
  }
}
