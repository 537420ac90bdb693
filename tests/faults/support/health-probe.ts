import type { FaultBot } from "./bots.ts";
import { sleep } from "./wait.ts";

/** One GET /healthz as the prober saw it. */
export interface Probe {
  bot: string;
  at: number;
  ms: number;
  /** HTTP status, or "timeout" / "network". */
  status: number | "timeout" | "network";
  /** The body's `status`: ok, degraded or down. */
  says?: string;
  /** The body's `slack.state`. */
  slack?: string;
}

/** Longer than /healthz's promised 2 s, so a slow answer is measured rather than cut off. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * Asks every live bot's /healthz every `everyMs` until stopped, the way a load balancer or
 * an uptime monitor does, and keeps every answer with its timing.
 */
export class HealthProber {
  readonly probes: Probe[] = [];
  private running = true;
  private readonly loop: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly bots: () => readonly FaultBot[],
    everyMs = 250,
  ) {
    this.loop = (async () => {
      while (this.running) {
        for (const bot of this.bots().filter((b) => b.alive)) {
          const probe = this.probe(bot);
          this.inFlight.add(probe);
          void probe.finally(() => this.inFlight.delete(probe));
        }
        await sleep(everyMs);
      }
    })();
  }

  async stop(): Promise<Probe[]> {
    this.running = false;
    await this.loop;
    await Promise.all(this.inFlight);
    return this.probes;
  }

  private async probe(bot: FaultBot): Promise<void> {
    const at = Date.now();
    try {
      const res = await fetch(`${bot.url}/healthz`, {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      const body = (await res.json().catch(() => ({}))) as {
        status?: string;
        slack?: { state?: string };
      };
      this.probes.push({
        bot: bot.name,
        at,
        ms: Date.now() - at,
        status: res.status,
        ...(body.status ? { says: body.status } : {}),
        ...(body.slack?.state ? { slack: body.slack.state } : {}),
      });
    } catch (error) {
      const timeout = (error as Error).name === "TimeoutError";
      this.probes.push({
        bot: bot.name,
        at,
        ms: Date.now() - at,
        status: timeout ? "timeout" : "network",
      });
    }
  }
}
