import { randomUUID } from "node:crypto";
import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDismissModal } from "../../src/slack/views/dismiss-modal.ts";
import { DISMISS_INPUTS } from "../../src/slack/views/ids.ts";
import { computeSignature } from "../../src/slack-double/index.ts";
import { type E2E, eventually, SIGNING_SECRET, startE2E } from "../helpers/e2e-harness.ts";
import { CHANNELS, PEOPLE } from "../helpers/workspace-fixture.ts";

let e2e: E2E;
let slack: WebClient;
beforeAll(async () => {
  e2e = await startE2E();
  // The bot's own token, as if an older version of the bot had made these messages and views.
  slack = new WebClient(e2e.double.config.botToken, { slackApiUrl: e2e.double.apiUrl });
});
afterAll(() => e2e.stop());

const YEAR_S = 365 * 24 * 60 * 60;

/** A /switchboard help command, validly signed for the given timestamp. */
function commandSignedAt(timestampS: number) {
  const body = new URLSearchParams({
    team_id: e2e.double.config.teamId,
    channel_id: CHANNELS.service,
    user_id: PEOPLE.alice,
    command: "/switchboard",
    text: "help",
    api_app_id: e2e.double.config.appId,
    response_url: e2e.double.issueResponseUrl({
      channelId: CHANNELS.service,
      userId: PEOPLE.alice,
    }),
    trigger_id: e2e.double.issueTriggerId(PEOPLE.alice),
  }).toString();
  // Sent by hand: the driver signs with the current time, and this test needs another one.
  return fetch(`${e2e.bot.url}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestampS),
      "x-slack-signature": computeSignature(SIGNING_SECRET, timestampS, body),
    },
    body,
  });
}

describe("requests from Slack that are signed but wrong", () => {
  it("refuses a timestamp more than five minutes away in either direction", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await commandSignedAt(now)).status).toBe(200);
    expect((await commandSignedAt(now + 60)).status).toBe(200); // clocks drift a little
    expect((await commandSignedAt(now + YEAR_S)).status).toBe(401);
    expect((await commandSignedAt(now + 6 * 60)).status).toBe(401);
    expect((await commandSignedAt(now - 6 * 60)).status).toBe(401);
  });

  it("answers a form naming a thread that does not exist inside the form", async () => {
    // A dismiss form for a thread this database never had (e.g. restored from a backup).
    const opened = await slack.views.open({
      trigger_id: e2e.double.issueTriggerId(PEOPLE.alice),
      view: buildDismissModal({ metadata: { threadId: randomUUID() }, excerpt: "gone" }),
    });
    const submitted = await e2e.driver.submitView({
      viewId: String(opened.view?.id),
      userId: PEOPLE.alice,
      values: { [DISMISS_INPUTS.reason.blockId]: { [DISMISS_INPUTS.reason.actionId]: "spam" } },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.late).toBe(false);
    // What Slack shows: the error under the form's own input, and the form stays open.
    expect(submitted.outcome).toMatchObject({ action: "errors", problems: [] });
    expect(submitted.outcome.errors?.[DISMISS_INPUTS.reason.blockId]).toMatch(/no longer exists/);
  });

  it("tells the person privately that a button with a malformed value is out of date", async () => {
    const posted = await slack.chat.postMessage({
      channel: CHANNELS.baggage,
      text: "an old card",
      blocks: [
        {
          type: "actions",
          elements: [
            {
              type: "button",
              action_id: "thread.claim",
              text: { type: "plain_text", text: "Claim" },
              value: "thread:v1:abc",
            },
          ],
        },
      ],
    });
    const click = await e2e.driver.clickButton({
      userId: PEOPLE.alice,
      channelId: CHANNELS.baggage,
      messageTs: String(posted.ts),
      actionId: "thread.claim",
    });
    expect(click.status).toBe(200);
    const notice = await eventually(
      () =>
        e2e.double
          .ephemerals(CHANNELS.baggage, PEOPLE.alice)
          .find((m) => m.text.includes("out of date")),
      "a private notice",
    );
    expect(notice.text).toContain("use the latest card");
    expect(e2e.double.messages(CHANNELS.baggage).some((m) => m.text.includes("out of date"))).toBe(
      false,
    );
  });

  it("tells whoever asks for a heads-up where campaigns are not set up how to set them up, privately", async () => {
    // This workspace file has no campaigns section.
    const views = e2e.double.views.length;
    const res = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "headsup",
      userId: PEOPLE.alice,
      channelId: CHANNELS.service,
    });
    expect(res.status).toBe(200);
    const notice = e2e.double.ephemerals(CHANNELS.service, PEOPLE.alice).at(-1);
    expect(notice?.text).toContain("Campaign heads-ups are not set up here yet");
    expect(e2e.double.views).toHaveLength(views); // no heads-up form opened
  });

  it("answers /switchboard campaigns where campaigns are not set up as headsup does, not with an invitation to announce", async () => {
    const res = await e2e.driver.slashCommand({
      command: "/switchboard",
      text: "campaigns",
      userId: PEOPLE.alice,
      channelId: CHANNELS.service,
    });
    expect(res.status).toBe(200);
    const notice = e2e.double.ephemerals(CHANNELS.service, PEOPLE.alice).at(-1);
    expect(notice?.text).toContain("Campaign heads-ups are not set up here yet");
    expect(notice?.text).not.toContain("Announce one");
  });
});
