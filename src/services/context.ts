import type { DatabaseHandle } from "../db/client.ts";
import type { Logger } from "../logger.ts";

/** Where "now" comes from; tests pass a fake one so SLA and retry timing is exact. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Who asked for a change: recorded on every event in the thread's log. */
export type Actor =
  | { type: "intake"; token: string }
  | { type: "slack"; userId: string }
  | { type: "system" };

/** Renders an actor as stored in the event log: "intake:<token label>", "slack:U123", "system". */
export function describeActor(actor: Actor): string {
  switch (actor.type) {
    case "intake":
      return `intake:${actor.token}`;
    case "slack":
      return `slack:${actor.userId}`;
    case "system":
      return "system";
  }
}

/** Everything a service needs, built by each adapter (HTTP, Slack, jobs). */
export interface ServiceContext {
  db: DatabaseHandle;
  clock: Clock;
  logger: Logger;
  actor: Actor;
}
