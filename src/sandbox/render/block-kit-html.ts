import { emojiFor } from "./emoji.ts";
import { attrs, escapeHtml, isSafeUrl } from "./html.ts";
import { markdownToHtml } from "./markdown-html.ts";
import {
  broadcastHtml,
  channelMentionHtml,
  dateHtml,
  linkHtml,
  mrkdwnToHtml,
  type NameLookup,
  plainToHtml,
  userMentionHtml,
} from "./mrkdwn-html.ts";

/**
 * The sandbox page's one Block Kit renderer: every block and element, in messages, modals and
 * App Home tabs, drawn the way Slack draws it (https://docs.slack.dev/reference/block-kit).
 * Interactive elements carry data-* attributes (action_id, block_id, type, value, confirm)
 * that the page's script turns into the requests Slack would send: a click or a choice in a
 * message or Home tab becomes block_actions; inputs in a modal are read at submission.
 */

type Obj = Record<string, unknown>;

/** What rendering needs from the workspace: names, people and channels to pick, file URLs. */
export interface RenderContext extends NameLookup {
  /** Members a users_select offers, in order. */
  people(): ReadonlyArray<{ id: string; name: string }>;
  /** Conversations a conversations_select offers. */
  conversations(): ReadonlyArray<{ id: string; name: string }>;
  /** Where the page serves a Slack file's bytes, if it has them. */
  fileUrl(id: string): string | undefined;
}

/** Where the blocks are shown: inputs only exist in modals (and, in Slack, Home tabs). */
export type Surface = "message" | "modal" | "home";

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** A text object (plain_text or mrkdwn). */
export function textHtml(text: unknown, ctx: RenderContext): string {
  if (!isObj(text)) return "";
  const value = str(text.text) ?? "";
  return text.type === "mrkdwn"
    ? mrkdwnToHtml(value, ctx)
    : plainToHtml(value, text.emoji !== false);
}

/** A text object as plain words (for labels inside native form controls). */
function textPlain(text: unknown): string {
  if (!isObj(text)) return "";
  const value = str(text.text) ?? "";
  return value.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => emojiFor(name) ?? whole);
}

/** Renders a blocks array. */
export function renderBlocks(blocks: unknown, ctx: RenderContext, surface: Surface): string {
  return list(blocks)
    .map((block) => renderBlock(block, ctx, surface))
    .join("");
}

function renderBlock(block: Obj, ctx: RenderContext, surface: Surface): string {
  const blockId = str(block.block_id) ?? "";
  const wrap = (kind: string, inner: string) =>
    `<div${attrs({ class: `bk-block bk-${kind}`, "data-block-id": blockId })}>${inner}</div>`;
  switch (block.type) {
    case "section":
      return wrap("section", sectionHtml(block, ctx, surface));
    case "header":
      return wrap("header", `<h3>${textHtml(block.text, ctx)}</h3>`);
    case "divider":
      return wrap("divider", "<hr>");
    case "context":
      return wrap(
        "context",
        list(block.elements)
          .map((el) => contextElementHtml(el, ctx))
          .join(""),
      );
    case "actions":
      return wrap(
        "actions",
        list(block.elements)
          .map((el) => elementHtml(el, blockId, ctx, { dispatch: true, surface }))
          .join(""),
      );
    case "image":
      return wrap("image", imageBlockHtml(block, ctx));
    case "rich_text":
      return wrap("rich-text", richTextHtml(block.elements, ctx));
    case "markdown":
      return wrap("markdown", markdownToHtml(str(block.text) ?? "", ctx));
    case "input":
      return wrap("input", inputBlockHtml(block, blockId, ctx, surface));
    case "video":
      return wrap("video", videoHtml(block, ctx));
    case "file":
      return wrap(
        "file",
        `<div class="bk-file-chip">📄 ${escapeHtml(str(block.external_id) ?? "Remote file")}</div>`,
      );
    default:
      return wrap(
        "unknown",
        `<div class="bk-unsupported">This block (${escapeHtml(String(block.type))}) is not drawn by the sandbox.</div>`,
      );
  }
}

function sectionHtml(block: Obj, ctx: RenderContext, surface: Surface): string {
  const text = isObj(block.text) ? `<div class="bk-text">${textHtml(block.text, ctx)}</div>` : "";
  const fields = list(block.fields);
  const fieldsHtml =
    fields.length > 0
      ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${textHtml(f, ctx)}</div>`).join("")}</div>`
      : "";
  const accessory = isObj(block.accessory)
    ? `<div class="bk-accessory">${elementHtml(block.accessory, str(block.block_id) ?? "", ctx, {
        dispatch: true,
        surface,
      })}</div>`
    : "";
  return `<div class="bk-section-body">${text}${fieldsHtml}</div>${accessory}`;
}

function contextElementHtml(el: Obj, ctx: RenderContext): string {
  if (el.type === "image") return imageElementHtml(el, ctx, "bk-context-image");
  return `<span class="bk-context-text">${textHtml(el, ctx)}</span>`;
}

/** The URL of an image element or block: image_url, or a Slack file the page serves. */
function imageUrl(el: Obj, ctx: RenderContext): string | undefined {
  const direct = str(el.image_url);
  if (direct !== undefined) return isSafeUrl(direct) ? direct : undefined;
  const file = isObj(el.slack_file) ? el.slack_file : undefined;
  if (!file) return undefined;
  const id = str(file.id);
  if (id !== undefined) return ctx.fileUrl(id);
  const url = str(file.url);
  return url !== undefined && isSafeUrl(url) ? url : undefined;
}

function imageElementHtml(el: Obj, ctx: RenderContext, cls: string): string {
  const alt = str(el.alt_text) ?? "";
  const src = imageUrl(el, ctx);
  if (!src) return `<span${attrs({ class: `${cls} bk-missing-image`, title: alt })}>🖼️</span>`;
  return `<img${attrs({ class: cls, src, alt, title: alt, loading: "lazy" })}>`;
}

function imageBlockHtml(block: Obj, ctx: RenderContext): string {
  const title = isObj(block.title)
    ? `<div class="bk-image-title">${textHtml(block.title, ctx)}</div>`
    : "";
  return `${title}${imageElementHtml(block, ctx, "bk-image")}`;
}

function videoHtml(block: Obj, ctx: RenderContext): string {
  const title = textHtml(block.title, ctx) || "Video";
  const url = str(block.title_url) ?? str(block.video_url) ?? "";
  const thumb = str(block.thumbnail_url);
  const img =
    thumb && isSafeUrl(thumb)
      ? `<img class="bk-image"${attrs({ src: thumb, alt: str(block.alt_text) ?? "" })}>`
      : "";
  const head = isSafeUrl(url) ? linkHtml(url, title) : title;
  return `<div class="bk-video-title">▶ ${head}</div>${img}`;
}

function inputBlockHtml(block: Obj, blockId: string, ctx: RenderContext, surface: Surface): string {
  const optional = block.optional === true;
  const label = `<label class="bk-label">${textHtml(block.label, ctx)}${
    optional ? ' <span class="bk-optional">(optional)</span>' : ""
  }</label>`;
  const element = isObj(block.element)
    ? elementHtml(block.element, blockId, ctx, {
        dispatch: block.dispatch_action === true,
        surface,
      })
    : "";
  const hint = isObj(block.hint) ? `<div class="bk-hint">${textHtml(block.hint, ctx)}</div>` : "";
  const error = `<div${attrs({ class: "bk-error", "data-error-for": blockId })}></div>`;
  return `<div${attrs({ class: "bk-input-field", "data-optional": optional ? "1" : "0" })}>${label}${element}${error}${hint}</div>`;
}

interface ElementOptions {
  /** Send block_actions on change (actions blocks, accessories, inputs with dispatch_action). */
  dispatch: boolean;
  surface: Surface;
}

/** The data-* attributes every interactive element carries. */
function elementAttrs(el: Obj, blockId: string, opts: ElementOptions, cls: string) {
  return {
    class: `bk-el ${cls}`,
    "data-type": str(el.type),
    "data-action-id": str(el.action_id),
    "data-block-id": blockId,
    "data-dispatch": opts.dispatch ? "1" : undefined,
    "data-confirm": isObj(el.confirm) ? confirmData(el.confirm) : undefined,
    "data-focus": el.focus_on_load === true ? "1" : undefined,
  };
}

/** A confirmation dialog, as plain words the page shows before sending the action. */
function confirmData(confirm: Obj) {
  return {
    title: textPlain(confirm.title),
    text: textPlain(confirm.text),
    confirm: textPlain(confirm.confirm) || "Yes",
    deny: textPlain(confirm.deny) || "Cancel",
    style: str(confirm.style) ?? "",
  };
}

/** Renders one block element. */
export function elementHtml(
  el: Obj,
  blockId: string,
  ctx: RenderContext,
  opts: ElementOptions,
): string {
  const a = (cls: string, extra: Record<string, string | number | boolean | undefined> = {}) =>
    attrs({ ...elementAttrs(el, blockId, opts, cls), ...extra });
  const placeholder = textPlain(el.placeholder);
  switch (el.type) {
    case "button":
    case "workflow_button": {
      const style = str(el.style);
      const url = str(el.url);
      return `<button${a(`bk-button${style ? ` bk-${style}` : ""}`, {
        type: "button",
        "data-value": str(el.value),
        "data-url": url && isSafeUrl(url) ? url : undefined,
        "aria-label": str(el.accessibility_label),
      })}>${textHtml(el.text, ctx)}${url ? ' <span class="bk-external">↗</span>' : ""}</button>`;
    }
    case "static_select":
    case "external_select":
      return selectHtml(a("bk-select"), placeholder, optionsHtml(el, [initialOption(el)]), false);
    case "multi_static_select":
    case "multi_external_select":
      return selectHtml(
        a("bk-select bk-multi"),
        placeholder,
        optionsHtml(el, optionValues(el.initial_options)),
        true,
      );
    case "users_select":
    case "multi_users_select": {
      const multi = el.type === "multi_users_select";
      const chosen = multi ? strings(el.initial_users) : [str(el.initial_user)];
      return selectHtml(
        a(`bk-select${multi ? " bk-multi" : ""}`),
        placeholder,
        idOptions(ctx.people(), chosen),
        multi,
      );
    }
    case "conversations_select":
    case "channels_select":
    case "multi_conversations_select":
    case "multi_channels_select": {
      const multi = String(el.type).startsWith("multi_");
      const chosen = multi
        ? strings(el.initial_conversations ?? el.initial_channels)
        : [str(el.initial_conversation ?? el.initial_channel)];
      const convs = ctx.conversations().map((c) => ({ id: c.id, name: `#${c.name}` }));
      return selectHtml(
        a(`bk-select${multi ? " bk-multi" : ""}`),
        placeholder,
        idOptions(convs, chosen),
        multi,
      );
    }
    case "overflow":
      return overflowHtml(el, a("bk-overflow"), ctx);
    case "datepicker":
      return `<input${a("bk-date", { type: "date", value: str(el.initial_date), "aria-label": placeholder })}>`;
    case "timepicker":
      return `<input${a("bk-time", { type: "time", value: str(el.initial_time) })}>`;
    case "datetimepicker":
      // The page fills in data-initial in the viewer's own time zone, as Slack's client does.
      return `<input${a("bk-datetime", {
        type: "datetime-local",
        "data-initial": typeof el.initial_date_time === "number" ? el.initial_date_time : undefined,
      })}>`;
    case "checkboxes":
    case "radio_buttons":
      return choicesHtml(
        el,
        a(`bk-choices bk-${el.type === "checkboxes" ? "checkboxes" : "radios"}`),
        ctx,
      );
    case "plain_text_input":
    case "rich_text_input":
      return textInputHtml(el, a("bk-text-input"), placeholder);
    case "email_text_input":
    case "url_text_input":
      return `<input${a("bk-text-input", {
        type: el.type === "email_text_input" ? "email" : "url",
        value: str(el.initial_value),
        placeholder,
      })}>`;
    case "number_input":
      return `<input${a("bk-text-input", {
        type: "number",
        step: el.is_decimal_allowed === true ? "any" : "1",
        min: str(el.min_value),
        max: str(el.max_value),
        value: str(el.initial_value),
        placeholder,
      })}>`;
    case "file_input":
      return `<div${a("bk-unsupported")}>Uploading files is not available in the sandbox.</div>`;
    case "image":
      return imageElementHtml(el, ctx, "bk-accessory-image");
    default:
      return `<div class="bk-unsupported">This element (${escapeHtml(String(el.type))}) is not drawn by the sandbox.</div>`;
  }
}

function strings(v: unknown): Array<string | undefined> {
  return Array.isArray(v) ? v.map(str) : [];
}

function initialOption(el: Obj): string | undefined {
  return isObj(el.initial_option) ? str(el.initial_option.value) : undefined;
}

function optionValues(v: unknown): Array<string | undefined> {
  return list(v).map((o) => str(o.value));
}

function selectHtml(
  attributes: string,
  placeholder: string,
  options: string,
  multi: boolean,
): string {
  const empty = multi
    ? ""
    : `<option value="">${escapeHtml(placeholder || "Select an item")}</option>`;
  return `<select${attributes}${multi ? " multiple" : ""}>${empty}${options}</select>`;
}

function optionTag(
  value: string,
  label: string,
  chosen: ReadonlyArray<string | undefined>,
): string {
  return `<option${attrs({ value, selected: chosen.includes(value) })}>${escapeHtml(label)}</option>`;
}

function optionsHtml(el: Obj, chosen: ReadonlyArray<string | undefined>): string {
  const plain = list(el.options).map((o) =>
    optionTag(str(o.value) ?? "", textPlain(o.text), chosen),
  );
  const groups = list(el.option_groups).map(
    (g) =>
      `<optgroup${attrs({ label: textPlain(g.label) })}>${list(g.options)
        .map((o) => optionTag(str(o.value) ?? "", textPlain(o.text), chosen))
        .join("")}</optgroup>`,
  );
  return [...plain, ...groups].join("");
}

function idOptions(
  items: ReadonlyArray<{ id: string; name: string }>,
  chosen: ReadonlyArray<string | undefined>,
): string {
  return items.map((i) => optionTag(i.id, i.name, chosen)).join("");
}

function overflowHtml(el: Obj, attributes: string, ctx: RenderContext): string {
  const items = list(el.options)
    .map(
      (o) =>
        `<button${attrs({ type: "button", class: "bk-overflow-option", "data-option-value": str(o.value), "data-url": str(o.url) })}>${textHtml(o.text, ctx)}</button>`,
    )
    .join("");
  return `<div${attributes}><button type="button" class="bk-overflow-toggle" aria-label="More actions">⋮</button><div class="bk-overflow-menu" hidden>${items}</div></div>`;
}

let choiceGroups = 0;

function choicesHtml(el: Obj, attributes: string, ctx: RenderContext): string {
  const multi = el.type === "checkboxes";
  const chosen = multi ? optionValues(el.initial_options) : [initialOption(el)];
  // Radio groups need a name unique on the page: the same card can be shown twice.
  choiceGroups += 1;
  const name = `choice-${choiceGroups}`;
  const options = list(el.options)
    .map((o) => {
      const value = str(o.value) ?? "";
      const description = isObj(o.description)
        ? `<div class="bk-option-description">${textHtml(o.description, ctx)}</div>`
        : "";
      return `<label class="bk-choice"><input${attrs({
        type: multi ? "checkbox" : "radio",
        name,
        value,
        checked: chosen.includes(value),
      })}><span>${textHtml(o.text, ctx)}${description}</span></label>`;
    })
    .join("");
  return `<div${attributes}>${options}</div>`;
}

function textInputHtml(el: Obj, attributes: string, placeholder: string): string {
  const initial = str(el.initial_value) ?? "";
  const lengths = {
    minlength: typeof el.min_length === "number" ? el.min_length : undefined,
    maxlength: typeof el.max_length === "number" ? el.max_length : undefined,
  };
  if (el.multiline === true || el.type === "rich_text_input") {
    return `<textarea${attributes}${attrs({ placeholder, rows: 4, ...lengths })}>${escapeHtml(initial)}</textarea>`;
  }
  return `<input${attributes}${attrs({ type: "text", value: initial, placeholder, ...lengths })}>`;
}

// --- rich_text --------------------------------------------------------------------------

function richTextHtml(elements: unknown, ctx: RenderContext): string {
  return list(elements)
    .map((el) => {
      switch (el.type) {
        case "rich_text_section":
          return `<div class="rt-section">${inlineElementsHtml(el.elements, ctx)}</div>`;
        case "rich_text_preformatted":
          return `<pre>${inlineElementsHtml(el.elements, ctx)}</pre>`;
        case "rich_text_quote":
          return `<blockquote>${inlineElementsHtml(el.elements, ctx)}</blockquote>`;
        case "rich_text_list":
          return richListHtml(el, ctx);
        default:
          return "";
      }
    })
    .join("");
}

function richListHtml(el: Obj, ctx: RenderContext): string {
  const tag = el.style === "ordered" ? "ol" : "ul";
  const indent = typeof el.indent === "number" ? el.indent : 0;
  const start = typeof el.offset === "number" ? el.offset + 1 : undefined;
  const items = list(el.elements)
    .map((item) => `<li>${inlineElementsHtml(item.elements, ctx)}</li>`)
    .join("");
  return `<${tag}${attrs({ class: `rt-list rt-indent-${indent}${el.border === 1 ? " rt-border" : ""}`, start })}>${items}</${tag}>`;
}

function styled(html: string, style: unknown): string {
  if (!isObj(style)) return html;
  let out = html;
  if (style.code === true) out = `<code>${out}</code>`;
  if (style.bold === true) out = `<b>${out}</b>`;
  if (style.italic === true) out = `<i>${out}</i>`;
  if (style.strike === true) out = `<s>${out}</s>`;
  if (style.underline === true) out = `<u>${out}</u>`;
  return out;
}

function inlineElementsHtml(elements: unknown, ctx: RenderContext): string {
  return list(elements)
    .map((el) => {
      switch (el.type) {
        case "text":
          return styled(plainToHtml(str(el.text) ?? "", false), el.style);
        case "link": {
          const url = str(el.url) ?? "";
          const label = escapeHtml(str(el.text) ?? url);
          return styled(isSafeUrl(url) ? linkHtml(url, label) : label, el.style);
        }
        case "user":
          return styled(userMentionHtml(str(el.user_id) ?? "", ctx), el.style);
        case "channel":
          return styled(channelMentionHtml(str(el.channel_id) ?? "", ctx), el.style);
        case "usergroup": {
          const id = str(el.usergroup_id) ?? "";
          return `<span class="mention group">@${escapeHtml(ctx.usergroup(id) ?? id)}</span>`;
        }
        case "broadcast":
          return broadcastHtml(str(el.range) ?? "here");
        case "emoji": {
          const name = str(el.name) ?? "";
          const unicode = str(el.unicode);
          const glyph = unicode
            ? String.fromCodePoint(...unicode.split("-").map((h) => Number.parseInt(h, 16)))
            : emojiFor(name);
          return `<span class="emoji" title=":${escapeHtml(name)}:">${escapeHtml(glyph ?? `:${name}:`)}</span>`;
        }
        case "date":
          return dateHtml({
            unix: Number(el.timestamp),
            format: str(el.format) ?? "{date_short}",
            fallback: str(el.fallback) ?? new Date(Number(el.timestamp) * 1000).toUTCString(),
            link: str(el.url),
          });
        case "color":
          return `<span class="rt-color"><span class="rt-swatch" style="background:${escapeHtml(
            /^#[0-9a-f]{3,8}$/i.test(str(el.value) ?? "") ? (str(el.value) ?? "") : "transparent",
          )}"></span>${escapeHtml(str(el.value) ?? "")}</span>`;
        default:
          return "";
      }
    })
    .join("");
}
