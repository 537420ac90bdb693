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

  it("answers files.info with where a completed file is shared, and file_not_found before", async () => {
    expect(await errorOf(web.files.info({ file: "F0NOPE" }))).toBe("file_not_found");
    expect(await errorOf(web.apiCall("files.info", {}))).toBe("invalid_arguments");
    const file = await upload(Buffer.from("png"));
    // Not completed yet: Slack discards such an upload.
    expect(await errorOf(web.files.info({ file: file.id }))).toBe("file_not_found");
    const dm = double.directMessage("U1").id;
    await web.files.completeUploadExternal({
      files: [{ id: file.id, title: "Chart" }],
      channel_id: dm,
    });
    const info = await web.files.info({ file: file.id });
    const shareTs = double.messages(dm)[0]?.ts;
    expect(info.file).toMatchObject({
      id: file.id,
      name: "chart.png",
      title: "Chart",
      mimetype: "image/png",
      filetype: "png",
      size: 3,
      alt_txt: "a chart",
      is_public: false,
      channels: [],
      groups: [],
      ims: [dm],
      shares: { public: {}, private: { [dm]: [{ ts: shareTs }] } },
    });
    expect(info.comments).toEqual([]);
  });

  it("can share a completed file later than it answers, after messages posted meanwhile", async () => {
    double.holdFileShares();
    const file = await upload(Buffer.from("png"));
    const dm = double.directMessage("U1").id;
    await web.files.completeUploadExternal({ files: [{ id: file.id }], channel_id: dm });
    // Completed, but not shared yet: files.info knows it, with no shares.
    expect((await web.files.info({ file: file.id })).file).toMatchObject({
      id: file.id,
      ims: [],
      shares: { public: {}, private: {} },
    });
    await web.chat.postMessage({ channel: dm, text: "posted meanwhile" });
    double.releaseFileShares();
    expect(double.messages(dm).map((m) => m.files?.[0]?.id ?? m.text)).toEqual([
      "posted meanwhile",
      file.id,
    ]);
    expect((await web.files.info({ file: file.id })).file).toMatchObject({ ims: [dm] });
  });

  it("asks for files:read to read a file, as Slack does", async () => {
    const scoped = await startSlackDouble({
      users: [{ id: "U1", name: "ana" }],
      botScopes: ["files:write"],
    });
    try {
      const client = new WebClient(scoped.config.botToken, {
        slackApiUrl: scoped.apiUrl,
        retryConfig: { retries: 0 },
      });
      const error = await client.files.info({ file: "F1" }).catch((e: unknown) => e);
      expect((error as WebAPIPlatformError).data).toMatchObject({
        error: "missing_scope",
        needed: "files:read",
      });
    } finally {
      await scoped.stop();
    }
  });

  it("can lose the answer to a call it carried out", async () => {
    const file = await upload(Buffer.from("png"));
    double.failNext("files.completeUploadExternal", { answerLost: true });
    const lost = await web.files
      .completeUploadExternal({ files: [{ id: file.id }], channel_id: "C1" })
      .catch((e: unknown) => e);
    expect((lost as { code?: string }).code).toBe("slack_webapi_request_error");
    expect(double.messages("C1")[0]?.files?.[0]?.id).toBe(file.id);
    expect(double.callsTo("files.completeUploadExternal")[0]).toMatchObject({
      answerLost: true,
      response: { ok: true },
    });
  });
});
