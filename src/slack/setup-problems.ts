import type { DatabaseHandle, Executor } from "../db/client.ts";
import { queueHomePublishes } from "../db/home-refresh-store.ts";
import {
  clearProblem,
  openProblemKeys,
  type ProblemRecord,
  recordProblem,
} from "../db/integration-problem-store.ts";
import { type Logger, silentLogger } from "../logger.ts";

const keyOf = (kind: string, subject: string) => `${kind}\u0000${subject}`;

/**
 * The Slack setup problems open now (integration_problems), as this process knows them: a
 * problem is recorded where the bot meets it, and cleared when the same thing later works.
 * Successes are many and problems rare, so a success writes only when this process knows a
 * problem open for its subject: the set of open keys is loaded at start and kept up to date
 * here. Another replica's record is not in this set, so a success seen here does not clear it;
 * it stays open until a success that replica sees (or this one after a restart), which only
 * delays the clear. A clear inside a transaction that rolls back forgets the key all the
 * same: the row stays open until this process restarts, or meets the problem again.
 *
 * A problem opened or cleared here redraws the admins' Homes, which list them.
 */
export class SetupProblems {
  private readonly open = new Set<string>();

  constructor(
    private readonly db: DatabaseHandle,
    private readonly admins: readonly string[],
    private readonly now: () => Date,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Learns the problems open in the table (at start). */
  async load(): Promise<void> {
    for (const { kind, subject } of await openProblemKeys(this.db.db))
      this.open.add(keyOf(kind, subject));
  }

  /**
   * Records a problem, in `ex` (the transaction that settles what met it), in a savepoint:
   * failing to note it is logged, and never fails or undoes the work that met it.
   */
  async record(ex: Executor, problem: ProblemRecord | undefined): Promise<void> {
    if (!problem) return;
    const key = keyOf(problem.kind, problem.subject);
    await ex
      .transaction(async (savepoint) => {
        await recordProblem(savepoint, problem, this.now());
        if (!this.open.has(key)) await queueHomePublishes(savepoint, this.admins, this.now());
      })
      .then(() => this.open.add(key))
      .catch((error: unknown) => {
        this.logger.warn("setup_problem.record_failed", { kind: problem.kind, error });
      });
  }

  /** Clears a problem that this process knows open (in a savepoint); otherwise writes nothing. */
  async clear(ex: Executor, kind: string, subject: string): Promise<void> {
    const key = keyOf(kind, subject);
    if (!this.open.has(key)) return;
    await ex
      .transaction(async (savepoint) => {
        await clearProblem(savepoint, kind, subject, this.now());
        await queueHomePublishes(savepoint, this.admins, this.now());
      })
      .then(() => this.open.delete(key))
      .catch((error: unknown) => {
        this.logger.warn("setup_problem.clear_failed", { kind, error });
      });
  }

  /** True when this process knows the problem open. */
  isOpen(kind: string, subject: string): boolean {
    return this.open.has(keyOf(kind, subject));
  }

  /** The open subjects of one kind, for a success that clears by a part of the subject. */
  subjectsOf(kind: string): string[] {
    const prefix = keyOf(kind, "");
    return [...this.open].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }

  /** `record` in a transaction of its own, where nothing else is written (a membership lookup). */
  recordNow(problem: ProblemRecord | undefined): Promise<void> {
    return this.record(this.db.db, problem);
  }

  /** `clear` in a transaction of its own, where nothing else is written (a DM accepted). */
  clearNow(kind: string, subject: string): Promise<void> {
    return this.clear(this.db.db, kind, subject);
  }
}
