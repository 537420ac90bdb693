import type { App } from "@slack/bolt";
import { expect } from "vitest";
import type { SlackDouble, SlackDriver } from "../../src/slack-double/index.ts";
import { eventually } from "./e2e-harness.ts";

/**
 * A small Bolt app for testing the double with real Bolt, over HTTP or Socket Mode: /report
 * opens a modal; a title shorter than 3 is refused in the modal; a good one posts a message
 * with an Approve button, which replaces the message through respond().
 */
export function registerReportApp(app: App): void {
  app.command("/report", async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: "modal",
        callback_id: "report",
        private_metadata: body.channel_id,
        title: { type: "plain_text", text: "Report" },
        submit: { type: "plain_text", text: "Send" },
        blocks: [
          {
            type: "input",
            block_id: "title",
            label: { type: "plain_text", text: "Title" },
            element: { type: "plain_text_input", action_id: "value" },
          },
        ],
      },
    });
  });
  app.view("report", async ({ ack, view, client }) => {
    const title = view.state.values.title?.value?.value ?? "";
    if (title.length < 3) return ack({ response_action: "errors", errors: { title: "Too short" } });
    await ack();
    await client.chat.postMessage({
      channel: view.private_metadata,
      text: title,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: title } },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              action_id: "approve",
              value: "ok",
              text: { type: "plain_text", text: "Approve" },
            },
          ],
        },
      ],
    });
  });
  app.action("approve", async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: "Approved" });
  });
}

/** Drives the report app as user U1 in C1: command, refused and accepted submission, click. */
export async function driveReportApp(double: SlackDouble, driver: SlackDriver): Promise<void> {
  const command = await driver.slashCommand({ command: "/report", userId: "U1", channelId: "C1" });
  expect(command).toMatchObject({ status: 200, late: false });
  const modal = await eventually(() => double.views[0], "the modal");
  const tooShort = await driver.submitView({
    viewId: modal.id,
    userId: "U1",
    values: { title: { value: "no" } },
  });
  expect(tooShort.outcome).toMatchObject({ action: "errors", errors: { title: "Too short" } });
  const good = await driver.submitView({
    viewId: modal.id,
    userId: "U1",
    values: { title: { value: "Broken checkout" } },
  });
  expect(good.outcome.action).toBe("closed");
  const posted = await eventually(() => double.messages("C1")[0], "the message");
  const click = await driver.clickButton({
    userId: "U1",
    channelId: "C1",
    messageTs: posted.ts,
    actionId: "approve",
  });
  expect(click.status).toBe(200);
  await eventually(() => double.messages("C1")[0]?.text === "Approved", "the replaced message");
  expect(double.messages("C1")[0]).toMatchObject({ text: "Approved", updatedCount: 1 });
}
