/**
 * Helpers that make untrusted text safe and bounded inside Slack mrkdwn.
 * Slack asks for exactly three escapes: & < > (https://docs.slack.dev/messaging/formatting-message-text).
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** Ellipsis used when a short label (a name, a reason) is cut. */
export const ELLIPSIS = "…";

/** Escapes &, < and > so customer text cannot form links, mentions (`<!channel>`) or dates. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/[&<>]/g, (char) => ENTITIES[char] ?? char);
}

/**
 * Cuts `text` to at most `max` UTF-16 units (what Slack's limits count), ending with `marker`.
 * Never splits a surrogate pair or, in escaped text, an entity such as `&amp;`.
 */
export function truncate(text: string, max: number, marker: string = ELLIPSIS): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - marker.length));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  // Escaped text only holds "&" as the start of an entity, so a trailing "&…" is a broken one.
  cut = cut.replace(/&[a-z]{0,3}$/, "");
  return cut.trimEnd() + marker;
}

/** Escapes untrusted text and bounds the escaped result to `max` characters. */
export function escapeAndTruncate(text: string, max: number): string {
  return truncate(escapeMrkdwn(text), max);
}

/** Collapses newlines and runs of whitespace, for one-line labels and notification text. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * Renders customer text as an escaped mrkdwn block quote of at most `max` characters,
 * saying so when it had to be cut.
 */
export function quoteMrkdwn(text: string, max: number): string {
  if (text.trim() === "") return "> _(no text)_";
  const quoted = escapeMrkdwn(text)
    .split(/\r\n|\r|\n/)
    .map((line) => `> ${line}`)
    .join("\n");
  const marker = ` ${ELLIPSIS} _(truncated; ${text.length.toLocaleString("en-US")} characters in full)_`;
  return truncate(quoted, max, marker);
}

/** Accepts only plain http(s) URLs: `<`, `>`, `|` or whitespace would break Slack's link syntax. */
const SAFE_URL = /^https?:\/\/[^\s<>|]+$/i;
/** Well under the 3000-char section limit so the link never crowds out the card. */
export const MAX_LINK_URL = 2000;

/**
 * A mrkdwn link `<url|label>` when `url` is a safe http(s) URL, else the URL as escaped,
 * bounded plain text (shown, but not clickable).
 */
export function linkMrkdwn(url: string, label: string): string {
  if (!SAFE_URL.test(url) || url.length > MAX_LINK_URL) return escapeAndTruncate(url, 300);
  return `<${escapeMrkdwn(url)}|${escapeAndTruncate(oneLine(label), 200)}>`;
}

/**
 * A date shown in each viewer's time zone, with an ISO 8601 UTC fallback for clients that
 * cannot render it; undefined for an invalid date.
 */
export function slackDate(date: Date): string | undefined {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return undefined;
  const fallback = date.toISOString().replace(/\.\d{3}Z$/, "Z");
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,31}$/;

/** A mention for a Slack user id; anything that is not one is shown as escaped text instead. */
export function userMention(userId: string): string {
  return SLACK_USER_ID.test(userId) ? `<@${userId}>` : escapeAndTruncate(userId, 64);
}

/** Room kept for the "; and 9999 more" tail. */
const MORE_RESERVE = 24;

/**
 * Joins already-escaped items with `separator` within `max` characters; items that do not fit
 * are counted in an "and N more" tail rather than cut off silently.
 */
export function joinBounded(items: readonly string[], separator: string, max: number): string {
  const joined = items.join(separator);
  if (joined.length <= max) return joined;
  const [first = ""] = items;
  if (items.length === 1) return truncate(first, max);
  const budget = max - MORE_RESERVE;
  const kept: string[] = [];
  let length = 0;
  for (const item of items) {
    const next = length + (kept.length > 0 ? separator.length : 0) + item.length;
    if (next > budget) break;
    kept.push(item);
    length = next;
  }
  if (kept.length === 0) kept.push(truncate(first, budget));
  return `${kept.join(separator)}${separator}and ${items.length - kept.length} more`;
}
