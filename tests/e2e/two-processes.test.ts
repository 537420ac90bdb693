import { describe, expect, it } from "vitest";
import { GENEROUS_RATE_LIMITS } from "../../src/slack-double/index.ts";
import { replicaBench, waitUntilSettled } from "../helpers/bot-replicas.ts";
import { eventually } from "../helpers/e2e-harness.ts";

/** SLA windows of seconds, so real timers fall due while the test watches. */
const CONFIG = `
departments:
  - { key: service, name: Service, channel: C0SVC, leads: [U0LEAD] }
routing: { default: service, rules: [] }
sla:
  P1: { firstResponse: 1h }
  P2: { firstResponse: 1h }
  P3: { claim: 2s, firstResponse: 4s }
  P4: { firstResponse: 1h }
escalation:
  warnings: [{ at: 50%, notify: thread }]
  breach: { notify: leads }
  escalate: []
`;

const bench = replicaBench({
  channels: [{ id: "C0SVC", name: "sb-service" }],
  users: [{ id: "U0LEAD", name: "lead" }],
  rateLimits: GENEROUS_RATE_LIMITS,
});

describe("two bot processes on one PostgreSQL", () => {
  it("send every nudge exactly once", async () => {
    const { double, db } = bench;
    const replicas = await bench.startReplicas({ count: 2, config: CONFIG, name: "two" });
    const { ports, token } = replicas;
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`http://127.0.0.1:${ports[i % 2]}/api/v1/complaints`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          source: "twitter",
          externalId: `two-${i}`,
          text: `two processes #${i}#`,
        }),
      });
      expect(res.status).toBe(202);
    }
    // Per thread: claim and first response each give a 50% warning and a breach reply in the
    // thread (4 replies) and a DM to the lead at each breach (2 DMs).
    const replies = () => double.messages("C0SVC").filter((m) => m.threadTs);
    const dms = () => double.messages().filter((m) => m.channel.startsWith("D"));
    await eventually(() => replies().length >= 16 && dms().length >= 8, "every nudge", 30_000);
    // Settled: every due timer fired and every message sent, so a second copy would be here.
    await waitUntilSettled(db);
    expect(replies()).toHaveLength(16);
    expect(dms()).toHaveLength(8);
    const cards = double.messages("C0SVC").filter((m) => !m.threadTs);
    expect(cards).toHaveLength(4);
    expect(double.problems).toEqual([]);
  }, 90_000);
});
