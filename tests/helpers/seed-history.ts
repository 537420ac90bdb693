import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import type { DatabaseHandle } from "../../src/db/client.ts";
import type { ActorFacts } from "../../src/domain/permissions.ts";
import type { ThreadAction } from "../../src/domain/thread-lifecycle.ts";
import { silentLogger } from "../../src/logger.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { sweepTimers } from "../../src/services/sweep-timers.ts";
import { transitionThread } from "../../src/services/thread-transition.ts";
import type { FakeClock } from "./fake-clock.ts";
import { PEOPLE } from "./workspace-fixture.ts";

/** Who acts in the seeded history, as the permission check sees them. */
const ACTORS: Record<string, ActorFacts> = {
  alice: { userId: PEOPLE.alice, isAdmin: false, leads: [], memberOf: ["service", "baggage"] },
  bob: { userId: PEOPLE.bob, isAdmin: false, leads: [], memberOf: ["baggage"] },
  lead: { userId: PEOPLE.lead, isAdmin: false, leads: ["service", "baggage", "pr"], memberOf: [] },
};

export interface SeededHistory {
  /** service, P3: claimed 30 min, answered 60 min, customer wrote again, answered in 30 min. */
  a: string;
  /** baggage (office hours), P3: opened 16:40 Monday, claimed 09:10 Tuesday, handed to service. */
  b: string;
  /** service, P1: never claimed; claim, first response and resolution breached. */
  c: string;
  /** service, P3: dismissed as spam after 10 min. */
  d: string;
}

/**
 * One history, written through the real services with a fake clock, the way the bot would:
 * Monday 30 November and Tuesday 1 December 2026 (London is on GMT, so local = UTC). The
 * figures tests work out what it should give by hand; see tests/integration/figures.test.ts.
 */
export async function seedHistory(
  db: DatabaseHandle,
  config: WorkspaceConfig,
  clock: FakeClock,
): Promise<SeededHistory> {
  const ctx = (actor: ServiceContext["actor"] = { type: "system" }): ServiceContext => ({
    db,
    clock,
    logger: silentLogger,
    actor,
  });
  const at = (iso: string) => clock.set(iso);
  const ingest = async (body: Record<string, unknown>) =>
    (
      await ingestComplaint(ctx({ type: "intake", token: "token#1" }), config, {
        source: "twitter",
        ...body,
      })
    ).threadId;
  const act = async (who: keyof typeof ACTORS, threadId: string, action: ThreadAction) => {
    const actor = ACTORS[who] as ActorFacts;
    const outcome = await transitionThread(ctx({ type: "slack", userId: actor.userId }), config, {
      threadId,
      action,
      actor,
    });
    if (!outcome.ok) throw new Error(`${who} could not ${action.type}: ${outcome.reason}`);
  };
  const sweep = () => sweepTimers(ctx(), config);
  const reply = { kind: "public" as const, url: "https://x.com/skyline/status/1" };

  at("2026-11-30T09:00:00Z");
  const a = await ingest({
    externalId: "seed-a",
    conversationId: "conv-a",
    text: "Nobody answers the phone",
  });
  at("2026-11-30T09:20:00Z");
  const c = await ingest({ externalId: "seed-c", text: "I was injured at the gate" });
  at("2026-11-30T09:26:00Z");
  await sweep(); // C's claim breached at 09:25
  at("2026-11-30T09:30:00Z");
  await act("alice", a, { type: "claim", by: PEOPLE.alice });
  at("2026-11-30T09:36:00Z");
  await sweep(); // C's first response breached at 09:35
  at("2026-11-30T10:00:00Z");
  await act("alice", a, { type: "respond", reply, by: PEOPLE.alice });
  at("2026-11-30T12:00:00Z");
  const d = await ingest({ externalId: "seed-d", text: "Buy cheap followers now" });
  at("2026-11-30T12:10:00Z");
  await act("lead", d, { type: "dismiss", reason: "spam", by: PEOPLE.lead });
  at("2026-11-30T13:00:00Z");
  await ingest({
    externalId: "seed-a2",
    conversationId: "conv-a",
    text: "Still waiting for my refund",
  });
  at("2026-11-30T13:30:00Z");
  await act("alice", a, { type: "respond", reply, by: PEOPLE.alice });
  await sweep(); // C's resolution breached at 13:20
  at("2026-11-30T16:40:00Z");
  const b = await ingest({ externalId: "seed-b", text: "I have a lost bag in Denver" });
  at("2026-12-01T09:10:00Z");
  await act("bob", b, { type: "claim", by: PEOPLE.bob });
  at("2026-12-01T09:20:00Z");
  await act("lead", b, { type: "hand_over_department", to: "service", by: PEOPLE.lead });
  at("2026-12-01T10:00:00Z");
  await act("alice", b, { type: "claim", by: PEOPLE.alice });
  at("2026-12-01T11:00:00Z");
  await act("alice", b, { type: "respond", reply, by: PEOPLE.alice });
  await sweep();
  return { a, b, c, d };
}

/** Closes every thread of the history (so no clock is left running). */
export async function resolveAll(
  db: DatabaseHandle,
  config: WorkspaceConfig,
  clock: FakeClock,
  history: SeededHistory,
): Promise<void> {
  const actor = ACTORS.lead as ActorFacts;
  for (const threadId of [history.a, history.b, history.c]) {
    const outcome = await transitionThread(
      { db, clock, logger: silentLogger, actor: { type: "slack", userId: actor.userId } },
      config,
      { threadId, action: { type: "resolve", by: actor.userId }, actor },
    );
    if (!outcome.ok) throw new Error(outcome.reason);
  }
}
