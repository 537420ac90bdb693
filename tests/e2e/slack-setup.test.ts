import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema.ts";
import {
  dueDelivered,
  retryAsAdmin,
  startAtT0,
  statusShown,
  sweepAt,
} from "../helpers/card-fixture.ts";
import { type E2E, eventually } from "../helpers/e2e-harness.ts";
import { CHANNELS, complaintBody } from "../helpers/workspace-fixture.ts";

/**
 * Someone removes the bot from a department's channel. Its cards can no longer be redrawn
 * (not_in_channel): admins see under "Slack setup" what to do, until a redraw works again.
 */
let e2e: E2E;
afterEach(async () => {
  await e2e?.stop();
});

const failedRows = () => e2e.db.db.select().from(outbox).where(eq(outbox.status, "failed"));

/** The "Slack setup" section of what `/switchboard status` shows. */
async function setupShown(): Promise<string | undefined> {
  const { blocks } = JSON.parse(await statusShown(e2e)) as {
    blocks: Array<{ block_id: string; text: { text: string } }>;
  };
  return blocks.find((b) => b.block_id === "status.slack_setup")?.text.text;
}

describe("the bot removed from a department's channel", () => {
  it("shows under Slack setup as the bot not in the channel, until invited back and retried", async () => {
    let clock: Awaited<ReturnType<typeof startAtT0>>["clock"];
    ({ e2e, clock } = await startAtT0());
    await e2e.request("/api/v1/complaints", { body: complaintBody({ text: "refund please" }) });
    await eventually(() => e2e.double.messages(CHANNELS.service)[0], "the card");
    e2e.double.removeMember(CHANNELS.service, e2e.double.config.botUserId);
    // The claim warning comes due: the card's redraw is refused.
    await sweepAt(e2e, clock, 30);
    await dueDelivered(e2e, clock);
    const failed = await failedRows();
    expect(failed.map((r) => [r.kind, r.lastError]).sort()).toEqual([
      ["thread.nudge", "not_in_channel"],
      ["thread.update_card", "not_in_channel"],
    ]);
    expect(await setupShown()).toMatch(
      new RegExp(
        `^\\*Slack setup:\\* 1 problem\\n• \\*the bot is not in <#${CHANNELS.service}>\\* \\(affects Customer Service\\), since <!date\\^\\d+\\^[^>]+>, 2 times\\. Fix: invite the bot to <#${CHANNELS.service}>, or change \`departments\\[0\\]\\.channel\`, then Retry its failed deliveries\\.$`,
      ),
    );
    e2e.double.addMember(CHANNELS.service, e2e.double.config.botUserId);
    for (const { id } of failed) await retryAsAdmin(e2e, id);
    await eventually(async () => {
      const rows = await e2e.db.db.select().from(outbox);
      return failed.every((f) => rows.find((r) => r.id === f.id)?.status === "delivered");
    }, "the retries delivered");
    expect(await setupShown()).toBe("*Slack setup:* no problems seen.");
  });
});
