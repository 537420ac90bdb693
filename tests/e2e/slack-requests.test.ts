import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2E, eventually, startE2E } from "../helpers/e2e-harness.ts";
import { CHANNELS, complaintBody } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
let cardTs: string;
beforeAll(async () => {
  e2e = await startE2E();
  await e2e.request("/api/v1/complaints", {
    body: complaintBody({ text: "where is my lost bag" }),
  });
  const [card] = await eventually(() => {
    const m = e2e.double.messages(CHANNELS.baggage);
    return m.length ? m : null;
  }, "the card");
  cardTs = card?.ts ?? "";
});
afterAll(() => e2e.stop());

describe("requests from Slack", () => {
  it.each(["bad", "stale", "missing"] as const)(
    "refuses a %s signature with 401 and runs no handler",
    async (signature) => {
      const responsesBefore = e2e.double.responses.length;
      const click = await e2e.driver.clickButton(
        {
          userId: "U0ALICE",
          channelId: CHANNELS.baggage,
          messageTs: cardTs,
          actionId: "thread.claim",
        },
        { signature },
      );
      expect(click.status).toBe(401);
      const command = await e2e.driver.slashCommand(
        { command: "/switchboard", text: "help", userId: "U0ALICE", channelId: CHANNELS.baggage },
        { signature },
      );
      expect(command.status).toBe(401);
      // Give a wrongly started handler time to show itself before asserting it did not run.
      await e2e.bot.worker.runOnce();
      expect(e2e.double.responses.length).toBe(responsesBefore);
    },
  );

  it("acks every card button within Slack's 3 seconds", async () => {
    for (const actionId of [
      "thread.claim",
      "thread.handover",
      "thread.responded",
      "thread.resolve",
      "thread.dismiss",
    ]) {
      const click = await e2e.driver.clickButton({
        userId: "U0BOB",
        channelId: CHANNELS.baggage,
        messageTs: cardTs,
        actionId,
      });
      expect(click.status).toBe(200);
      expect(click.late).toBe(false);
    }
  });

  it("answers /switchboard help privately with the list of commands", async () => {
    const res = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "help",
      userId: "U0ALICE",
      channelId: CHANNELS.service,
    });
    expect(res.status).toBe(200);
    expect(res.late).toBe(false);
    expect(res.json).toMatchObject({ response_type: "ephemeral" });
    expect(JSON.stringify(res.json)).toContain("/switchboard help");
  });

  it("names an unknown subcommand and shows the help", async () => {
    const res = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "frobnicate",
      userId: "U0ALICE",
      channelId: CHANNELS.service,
    });
    expect(JSON.stringify(res.json)).toContain("frobnicate");
  });

  it("answers Slack's URL verification challenge", async () => {
    const res = await e2e.driver.urlVerification("challenge-123");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: "challenge-123" });
  });
});
