/**
 * Whole-word, case-insensitive text matching for routing and priority rules.
 * Pure: no I/O; compiled regexes are cached in module memory.
 */

/** Letters, numbers and combining marks count as word characters (Unicode-aware, unlike `\b`). */
const WORD = String.raw`[\p{L}\p{N}\p{M}]`;
const NOT_WORD = String.raw`[^\p{L}\p{N}\p{M}]`;
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Phrases come from config, so caches stay small; the cap only guards against misuse. */
const MAX_CACHED = 5_000;
const phraseCache = new Map<string, RegExp | null>();
const phraseListCache = new Map<string, RegExp | null>();

/**
 * Compiles a phrase into a regex that matches it as whole words, case-insensitively, with any
 * run of whitespace or punctuation between its words: "lost bag" matches "LOST   bag!!" but
 * not "lost baggage", "#lostbag" or "lost my bag". Punctuation inside the phrase counts as a
 * separator ("wi-fi" matches "wi fi"). A phrase with no word characters (an emoji, say) is
 * matched literally. Returns null for a blank phrase, which never matches.
 */
export function compilePhrase(phrase: string): RegExp | null {
  return cached(phraseCache, phrase, () => toRegExp(phraseSource(phrase)));
}

/** One regex matching any of `phrases`: a single scan of the text instead of one per phrase. */
function compilePhraseList(phrases: readonly string[]): RegExp | null {
  // NUL cannot occur in config text, so the joined key is unambiguous.
  return cached(phraseListCache, phrases.join("\0"), () => {
    const sources = phrases.map(phraseSource).filter((source) => source !== null);
    return toRegExp(sources.length > 0 ? sources.map((s) => `(?:${s})`).join("|") : null);
  });
}

function cached(cache: Map<string, RegExp | null>, key: string, build: () => RegExp | null) {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const built = build();
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, built);
  return built;
}

function phraseSource(phrase: string): string | null {
  const normalized = phrase.normalize("NFC");
  const words = normalized.match(WORD_RUN);
  // An emoji's variation selector (U+FE0F) is a mark, so "❤️" has a "word" of marks alone;
  // matching that as a word would make "❤️" match "✈️" too. Such phrases match literally.
  // Lookarounds instead of \b, which only knows ASCII word characters.
  if (words?.some((word) => LETTER_OR_DIGIT.test(word)))
    return `(?<!${WORD})${words.map(escapeRegExp).join(`${NOT_WORD}+`)}(?!${WORD})`;
  const literal = normalized.trim();
  return literal === "" ? null : escapeRegExp(literal);
}

function toRegExp(source: string | null): RegExp | null {
  return source === null ? null : new RegExp(source, "iu");
}

/** Escapes every character that has a meaning in a regular expression. */
export function escapeRegExp(text: string): string {
  // Only syntax characters: with the `u` flag, escaping anything else is a SyntaxError.
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** True when `text` contains `phrase` as whole words (see {@link compilePhrase}). */
export function containsPhrase(text: string, phrase: string): boolean {
  return findPhrase(text, [phrase]) !== undefined;
}

/** The first phrase of `phrases` (in list order) that `text` contains, or undefined. */
export function findPhrase(text: string, phrases: readonly string[]): string | undefined {
  const normalized = text.normalize("NFC");
  // Compiled regexes have no `g` or `y` flag, so `test` keeps no state between calls.
  if (!compilePhraseList(phrases)?.test(normalized)) return undefined;
  return phrases.find((phrase) => compilePhrase(phrase)?.test(normalized) ?? false);
}

/**
 * True when `pattern` matches somewhere in `text`. Uses `String#search`, which ignores the `g`
 * flag and restores `lastIndex`, so shared global regexes give the same answer every call.
 */
export function matchesPattern(text: string, pattern: RegExp): boolean {
  return text.search(pattern) !== -1;
}

/**
 * The words of `text` as the phrase matcher sees them: runs of letters, digits and marks, in
 * lowercase, NFC-normalised. "Wi-Fi down!!" → ["wi", "fi", "down"]. The learned router counts
 * these, so a phrase rule and the model agree on what a word is.
 */
export function tokenize(text: string): string[] {
  return text.normalize("NFC").toLowerCase().match(WORD_RUN) ?? [];
}
