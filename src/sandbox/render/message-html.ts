import { type RenderContext, renderBlocks, textHtml } from "./block-kit-html.ts";
import { attrs, escapeHtml } from "./html.ts";
import { mrkdwnToHtml } from "./mrkdwn-html.ts";

type Obj = Record<string, unknown>;

/** What a message shows: its text or blocks, legacy attachments, and shared files. */
export interface MessageContent {
  text: string;
  blocks: unknown[];
  attachments?: unknown[] | undefined;
  files?: ReadonlyArray<{ id: string; name: string; title: string; altText?: string }> | undefined;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const IMAGE_FILE = /\.(png|jpe?g|gif|webp|svg)$/i;

/**
 * A message's body as Slack draws it: the blocks when there are any (the text is then only the
 * notification fallback), else the text as mrkdwn; then attachments and files.
 */
export function messageBodyHtml(message: MessageContent, ctx: RenderContext): string {
  const body =
    message.blocks.length > 0
      ? renderBlocks(message.blocks, ctx, "message")
      : message.text === ""
        ? ""
        : `<div class="msg-text">${mrkdwnToHtml(message.text, ctx)}</div>`;
  const attachments = (message.attachments ?? []).filter(isObj).map((a) => attachmentHtml(a, ctx));
  const files = (message.files ?? []).map((f) => fileHtml(f, ctx));
  return body + attachments.join("") + files.join("");
}

/** A legacy attachment: colour bar, pretext, title, text, fields, footer, and its blocks. */
function attachmentHtml(a: Obj, ctx: RenderContext): string {
  const color = typeof a.color === "string" ? a.color : "#dddddd";
  const bar = /^#?[0-9a-f]{3,8}$/i.test(color)
    ? color.startsWith("#")
      ? color
      : `#${color}`
    : "#dddddd";
  const mrkdwn = (v: unknown) => (typeof v === "string" ? mrkdwnToHtml(v, ctx) : "");
  const parts = [
    typeof a.title === "string" ? `<div class="att-title">${escapeHtml(a.title)}</div>` : "",
    typeof a.text === "string" ? `<div class="att-text">${mrkdwn(a.text)}</div>` : "",
    Array.isArray(a.fields)
      ? `<div class="bk-fields">${a.fields
          .filter(isObj)
          .map(
            (f) =>
              `<div class="bk-field"><b>${escapeHtml(String(f.title ?? ""))}</b><br>${mrkdwn(f.value)}</div>`,
          )
          .join("")}</div>`
      : "",
    Array.isArray(a.blocks) ? renderBlocks(a.blocks, ctx, "message") : "",
    typeof a.footer === "string" ? `<div class="att-footer">${escapeHtml(a.footer)}</div>` : "",
  ];
  const pretext =
    typeof a.pretext === "string" ? `<div class="att-pretext">${mrkdwn(a.pretext)}</div>` : "";
  return `${pretext}<div class="attachment"${attrs({ style: `border-left-color:${bar}` })}>${parts.join("")}</div>`;
}

/** A shared file: an image preview, or a file chip linking to its bytes. */
function fileHtml(
  file: { id: string; name: string; title: string; altText?: string },
  ctx: RenderContext,
): string {
  const url = ctx.fileUrl(file.id);
  const title = `<div class="file-title">${escapeHtml(file.title)}</div>`;
  if (url && IMAGE_FILE.test(file.name)) {
    return `<div class="file">${title}<img${attrs({ class: "file-image", src: url, alt: file.altText ?? file.title })}></div>`;
  }
  const chip = `📄 ${escapeHtml(file.name)}`;
  return `<div class="file">${url ? `<a${attrs({ href: url, target: "_blank" })}>${chip}</a>` : chip}</div>`;
}

/** A view's title, submit or close text. */
export function viewTextHtml(text: unknown, ctx: RenderContext): string {
  return textHtml(text, ctx);
}
