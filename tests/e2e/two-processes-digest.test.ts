import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { digests, outbox, timers } from "../../src/db/schema.ts";
import { addTimer } from "../../src/db/timer-store.ts";
import { replicaBench } from "../helpers/bot-replicas.ts";
import { eventually } from "../helpers/e2e-harness.ts";

const EXEC = "U0EXEC1";
const CONFIG = `
departments:
  - { key: service, name: Service, channel: C0SVC, leads: [U0LEAD] }
routing: { default: service, rules: [] }
sla:
  P1: { firstResponse: 1h }
  P2: { firstResponse: 1h }
  P3: { firstResponse: 1h }
  P4: { firstResponse: 1h }
executives:
  - { user: ${EXEC}, name: Ana Ruiz, timezone: Europe/London, digest: "08:00" }
`;

const bench = replicaBench({
  channels: [{ id: "C0SVC", name: "sb-service" }],
  users: [
    { id: "U0LEAD", name: "lead" },
    { id: EXEC, name: "ana" },
  ],
});

describe("two bot processes on one PostgreSQL", () => {
  it("send a digest that fell due while no bot ran once, not once each", async () => {
    const { double, db } = bench;
    // This morning's slot passed while nothing ran.
    const slot = new Date(Date.now() - 60_000);
    await addTimer(
      db.db,
      { type: "digest", id: EXEC },
      {
        key: slot.toISOString(),
        step: "send",
        target: EXEC,
        fireAt: slot,
        payload: { schedule: "08:00" },
      },
    );
    await bench.startReplicas({ count: 2, config: CONFIG, name: "two-digest" });
    const digestsInDm = () =>
      double
        .messages()
        .filter((m) => m.channel.startsWith("D") && m.text.startsWith("Switchboard digest"));
    await eventually(() => digestsInDm().length >= 1, "the digest", 30_000);
    // Both bots have swept since (each sweeps every second): the slot is fired, the next one planned.
    await eventually(async () => {
      const rows = await db.db.select().from(timers).where(eq(timers.subjectId, EXEC));
      return (
        rows.some((t) => t.status === "fired") &&
        rows.some((t) => t.status === "pending" && t.fireAt > slot)
      );
    }, "the schedule moved on");
    const recorded = await db.db.select().from(digests);
    expect(recorded).toHaveLength(1);
    const queued = await eventually(async () => {
      const rows = await db.db.select().from(outbox).where(eq(outbox.kind, "digest.send"));
      return rows.every((r) => r.status === "delivered") ? rows : null;
    }, "the delivery recorded");
    expect(queued).toHaveLength(1);
    expect(digestsInDm()).toHaveLength(1);
    expect(double.callsTo("files.getUploadURLExternal")).toHaveLength(1);
    const fired = (await db.db.select().from(timers).where(eq(timers.subjectId, EXEC))).filter(
      (t) => t.status === "fired",
    );
    expect(fired.map((t) => t.key)).toEqual([slot.toISOString()]);
  }, 90_000);
});
