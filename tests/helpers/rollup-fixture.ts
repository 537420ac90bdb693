import type { WebClient } from "@slack/web-api";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import type { DatabaseHandle } from "../../src/db/client.ts";
import type { ActorFacts } from "../../src/domain/permissions.ts";
import { silentLogger } from "../../src/logger.ts";
import type { Clock, ServiceContext } from "../../src/services/context.ts";
import { ingestComplaint } from "../../src/services/ingest-complaint.ts";
import { type RollupGroup, rollupGroups } from "../../src/services/kind-profiles.ts";
import { OUTBOX_KINDS } from "../../src/services/outbox-kinds.ts";
import { sendKindRollup } from "../../src/services/send-kind-rollup.ts";
import { createDeliveryHandlers, EDIT_KINDS } from "../../src/slack/deliveries.ts";
import { type DeliveryHandler, OutboxWorker } from "../../src/slack/outbox-worker.ts";
import type { StoredMessage } from "../../src/slack-double/index.ts";
import { type E2E, eventually } from "./e2e-harness.ts";
import type { FakeClock } from "./fake-clock.ts";
import { KIND_CHANNELS } from "./kinds-fixture.ts";
import { complaintBody, PEOPLE } from "./workspace-fixture.ts";

/** Alice as a member of Customer Service: she may take its posts on and off the desk. */
export const SERVICE_MEMBER: ActorFacts = {
  userId: PEOPLE.alice,
  isAdmin: false,
  leads: [],
  memberOf: ["service"],
};

/** Files one piece of chatter (kind other) and returns its thread with the roll-up group. */
export async function fileChatter(
  ctx: ServiceContext,
  config: WorkspaceConfig,
): Promise<{ threadId: string; group: RollupGroup }> {
  const filed = await ingestComplaint(
    ctx,
    config,
    complaintBody({ text: "RT @SkylineAir: new route to Madeira" }),
  );
  if (filed.kind !== "other") throw new Error(`chatter filed as ${filed.kind}`);
  const [group] = rollupGroups(config);
  if (!group) throw new Error("the kinds workspace has a roll-up");
  return { threadId: filed.threadId, group };
}

type Posted = { channel: string; ts: string; text: string };

/**
 * A Slack that keeps the roll-up's messages in #sb-triage as posted and updated, and an outbox
 * worker that delivers roll-ups only (the cards a kind change queues are other tests' business).
 * `beforePost` runs while Slack takes a post, before it answers.
 */
export function rollupDelivery(deps: {
  db: DatabaseHandle;
  config: WorkspaceConfig;
  clock: Clock;
}) {
  const messages: Posted[] = [];
  const hooks: { beforePost?: (() => Promise<void>) | undefined } = {};
  const client = {
    chat: {
      postMessage: async (args: { channel: string; text: string }) => {
        const hook = hooks.beforePost;
        hooks.beforePost = undefined;
        await hook?.();
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
  const all = createDeliveryHandlers({ ...deps, client });
  const handlers: Record<string, DeliveryHandler> = {};
  for (const kind of Object.keys(all)) {
    const rollup = kind === OUTBOX_KINDS.kindRollup || kind === OUTBOX_KINDS.updateKindRollup;
    handlers[kind] = rollup ? (all[kind] as DeliveryHandler) : async () => undefined;
  }
  const worker = new OutboxWorker({
    db: deps.db,
    clock: deps.clock,
    logger: silentLogger,
    handlers,
    unpacedKinds: EDIT_KINDS,
  });
  /** Delivers what is due, a few rounds, as a worker would. */
  const drain = async () => {
    for (let round = 0; round < 10 && (await worker.runOnce()) > 0; round++);
  };
  return { messages, hooks, drain };
}

/**
 * The bot's daily roll-up at 17:00 on the test day (the kinds workspace's one group), as its
 * schedule would send it, and the message Slack shows for it in #sb-triage.
 */
export async function postDailyRollup(
  e2e: E2E,
  config: WorkspaceConfig,
  clock: FakeClock,
): Promise<StoredMessage> {
  const [group] = rollupGroups(config);
  if (!group) throw new Error("the kinds workspace has a roll-up");
  clock.set("2026-11-24T17:00:00Z");
  await sendKindRollup(
    { db: e2e.db, clock, logger: silentLogger, actor: { type: "system" } },
    group,
  );
  e2e.bot.worker.kick();
  return eventually(
    () => e2e.double.messages(KIND_CHANNELS.triage).find((m) => m.text.startsWith("Daily roll-up")),
    "the roll-up",
  );
}
