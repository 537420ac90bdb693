import type { WebClient } from "@slack/web-api";
import { and, desc, eq, isNotNull, isNull, ne, notExists, or } from "drizzle-orm";
import type { Department, WorkspaceConfig } from "../config/workspace-types.ts";
import { headsUpChannelOf } from "../db/campaign-store.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { outbox, threads } from "../db/schema.ts";
import type { ActorFacts } from "../domain/permissions.ts";
import { type Logger, silentLogger } from "../logger.ts";
import { OUTBOX_KINDS } from "../services/outbox-kinds.ts";
import { SETUP_PROBLEM_KINDS, usergroupProblem } from "../services/setup-problem-subjects.ts";
import type { SetupProblems } from "./setup-problems.ts";
import { type SlackBusyError, slackBusyFrom } from "./slack-errors.ts";

/**
 * The user groups whose fallback to the channel was logged, per logger: a process has one
 * logger and several directories (listeners, deliveries), and the fallback is logged once a
 * group, not on every membership lookup.
 */
const warnedGroups = new WeakMap<Logger, Set<string>>();

interface Cached {
  at: number;
  members: Set<string>;
}

/**
 * Who someone is, for permission checks: admin, lead of which departments, member of which
 * (by the department's user group when it has one, else its channel). Membership comes from
 * Slack and is cached briefly, so a burst of clicks costs one lookup per channel.
 *
 * When Slack is busy (429) or does not answer, the lookup throws SlackBusyError rather than
 * guessing "not a member": the person is told to try again, and for Slack's Retry-After
 * nobody asks again, so a burst of clicks does not prolong the limit.
 */
export class ActorDirectory {
  private readonly cache = new Map<string, Cached>();
  private readonly busy = new Map<string, { until: number; error: SlackBusyError }>();

  constructor(
    private readonly client: WebClient,
    private readonly config: WorkspaceConfig,
    private readonly db: DatabaseHandle,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
    private readonly logger: Logger = silentLogger,
    /** Where a deleted user group is recorded for admins, and cleared once listed again. */
    private readonly setup?: SetupProblems,
  ) {}

  /**
   * Facts about a user. Membership is looked up only for `departments` (keys) when given:
   * a permission check needs just the thread's department, not a Slack call for every one.
   */
  async factsFor(userId: string, departments?: readonly string[]): Promise<ActorFacts> {
    const memberOf: string[] = [];
    const wanted = this.config.departments.filter(
      (d) => !departments || departments.includes(d.key),
    );
    for (const department of wanted) {
      const members = await this.membersOf(department);
      if (members.has(userId)) memberOf.push(department.key);
    }
    return {
      userId,
      isAdmin: this.config.admins.includes(userId),
      leads: this.config.departments.filter((d) => d.leads.includes(userId)).map((d) => d.key),
      memberOf,
    };
  }

  /** The user groups among `usergroups` that `userId` belongs to (cached like departments'). */
  async groupsOf(userId: string, usergroups: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (const group of usergroups) {
      if ((await this.cachedMembers(`group:${group}`, () => this.groupMembers(group))).has(userId))
        found.push(group);
    }
    return found;
  }

  /**
   * A member list, cached. A channel Slack will not list (deleted, private without the bot)
   * counts as empty, and that answer is cached too, so clicks do not hammer Slack with a
   * lookup that keeps failing. Slack busy (429, outage) is not an answer: it throws, and for
   * Retry-After the lookup is not tried again.
   */
  private async cachedMembers(source: string, load: () => Promise<Set<string>>) {
    const hit = this.cache.get(source);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.members;
    const held = this.busy.get(source);
    if (held && this.now() < held.until) throw held.error;
    const members = await load().catch((error: unknown) => {
      const busy = slackBusyFrom(error);
      if (!busy) return new Set<string>();
      if (busy.retryAfterMs !== undefined) {
        this.busy.set(source, { until: this.now() + busy.retryAfterMs, error: busy });
      }
      throw busy;
    });
    this.cache.set(source, { at: this.now(), members });
    return members;
  }

  private async membersOf(department: Department): Promise<Set<string>> {
    const source = department.usergroup
      ? `group:${department.usergroup}`
      : await this.channelIdOf(department);
    if (!source) return new Set();
    const { usergroup } = department;
    return this.cachedMembers(source, () =>
      usergroup ? this.departmentGroupMembers(department, usergroup) : this.channelMembers(source),
    );
  }

  /**
   * The department's user group, or, once an admin has deleted (disabled) that group in Slack
   * (no_such_subteam), its channel's members, as for a department without one: otherwise
   * nobody at all could claim, hand over or resolve the department's threads. Admins see it
   * under "Slack setup" until the group's members are listed again.
   */
  private async departmentGroupMembers(
    department: Department,
    usergroup: string,
  ): Promise<Set<string>> {
    try {
      const members = await this.groupMembers(usergroup);
      await this.setup?.clearNow(SETUP_PROBLEM_KINDS.usergroupGone, usergroup);
      return members;
    } catch (error) {
      if ((error as { data?: { error?: unknown } }).data?.error !== "no_such_subteam") throw error;
      this.warnGroupGone(department, usergroup);
      await this.setup?.recordNow(usergroupProblem(this.config, department, usergroup));
      const channel = await this.channelIdOf(department);
      return channel ? this.channelMembers(channel) : new Set();
    }
  }

  /**
   * Says once, where an operator looks (the logs), that a department's user group is gone and
   * its channel's members stand in, naming the key to fix in the workspace file.
   */
  private warnGroupGone(department: Department, usergroup: string): void {
    const warned = warnedGroups.get(this.logger) ?? new Set<string>();
    warnedGroups.set(this.logger, warned);
    if (warned.has(usergroup)) return;
    warned.add(usergroup);
    const key = `departments[${this.config.departments.indexOf(department)}].usergroup`;
    this.logger.warn("slack.usergroup_gone", {
      department: department.key,
      usergroup,
      fix: `Slack says user group ${usergroup} is deleted (no_such_subteam): until ${key} in the workspace file names a live group (or is removed), the members of the department's channel work its threads`,
    });
  }

  private async groupMembers(usergroup: string): Promise<Set<string>> {
    const res = await this.client.usergroups.users.list({ usergroup });
    return new Set(res.users ?? []);
  }

  private async channelMembers(channel: string): Promise<Set<string>> {
    const members = new Set<string>();
    let cursor: string | undefined;
    do {
      const res = await this.client.conversations.members({
        channel,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      for (const m of res.members ?? []) members.add(m);
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return members;
  }

  /**
   * A channel configured as "#name" has no id until Slack told us one: the id the department's
   * cards (or, before any card, its campaign heads-ups) were posted to. Only a card that is
   * where it belongs tells: a note of the department's praise sits in #kudos, whose members
   * are not the department's, and a thread handed over (or put on the desk) keeps its old
   * message until its new card is posted.
   */
  private async channelIdOf(department: Department): Promise<string | null> {
    if (!department.channel.startsWith("#")) return department.channel;
    const newCardWaits = this.db.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.threadId, threads.id),
          eq(outbox.kind, OUTBOX_KINDS.postCard),
          ne(outbox.status, "delivered"),
        ),
      );
    const [row] = await this.db.db
      .select({ channel: threads.slackChannel })
      .from(threads)
      .where(
        and(
          eq(threads.department, department.key),
          isNotNull(threads.slackChannel),
          or(isNull(threads.slackSurface), eq(threads.slackSurface, "card")),
          notExists(newCardWaits),
        ),
      )
      .orderBy(desc(threads.updatedAt))
      .limit(1);
    return row?.channel ?? (await headsUpChannelOf(this.db.db, department.key));
  }
}
