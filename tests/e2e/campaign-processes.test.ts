import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import { outbox } from "../../src/db/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import { announceCampaign } from "../../src/services/announce-campaign.ts";
import { replicaBench, waitUntilSettled } from "../helpers/bot-replicas.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import { FakeClock, HOUR, MINUTE } from "../helpers/fake-clock.ts";

/** Two departments, reminders 2h and 1h before launch, marketing's card in C0MKT. */
const CONFIG = `
departments:
  - { key: service, name: Service, channel: C0SVC, leads: [U0LEAD] }
  - { key: ops, name: Operations, channel: C0OPS, leads: [U0LEAD] }
routing: { default: service, rules: [] }
sla:
  P1: { firstResponse: 1h }
  P2: { firstResponse: 1h }
  P3: { firstResponse: 4h }
  P4: { firstResponse: 1d }
campaigns:
  channel: C0MKT
  announcers: [U0MKT]
  minimumNotice: 0m
  reminders: [2h, 1h]
`;
const CAMPAIGNS = 5;

const bench = replicaBench({
  channels: ["C0SVC", "C0OPS", "C0MKT"].map((id) => ({ id, name: id.toLowerCase() })),
  users: ["U0LEAD", "U0MKT"].map((id) => ({ id, name: id.toLowerCase() })),
  rateLimits: { postMessagePerChannel: { burst: 100, perSecond: 100 } },
});

describe("campaign reminders with two bot processes on one PostgreSQL", () => {
  it("send only the latest of those that fell due while no bot ran, once, at once", async () => {
    const { double, db } = bench;
    // Announced three hours ago (while no bot ran), launching in half an hour: both reminders
    // (1h30 and 30 min ago) fell due in between.
    const now = Date.now();
    const config = parseWorkspaceConfig(CONFIG, "campaign-processes");
    const ctx = {
      db,
      clock: new FakeClock(new Date(now - 3 * HOUR)),
      logger: silentLogger,
      actor: { type: "intake", token: "test" } as const,
    };
    const launch = new Date(now + 30 * MINUTE);
    for (let i = 0; i < CAMPAIGNS; i++) {
      await announceCampaign(ctx, config, {
        raw: {
          name: `Campaign ${i}`,
          launchAt: launch.toISOString(),
          endAt: new Date(launch.getTime() + 24 * HOUR).toISOString(),
          departments: ["service", "ops"],
          owner: "U0MKT",
        },
      });
    }
    await bench.startReplicas({ count: 2, config: CONFIG, name: "campaigns" });
    const reminders = () =>
      double.messages().filter((m) => m.threadTs && m.text.includes("Reminder"));
    // The 1h reminder supersedes the 2h one that fell due before it: one per heads-up.
    await eventually(() => reminders().length >= CAMPAIGNS * 2, "every reminder", 60_000);
    // Settled: no timer left due and nothing waiting in the outbox, so nothing more can come.
    await waitUntilSettled(db);
    expect(reminders()).toHaveLength(CAMPAIGNS * 2);
    const headsUps = double.messages().filter((m) => !m.threadTs && m.text.startsWith("Heads-up"));
    expect(headsUps).toHaveLength(CAMPAIGNS * 2);
    for (const headsUp of headsUps) {
      const under = reminders().filter(
        (m) => m.threadTs === headsUp.ts && m.channel === headsUp.channel,
      );
      expect(under).toHaveLength(1);
      // The time really left (under half an hour), not the 2h reminder's hours.
      expect(under[0]?.text).toMatch(/\(\d+ min to go\)/);
    }
    expect(double.messages("C0MKT").filter((m) => !m.threadTs)).toHaveLength(CAMPAIGNS);
    const failed = await db.db.select().from(outbox).where(eq(outbox.status, "failed"));
    expect(failed).toEqual([]);
  }, 240_000);
});
