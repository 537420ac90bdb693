/** HTML escaping for the sandbox page's server-side rendering. */

const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/** `name="value"` pairs for the defined entries, escaped; objects become JSON. */
export function attrs(
  values: Record<string, string | number | boolean | object | undefined>,
): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => {
      if (v === true) return ` ${k}`;
      const text = typeof v === "object" ? JSON.stringify(v) : String(v);
      return ` ${k}="${escapeHtml(text)}"`;
    })
    .join("");
}

/** True for URLs the page may link to or load: http(s), mailto, or the page's own paths. */
export function isSafeUrl(url: string): boolean {
  return /^(https?:\/\/|mailto:|\/(?!\/))/i.test(url.trim());
}
