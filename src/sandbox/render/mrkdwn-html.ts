import { replaceShortcodes } from "./emoji.ts";
import { attrs, escapeHtml, isSafeUrl } from "./html.ts";

/**
 * Slack mrkdwn to HTML, as Slack's clients draw it
 * (https://docs.slack.dev/messaging/formatting-message-text): *bold*, _italic_, ~strike~,
 * `code`, ```preformatted```, > quotes, links, user/channel/group mentions, @here, date
 * tokens and emoji shortcodes. Text arrives with Slack's three escapes (&amp; &lt; &gt;),
 * so a real "<" always opens a token.
 */

/** Names for the ids that mentions carry. */
export interface NameLookup {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
  usergroup(id: string): string | undefined;
}

/** Decodes Slack's three entities. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/**
 * A date token: the fallback now, formatted in the viewer's own time zone by the page
 * (public/slack-dates.js), as Slack's clients do.
 */
export function dateHtml(p: {
  unix: number;
  format: string;
  fallback: string;
  link?: string | undefined;
}): string {
  const time = `<time${attrs({
    class: "sb-date",
    "data-ts": p.unix,
    "data-format": p.format,
    datetime: new Date(p.unix * 1000).toISOString(),
  })}>${escapeHtml(p.fallback)}</time>`;
  return p.link && isSafeUrl(p.link) ? linkHtml(p.link, time) : time;
}

/** An external link opening in a new tab. `inner` is HTML. */
export function linkHtml(url: string, inner: string): string {
  return `<a${attrs({ href: url, target: "_blank", rel: "noopener noreferrer" })}>${inner}</a>`;
}

/** A user mention as Slack shows it; the page highlights mentions of the viewer. */
export function userMentionHtml(id: string, names: NameLookup, label?: string): string {
  const name = names.user(id) ?? label ?? id;
  return `<span${attrs({ class: "mention", "data-user": id })}>@${escapeHtml(name)}</span>`;
}

/** A channel mention; the page opens the channel when it is clicked. */
export function channelMentionHtml(id: string, names: NameLookup, label?: string): string {
  const name = names.channel(id) ?? label ?? id;
  return `<span${attrs({ class: "channel-link", "data-channel": id })}>#${escapeHtml(name)}</span>`;
}

/** @here, @channel, @everyone. */
export function broadcastHtml(range: string): string {
  return `<span class="mention broadcast">@${escapeHtml(range)}</span>`;
}

/** One `<…>` token: a mention, a special, a date or a link. */
function tokenHtml(inner: string, names: NameLookup): string {
  const bar = inner.indexOf("|");
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : inner.slice(bar + 1);
  if (target.startsWith("@")) return userMentionHtml(target.slice(1), names, label);
  if (target.startsWith("#")) return channelMentionHtml(target.slice(1), names, label);
  if (target.startsWith("!")) return specialHtml(target.slice(1), label, names);
  const url = decodeSlackEntities(target);
  if (!isSafeUrl(url)) return escapeHtml(decodeSlackEntities(label ?? target));
  const text = label === undefined ? url.replace(/^mailto:/, "") : decodeSlackEntities(label);
  return linkHtml(url, escapeHtml(text));
}

function specialHtml(special: string, label: string | undefined, names: NameLookup): string {
  const [kind = "", ...rest] = special.split("^");
  if (kind === "date") {
    const [ts = "", format = "", link] = rest;
    const unix = Number(ts);
    const fallback = decodeSlackEntities(label ?? ts);
    if (!Number.isFinite(unix)) return escapeHtml(fallback);
    return dateHtml({
      unix,
      format,
      fallback,
      link: link === undefined ? undefined : decodeSlackEntities(link),
    });
  }
  if (kind === "subteam") {
    const id = rest[0] ?? "";
    const handle = names.usergroup(id) ?? label?.replace(/^@/, "") ?? id;
    return `<span class="mention group">@${escapeHtml(handle)}</span>`;
  }
  if (kind === "here" || kind === "channel" || kind === "everyone") return broadcastHtml(kind);
  return escapeHtml(label ?? special);
}

/** Bold, italic and strikethrough: markers at word boundaries, as Slack requires. */
function styleHtml(escaped: string): string {
  const style = (marker: string, tag: string, text: string) => {
    const m = `\\${marker}`;
    const re = new RegExp(`(^|[^\\w${m}])${m}(?=\\S)([^${m}\\n]*?\\S)${m}(?![\\w${m}])`, "g");
    return text.replace(re, `$1<${tag}>$2</${tag}>`);
  };
  return style("~", "s", style("_", "i", style("*", "b", escaped)));
}

const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/** One line of mrkdwn (no quote marker, no code fence). */
function inlineHtml(line: string, names: NameLookup): string {
  const saved: string[] = [];
  const keep = (html: string) => `\uE000${saved.push(html) - 1}\uE001`;
  let text = line.replace(/<([^<>\n]+)>/g, (_, inner: string) => keep(tokenHtml(inner, names)));
  text = text.replace(/`([^`\n]+)`/g, (_, code: string) =>
    keep(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`),
  );
  const html = replaceShortcodes(styleHtml(escapeHtml(decodeSlackEntities(text))));
  return html.replace(PLACEHOLDER, (_, i: string) => saved[Number(i)] ?? "");
}

/** Lines of text (no fences) with "> " quotes grouped into blockquotes. */
function linesHtml(text: string, names: NameLookup): string {
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length > 0) out.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const quoted = /^(>|&gt;) ?(.*)$/.exec(line);
    if (quoted) {
      quote.push(inlineHtml(quoted[2] ?? "", names));
      return;
    }
    flush();
    out.push(inlineHtml(line, names) + (i < lines.length - 1 ? "<br>" : ""));
  });
  flush();
  return out.join("");
}

/** Renders a mrkdwn string. */
export function mrkdwnToHtml(text: string, names: NameLookup): string {
  const parts = text.split(/```([\s\S]*?)```/);
  return parts
    .map((part, i) =>
      i % 2 === 1
        ? `<pre>${escapeHtml(decodeSlackEntities(part.replace(/^\n/, "")))}</pre>`
        : linesHtml(part, names),
    )
    .join("");
}

/** Renders a plain_text string: no formatting, emoji shortcodes unless `emoji` is false. */
export function plainToHtml(text: string, emoji = true): string {
  const html = escapeHtml(text).replace(/\n/g, "<br>");
  return emoji ? replaceShortcodes(html) : html;
}
