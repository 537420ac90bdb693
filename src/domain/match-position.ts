import type { MatchConditions } from "./complaint.ts";
import { compilePhrase } from "./text-match.ts";

/**
 * Where a rule's text condition first holds in `text`: the smallest index at which any of its
 * phrases or patterns matches. Undefined when the rule has no phrases or patterns (a rule on
 * the source or the author has no place in the text) or when none matches. Used only to rank
 * rules that already matched, so it reuses the matcher's compiled phrases and adds no cost to
 * routing in the default mode.
 */
export function firstMatchIndex(text: string, match: MatchConditions): number | undefined {
  const { phrases = [], patterns = [] } = match;
  if (phrases.length === 0 && patterns.length === 0) return undefined;
  const normalized = text.normalize("NFC");
  const indexes = [
    ...phrases.map((phrase) => {
      const regex = compilePhrase(phrase);
      return regex === null ? -1 : normalized.search(regex);
    }),
    // `search` ignores the `g` flag and restores `lastIndex`, as matchesPattern relies on.
    ...patterns.map((pattern) => text.search(pattern)),
  ].filter((index) => index >= 0);
  return indexes.length > 0 ? Math.min(...indexes) : undefined;
}
