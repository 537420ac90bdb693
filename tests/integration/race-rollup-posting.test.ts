import type { WebClient } from "@slack/web-api";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActorFacts } from "../../src/domain/permissions.ts";
import { silentLogger } from "../../src/logger.ts";
import { changeKind } from "../../src/services/change-kind.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { rollupGroups } from "../../src/services/kind-profiles.ts";
import { OUTBOX_KINDS } from "../../src/services/outbox-kinds.ts";
import { sendKindRollup } from "../../src/services/send-kind-rollup.ts";
import { createDeliveryHandlers, EDIT_KINDS } from "../../src/slack/deliveries.ts";
import { type DeliveryHandler, OutboxWorker } from "../../src/slack/outbox-worker.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { KIND_CHANNELS, kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody, PEOPLE } from "../helpers/workspace-fixture.ts";

/*
 * A kind change and the roll-up's own claim racing on two replicas: the change looks for
 * roll-ups covering its post before the roll-up is committed, and commits only after another
 * replica has drawn and posted the page. The page must still end up without the post.
 */

const HOLD = 4242;
let db: TestDatabase;
let sql: postgres.Sql;
const config = kindsWorkspace();
const MEMBER: ActorFacts = {
  userId: PEOPLE.alice,
  isAdmin: false,
  leads: [],
  memberOf: ["service"],
};

beforeAll(async () => {
  db = await createTestDatabase();
  sql = postgres(db.url, { max: 3, onnotice: () => {} });
});
afterAll(async () => {
  await sql.end();
  await db.destroy();
});

type Posted = { channel: string; ts: string; text: string };

describe("a roll-up claimed while a post it covers changes kind", () => {
  it("ends up drawn without the post, whichever commits first", async () => {
    const clock = new FakeClock("2026-11-24T10:00:00Z");
    const ctx: ServiceContext = {
      db,
      clock,
      logger: silentLogger,
      actor: { type: "intake", token: "t" },
    };
    const filed = await ingestComplaint(
      ctx,
      config,
      complaintBody({ text: "RT @SkylineAir: new route to Madeira" }),
    );
    expect(filed.kind).toBe("other");
    const [group] = rollupGroups(config);
    if (!group) throw new Error("the kinds workspace has a roll-up");
    clock.set("2026-11-24T17:00:00Z");

    // The kind change's commit waits on a lock the test holds: everything it read is read.
    await sql.unsafe(`
      CREATE FUNCTION race_hold() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock_shared(${HOLD}); RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER race_hold AFTER INSERT ON thread_events
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION race_hold();`);
    const locker = await sql.reserve();
    await locker`SELECT pg_advisory_lock(${HOLD})`;
    const waiters = async () =>
      (
        await sql`SELECT count(*)::int AS n FROM pg_locks
          WHERE locktype = 'advisory' AND NOT granted`
      )[0]?.n as number;

    const changing = changeKind(ctx, config, {
      threadId: filed.threadId,
      kind: "question",
      actor: MEMBER,
    });
    await eventually(async () => (await waiters()) >= 1, "the kind change at its commit");

    let sendDone = false;
    const sending = sendKindRollup({ ...ctx, actor: { type: "system" } }, group).then((r) => {
      sendDone = true;
      return r;
    });
    await eventually(
      async () => sendDone || (await waiters()) >= 2,
      "the roll-up claimed, or waiting for the change",
    );

    const messages: Posted[] = [];
    const client = {
      chat: {
        postMessage: async (args: { channel: string; text: string }) => {
          const ts = `1796144400.00010${messages.length}`;
          messages.push({ channel: KIND_CHANNELS.triage, ts, text: args.text });
          return { ok: true, channel: KIND_CHANNELS.triage, ts };
        },
        update: async (args: { channel: string; ts: string; text: string }) => {
          const at = messages.findIndex((m) => m.channel === args.channel && m.ts === args.ts);
          if (at < 0) throw new Error(`no message ${args.ts}`);
          messages[at] = { channel: args.channel, ts: args.ts, text: args.text };
          return { ok: true };
        },
      },
    } as unknown as WebClient;
    const all = createDeliveryHandlers({ db, client, config, clock });
    const handlers: Record<string, DeliveryHandler> = {};
    for (const kind of Object.keys(all)) {
      const rollup = kind === OUTBOX_KINDS.kindRollup || kind === OUTBOX_KINDS.updateKindRollup;
      handlers[kind] = rollup ? (all[kind] as DeliveryHandler) : async () => undefined;
    }
    const worker = new OutboxWorker({
      db,
      clock,
      logger: silentLogger,
      handlers,
      unpacedKinds: EDIT_KINDS,
    });
    // The other replica posts the page now, if it can.
    for (let round = 0; round < 10 && (await worker.runOnce()) > 0; round++);

    await locker`SELECT pg_advisory_unlock(${HOLD})`;
    locker.release();
    expect((await changing).ok).toBe(true);
    expect((await sending).sent).toBe(true);
    await sql.unsafe("DROP TRIGGER race_hold ON thread_events; DROP FUNCTION race_hold();");
    for (let round = 0; round < 10 && (await worker.runOnce()) > 0; round++);

    expect(messages).toHaveLength(1);
    expect(messages[0]?.text).toBe("Daily roll-up: no other posts");
  });
});
