import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import { silentLogger } from "../../src/logger.ts";
import { changeKind } from "../../src/services/change-kind.ts";
import type { ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { rollupGroups } from "../../src/services/kind-profiles.ts";
import { OUTBOX_KINDS } from "../../src/services/outbox-kinds.ts";
import { sendKindRollup } from "../../src/services/send-kind-rollup.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { kindsWorkspace } from "../helpers/kinds-fixture.ts";
import { fileChatter, rollupDelivery, SERVICE_MEMBER } from "../helpers/rollup-fixture.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/test-database.ts";
import { complaintBody } from "../helpers/workspace-fixture.ts";

/*
 * A roll-up page and a kind change racing: the page is drawn, and while Slack takes the post
 * someone puts a post it lists on the desk. The page must still be redrawn without it.
 */

let db: TestDatabase;
let clock: FakeClock;
const config = kindsWorkspace();
const MEMBER = SERVICE_MEMBER;

beforeAll(async () => {
  db = await createTestDatabase();
  clock = new FakeClock("2026-11-24T10:00:00Z");
});
afterAll(() => db.destroy());

describe("redrawing a roll-up", () => {
  it("redraws a page whose post was in flight when a post it lists changed kind", async () => {
    const ctx: ServiceContext = {
      db,
      clock,
      logger: silentLogger,
      actor: { type: "intake", token: "t" },
    };
    const { threadId, group } = await fileChatter(ctx, config);
    clock.set("2026-11-24T17:00:00Z");
    await sendKindRollup({ ...ctx, actor: { type: "system" } }, group);

    const slack = rollupDelivery({ db, config, clock });
    // Slack has the page as it was drawn; the change lands before the answer does.
    slack.hooks.beforePost = async () => {
      const moved = await changeKind(ctx, config, { threadId, kind: "question", actor: MEMBER });
      expect(moved.ok).toBe(true);
    };
    await slack.drain();

    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]?.text).toBe("Daily roll-up: no other posts");
  });

  it("leaves roll-ups alone when neither the old kind nor the new one is theirs", async () => {
    const ctx: ServiceContext = {
      db,
      clock,
      logger: silentLogger,
      actor: { type: "intake", token: "t" },
    };
    clock.set("2026-11-25T10:00:00Z");
    const filed = await ingestComplaint(
      ctx,
      config,
      complaintBody({ text: "my refund never came" }),
    );
    expect(filed.kind).toBe("complaint");
    const [group] = rollupGroups(config);
    if (!group) throw new Error("the kinds workspace has a roll-up");
    clock.set("2026-11-25T17:00:00Z");
    const sent = await sendKindRollup({ ...ctx, actor: { type: "system" } }, group);
    expect(sent.sent).toBe(true);
    const redraws = async () =>
      (await db.db.select().from(outbox)).filter((r) => r.kind === OUTBOX_KINDS.updateKindRollup)
        .length;
    const before = await redraws();
    const asQuestion = await changeKind(ctx, config, {
      threadId: filed.threadId,
      kind: "question",
      actor: MEMBER,
    });
    expect(asQuestion.ok).toBe(true);
    expect(await redraws()).toBe(before);
    // Taken off the desk to the roll-up's kind, it joins that roll-up: a redraw is queued.
    const asOther = await changeKind(ctx, config, {
      threadId: filed.threadId,
      kind: "other",
      actor: { ...MEMBER, isAdmin: true },
    });
    expect(asOther.ok).toBe(true);
    expect(await redraws()).toBe(before + 1);
  });
});
