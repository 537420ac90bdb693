import { WebAPIPlatformError, WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FILE_LIMITS, type SlackDouble, startSlackDouble } from "../../src/slack-double/index.ts";

let double: SlackDouble;
let web: WebClient;
beforeEach(async () => {
  double = await startSlackDouble({
    channels: [
      { id: "C1", name: "general" },
      { id: "C2", name: "elsewhere", botIsMember: false },
    ],
    users: [{ id: "U1", name: "ana" }],
  });
  web = new WebClient(double.config.botToken, {
    slackApiUrl: double.apiUrl,
    retryConfig: { retries: 0 },
  });
});
afterEach(async () => {
  await double.stop();
});

async function errorOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebAPIPlatformError);
  return (error as WebAPIPlatformError).data.error;
}

async function upload(bytes: Buffer, length = bytes.length) {
  const target = await web.files.getUploadURLExternal({
    filename: "chart.png",
    length,
    alt_text: "a chart",
  });
  const res = await fetch(target.upload_url as string, {
    method: "POST",
    body: new Uint8Array(bytes),
  });
  return {
    id: target.file_id as string,
    url: target.upload_url as string,
    status: res.status,
    body: await res.text(),
  };
}

describe("the Slack double's upload flow", () => {
  it("refuses what Slack refuses when asking for an upload URL", async () => {
    expect(await errorOf(web.files.getUploadURLExternal({ filename: "a.png", length: 0 }))).toBe(
      "invalid_arguments",
    );
    expect(
      await errorOf(
        web.files.getUploadURLExternal({ filename: "a.png", length: FILE_LIMITS.maxBytes + 1 }),
      ),
    ).toBe("file_upload_size_restricted");
    expect(
      await errorOf(
        web.files.getUploadURLExternal({
          filename: "a.png",
          length: 3,
          alt_text: "x".repeat(FILE_LIMITS.altText + 1),
        }),
      ),
    ).toBe("invalid_arguments");
    expect(await errorOf(web.apiCall("files.getUploadURLExternal", { length: 3 }))).toBe(
      "invalid_arguments",
    );
  });

  it("takes exactly the bytes announced, once", async () => {
    const short = await upload(Buffer.from("abc"), 4);
    expect(short.status).toBe(400);
    expect(short.body).toContain("expected 4 bytes, got 3");
    const ok = await upload(Buffer.from("abc"));
    expect(ok.status).toBe(200);
    const again = await fetch(ok.url, { method: "POST", body: "abc" });
    expect(again.status).toBe(400);
  });

  it("completes an uploaded file once, sharing it with its alt text only where the bot is", async () => {
    const pending = await web.files.getUploadURLExternal({ filename: "a.png", length: 3 });
    expect(
      await errorOf(
        web.files.completeUploadExternal({
          files: [{ id: pending.file_id as string }],
          channel_id: "C1",
        }),
      ),
    ).toBe("file_not_found");
    const file = await upload(Buffer.from("png"));
    expect(
      await errorOf(
        web.files.completeUploadExternal({ files: [{ id: file.id }], channel_id: "C2" }),
      ),
    ).toBe("not_in_channel");
    await web.files.completeUploadExternal({
      files: [{ id: file.id, title: "Chart" }],
      channel_id: "C1",
    });
    expect(double.messages("C1")[0]?.files).toEqual([
      { id: file.id, name: "chart.png", title: "Chart", altText: "a chart" },
    ]);
    expect(
      await errorOf(
        web.files.completeUploadExternal({ files: [{ id: file.id }], channel_id: "C1" }),
      ),
    ).toBe("file_not_found");
  });

  it("publishes a Home whose image shows a shared file, and refuses one naming no file", async () => {
    const image = (id: string) => ({
      type: "home" as const,
      blocks: [{ type: "image", slack_file: { id }, alt_text: "chart" }],
    });
    expect(await errorOf(web.views.publish({ user_id: "U1", view: image("F0NOPE") }))).toBe(
      "invalid_blocks",
    );
    const file = await upload(Buffer.from("png"));
    await web.files.completeUploadExternal({ files: [{ id: file.id }], channel_id: "C1" });
    await expect(web.views.publish({ user_id: "U1", view: image(file.id) })).resolves.toMatchObject(
      { ok: true },
    );
    const tooMany = {
      type: "home" as const,
      blocks: Array.from({ length: 101 }, () => ({ type: "divider" })),
    };
    expect(await errorOf(web.views.publish({ user_id: "U1", view: tooMany }))).toBe(
      "invalid_arguments",
    );
  });
});
