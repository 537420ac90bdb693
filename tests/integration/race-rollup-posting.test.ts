import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/logger.ts";
import { changeKind } from "../../src/services/change-kind.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { sendKindRollup } from "../../src/services/send-kind-rollup.ts";
import { eventually } from "../helpers/e2e-harness.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { fileChatter, rollupDelivery, SERVICE_MEMBER } from "../helpers/rollup-fixture.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";

/*
 * A kind change and the roll-up's own claim racing on two replicas: the change looks for
 * roll-ups covering its post before the roll-up is committed, and commits only after another
 * replica has drawn and posted the page. The page must still end up without the post.
 */

const HOLD = 4242;
let db: TestDatabase;
let sql: postgres.Sql;
const config = kindsWorkspace();
const MEMBER = SERVICE_MEMBER;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = postgres(db.url, { max: 3, onnotice: () => {} });
});
afterAll(async () => {
  await sql.end();
  await db.destroy();
});

describe("a roll-up claimed while a post it covers changes kind", () => {
  it("ends up drawn without the post, whichever commits first", async () => {
    const clock = new FakeClock("2026-11-24T10:00:00Z");
    const ctx: ServiceContext = {
      db,
      clock,
      logger: silentLogger,
      actor: { type: "intake", token: "t" },
    };
    const { threadId, group } = await fileChatter(ctx, config);
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

    const changing = changeKind(ctx, config, { threadId, kind: "question", actor: MEMBER });
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

    const slack = rollupDelivery({ db, config, clock });
    // The other replica posts the page now, if it can.
    await slack.drain();

    await locker`SELECT pg_advisory_unlock(${HOLD})`;
    locker.release();
    expect((await changing).ok).toBe(true);
    expect((await sending).sent).toBe(true);
    await sql.unsafe("DROP TRIGGER race_hold ON thread_events; DROP FUNCTION race_hold();");
    await slack.drain();

    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]?.text).toBe("Daily roll-up: no other posts");
  });
});
