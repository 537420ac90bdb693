import { replaceShortcodes } from "./emoji.ts";
import { escapeHtml, isSafeUrl } from "./html.ts";
import { linkHtml, type NameLookup, userMentionHtml } from "./mrkdwn-html.ts";

/**
 * The `markdown` block's standard Markdown (https://docs.slack.dev/reference/block-kit/blocks/markdown-block):
 * headings, **bold**, *italic*, ~~strike~~, `code`, fenced code, lists, quotes and links.
 */
export function markdownToHtml(text: string, names: NameLookup): string {
  const parts = text.split(/```[^\n]*\n?([\s\S]*?)```/);
  return parts
    .map((part, i) => (i % 2 === 1 ? `<pre>${escapeHtml(part)}</pre>` : blocksHtml(part, names)))
    .join("");
}

function inline(text: string, names: NameLookup): string {
  const saved: string[] = [];
  const keep = (html: string) => `\uE000${saved.push(html) - 1}\uE001`;
  let t = text.replace(/`([^`]+)`/g, (_, code: string) => keep(`<code>${escapeHtml(code)}</code>`));
  t = t.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, label: string, url: string) =>
    isSafeUrl(url) ? keep(linkHtml(url, escapeHtml(label))) : whole,
  );
  t = t.replace(/<@([UW][A-Z0-9]+)>/g, (_, id: string) => keep(userMentionHtml(id, names)));
  let html = escapeHtml(t)
    .replace(/\*\*(?=\S)(.+?\S)\*\*/g, "<b>$1</b>")
    .replace(/__(?=\S)(.+?\S)__/g, "<b>$1</b>")
    .replace(/(^|[^\w*])\*(?=\S)([^*]+?\S)\*(?!\w)/g, "$1<i>$2</i>")
    .replace(/(^|[^\w_])_(?=\S)([^_]+?\S)_(?!\w)/g, "$1<i>$2</i>")
    .replace(/~~(?=\S)(.+?\S)~~/g, "<s>$1</s>");
  html = replaceShortcodes(html);
  return html.replace(/\uE000(\d+)\uE001/g, (_, i: string) => saved[Number(i)] ?? "");
}

function blocksHtml(text: string, names: NameLookup): string {
  const out: string[] = [];
  let listTag: "ul" | "ol" | null = null;
  let paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length > 0)
      out.push(`<p>${paragraph.map((l) => inline(l, names)).join("<br>")}</p>`);
    paragraph = [];
  };
  const closeList = () => {
    if (listTag) out.push(`</${listTag}>`);
    listTag = null;
  };
  for (const line of text.split("\n")) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    if (heading || quote || line.trim() === "" || /^(-{3,}|\*{3,})$/.test(line.trim())) {
      flushParagraph();
      closeList();
      if (heading) {
        const level = Math.min((heading[1] ?? "#").length + 2, 6);
        out.push(`<h${level}>${inline(heading[2] ?? "", names)}</h${level}>`);
      } else if (quote) out.push(`<blockquote>${inline(quote[1] ?? "", names)}</blockquote>`);
      else if (line.trim() !== "") out.push("<hr>");
      continue;
    }
    if (bullet || numbered) {
      flushParagraph();
      const tag = bullet ? "ul" : "ol";
      if (listTag !== tag) {
        closeList();
        out.push(`<${tag}>`);
        listTag = tag;
      }
      out.push(`<li>${inline((bullet ?? numbered)?.[1] ?? "", names)}</li>`);
      continue;
    }
    closeList();
    paragraph.push(line);
  }
  flushParagraph();
  closeList();
  return out.join("");
}
