import { WebClient } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";
import { quietLogger } from "../helpers/quiet-logger.ts";

/** A double's workspace survives a restart through snapshot() and `restore` (the sandbox relies on it). */

const started: SlackDouble[] = [];
afterEach(async () => {
  for (const d of started.splice(0)) await d.stop();
});

async function double(opts: Parameters<typeof startSlackDouble>[0] = {}) {
  const d = await startSlackDouble({
    users: [{ id: "U1", name: "ben" }],
    channels: [{ id: "C1", name: "sb-baggage", members: ["U1"] }],
    ...opts,
  });
  started.push(d);
  return d;
}

function client(d: SlackDouble) {
  return new WebClient(d.config.botToken, {
    slackApiUrl: d.apiUrl,
    retryConfig: { retries: 0 },
    logger: quietLogger,
  });
}

describe("the Slack double's snapshot", () => {
  it("restores channels, messages, threads, ephemerals, views and files, and hands out new ids after them", async () => {
    const first = await double();
    const web = client(first);
    const parent = await web.chat.postMessage({ channel: "C1", text: "card" });
    await web.chat.postMessage({ channel: "C1", text: "reply", thread_ts: parent.ts as string });
    await web.chat.update({ channel: "C1", ts: parent.ts as string, text: "card, claimed" });
    await web.chat.postEphemeral({ channel: "C1", user: "U1", text: "only for Ben" });
    await web.chat.postMessage({ channel: "U1", text: "a DM" });
    const home = await web.views.publish({
      user_id: "U1",
      view: { type: "home", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Home" } }] },
    });
    await web.files.uploadV2({
      channel_id: "C1",
      file: Buffer.from("png bytes"),
      filename: "chart.png",
    });
    let changes = 0;
    first.onChange(() => {
      changes += 1;
    });
    await web.auth.test();
    expect(changes).toBeGreaterThan(0);

    const saved = JSON.parse(JSON.stringify(first.snapshot()));
    await first.stop();
    started.pop();
    const second = await double({ restore: saved });
    const web2 = client(second);

    const restoredParent = second.messages("C1").find((m) => m.ts === parent.ts);
    expect(restoredParent).toMatchObject({ text: "card, claimed", updatedCount: 1, replyCount: 1 });
    expect(second.ephemerals("C1", "U1").map((m) => m.text)).toEqual(["only for Ben"]);
    expect(second.conversations().some((c) => c.isIm && c.imUser === "U1")).toBe(true);
    expect(second.view(home.view?.id as string)?.type).toBe("home");
    expect(second.files[0]?.bytes?.toString()).toBe("png bytes");

    // Follow-ups still land in their threads, and old messages can still be updated.
    await web2.chat.postMessage({
      channel: "C1",
      text: "follow-up",
      thread_ts: parent.ts as string,
    });
    await web2.chat.update({ channel: "C1", ts: parent.ts as string, text: "card, resolved" });
    expect(second.messages("C1").find((m) => m.ts === parent.ts)).toMatchObject({
      text: "card, resolved",
      replyCount: 2,
    });
    // New ids never repeat old ones.
    const next = await web2.chat.postMessage({ channel: "C1", text: "new card" });
    expect(Number(next.ts)).toBeGreaterThan(Math.max(...first.messages().map((m) => Number(m.ts))));
    const again = await web2.views.publish({ user_id: "U1", view: { type: "home", blocks: [] } });
    expect(again.view?.id).toBe(home.view?.id);
    await web2.chat.postMessage({ channel: "U1", text: "another DM" });
    expect(second.conversations().filter((c) => c.isIm).length).toBe(1);
  });

  it("refuses a snapshot of another workspace rather than mixing two", async () => {
    const first = await double();
    const saved = first.snapshot();
    await expect(double({ teamId: "T0OTHER", restore: saved })).rejects.toThrow(/snapshot of team/);
  });
});
