/**
 * Whole-word, case-insensitive text matching for routing and priority rules, on text and
 * phrases folded alike (see {@link foldForMatching}: full-width letters, accents on Latin
 * letters). Pure: no I/O; compiled regexes are cached in module memory.
 */
import { foldForMatching, isAscii } from "./text-folding.ts";

/** Letters, numbers and combining marks count as word characters (Unicode-aware, unlike `\b`). */
const WORD = String.raw`[\p{L}\p{N}\p{M}]`;
const NOT_WORD = String.raw`[^\p{L}\p{N}\p{M}]`;
const WORD_RUN = /[\p{L}\p{N}\p{M}]+/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/**
 * Scripts written without spaces between words (Chinese, Japanese, Thai…): "荷物が届かない"
 * has no word boundary to find, so a phrase's edge next to one of their characters counts as
 * a word's edge. Within a phrase nothing changes; only the lookarounds use BOUNDARY_WORD.
 * The contents of a regex character class (with the `u` flag); the learned router's word
 * segmentation uses it too.
 */
export const UNSPACED = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}`;
const BOUNDARY_WORD = String.raw`(?:(?![${UNSPACED}])${WORD})`;
const HAS_UNSPACED = new RegExp(`[${UNSPACED}]`, "u");

/** Phrases come from config, so caches stay small; the cap only guards against misuse. */
const MAX_CACHED = 5_000;
const phraseCache = new Map<string, RegExp | null>();
const phraseListCache = new Map<string, RegExp | null>();

/**
 * Compiles a phrase into a regex that matches it as whole words, case-insensitively, with any
 * run of whitespace or punctuation between its words: "lost bag" matches "LOST   bag!!" but
 * not "lost baggage", "#lostbag" or "lost my bag". Punctuation inside the phrase counts as a
 * separator ("wi-fi" matches "wi fi"). Phrase and text are folded alike: "cafe" matches "Café"
 * and "ＣＡＦＥ". A phrase with no word characters (an emoji, say) is matched literally. Returns null for a blank phrase, which never matches.
 */
export function compilePhrase(phrase: string): RegExp | null {
  return cached(phraseCache, phrase, () => toRegExp(phraseSource(phrase)));
}

/**
 * Lists already compiled, by the list itself: rules keep their phrase arrays for the life of
 * the config, so most calls skip building the joined key (a long string, hashed each time).
 */
const phraseListByArray = new WeakMap<readonly string[], RegExp | null>();

/** One regex matching any of `phrases`: a single scan of the text instead of one per phrase. */
function compilePhraseList(phrases: readonly string[]): RegExp | null {
  const known = phraseListByArray.get(phrases);
  if (known !== undefined) return known;
  const compiled = compileJoinedList(phrases);
  phraseListByArray.set(phrases, compiled);
  return compiled;
}

function compileJoinedList(phrases: readonly string[]): RegExp | null {
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
  const normalized = foldForMatching(phrase);
  const words = normalized.match(WORD_RUN);
  // An emoji's variation selector (U+FE0F) is a mark, so "❤️" has a "word" of marks alone;
  // matching that as a word would make "❤️" match "✈️" too. Such phrases match literally.
  // Lookarounds instead of \b, which only knows ASCII word characters.
  if (words?.some((word) => LETTER_OR_DIGIT.test(word)))
    return `(?<!${BOUNDARY_WORD})${words.map(escapeRegExp).join(`${NOT_WORD}+`)}(?!${BOUNDARY_WORD})`;
  const literal = normalized.replace(VARIATION_SELECTORS, "").trim();
  return literal === "" ? null : [...literal].map(escapeRegExp).join(`${VARIATION_SELECTOR}?`);
}

/**
 * Text (U+FE0E) and emoji (U+FE0F) presentation selectors: "❤" and "❤️" are one heart, and
 * posts carry either, whichever the person's keyboard wrote. A literal phrase matches both.
 */
const VARIATION_SELECTOR = "[\uFE0E\uFE0F]";
const VARIATION_SELECTORS = /[︎️]/g;

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
  const words = lowercaseWords(text);
  if (!words) return findByRegExp(text, phrases);
  return findByWords(text, words, wordIndexOf(phrases));
}

/** {@link findPhrase} by the compiled regexes alone: the definition of a match. */
export function findByRegExp(text: string, phrases: readonly string[]): string | undefined {
  const normalized = normalizeText(text);
  // Compiled regexes have no `g` or `y` flag, so `test` keeps no state between calls.
  if (!compilePhraseList(phrases)?.test(normalized)) return undefined;
  return phrases.find((phrase) => compilePhrase(phrase)?.test(normalized) ?? false);
}

/*
 * The fast path. Every rule of routing, kinds and priority checks each post, and their
 * regexes were a fifth of intake's CPU (`npm run bench -- intake --profile`). For a phrase
 * in ASCII, which most are, the regex's answer is a comparison of words: the phrase matches
 * where its words are consecutive words of the text (the regex asks for whole words with
 * only separators between), compared in lowercase. Lowercase is the regex's case-insensitive
 * comparison against ASCII letters except for two characters, the Kelvin sign and the long s
 * (case folding maps them onto k and s, lowercasing does not): a text with either, or with
 * words of a script written without spaces (see UNSPACED), takes the
 * regexes. Phrases with other characters (emoji, accents) keep their own regex.
 * tests/unit/text-match-words.test.ts checks that both paths agree.
 */
const FOLDS_ONTO_ASCII = /[\u212A\u017F]/;
const ASCII_WORD_RUN = /[a-z0-9]+/g;

/** A list's phrases, indexed for {@link findByWords}, each with its place in the list. */
interface WordIndex {
  phrases: readonly string[];
  /** ASCII phrases with words, by their first word (lowercase). */
  byFirstWord: Map<string, Array<{ words: string[]; at: number }>>;
  /** ASCII phrases without letters or digits: matched as substrings. */
  literals: Array<{ literal: string; at: number }>;
  /** Phrases with non-ASCII characters: matched by their regex. */
  others: Array<{ phrase: string; at: number }>;
}

const wordIndexes = new WeakMap<readonly string[], WordIndex>();

function wordIndexOf(phrases: readonly string[]): WordIndex {
  let index = wordIndexes.get(phrases);
  if (!index) {
    index = buildWordIndex(phrases);
    wordIndexes.set(phrases, index);
  }
  return index;
}

function buildWordIndex(phrases: readonly string[]): WordIndex {
  const index: WordIndex = { phrases, byFirstWord: new Map(), literals: [], others: [] };
  for (const [at, phrase] of phrases.entries()) {
    if (!isAscii(phrase)) {
      index.others.push({ phrase, at });
      continue;
    }
    const words = phrase.toLowerCase().match(ASCII_WORD_RUN);
    const [first] = words ?? [];
    if (words && first !== undefined) {
      const entries = index.byFirstWord.get(first) ?? [];
      entries.push({ words, at });
      index.byFirstWord.set(first, entries);
    } else if (phrase.trim() !== "") {
      index.literals.push({ literal: phrase.trim(), at });
    }
  }
  return index;
}

function findByWords(text: string, words: readonly string[], index: WordIndex): string | undefined {
  const normalized = normalizeText(text);
  let first = Number.POSITIVE_INFINITY;
  for (let i = 0; i < words.length; i++) {
    for (const entry of index.byFirstWord.get(words[i] as string) ?? []) {
      if (entry.at < first && followsAt(words, i, entry.words)) first = entry.at;
    }
  }
  for (const { literal, at } of index.literals) {
    if (at < first && normalized.includes(literal)) first = at;
  }
  for (const { phrase, at } of index.others) {
    if (at < first && compilePhrase(phrase)?.test(normalized)) first = at;
  }
  return index.phrases[first];
}

function followsAt(words: readonly string[], start: number, phrase: readonly string[]): boolean {
  if (start + phrase.length > words.length) return false;
  for (let j = 1; j < phrase.length; j++) if (words[start + j] !== phrase[j]) return false;
  return true;
}

/**
 * The folded text's words (runs of letters, digits and marks), each in lowercase, or null when
 * the text holds a character that only the regexes compare rightly. Kept for the last text:
 * every rule checks the same post in turn.
 */
let lastWordsText: string | undefined;
let lastWords: string[] | null = [];
function lowercaseWords(text: string): string[] | null {
  if (text !== lastWordsText) {
    lastWords = isAscii(text)
      ? (text.toLowerCase().match(ASCII_WORD_RUN) ?? [])
      : FOLDS_ONTO_ASCII.test(text) || HAS_UNSPACED.test(text)
        ? null
        : (normalizeText(text).match(WORD_RUN) ?? []).map((word) => word.toLowerCase());
    lastWordsText = text;
  }
  return lastWords;
}

/**
 * `text` folded for matching. Every rule of routing, kinds and priority checks the same post in
 * turn, so the last answer is kept: one normalisation per post instead of one per rule.
 */
let lastText: string | undefined;
let lastNormalized = "";
function normalizeText(text: string): string {
  if (text !== lastText) {
    lastNormalized = foldForMatching(text);
    lastText = text;
  }
  return lastNormalized;
}

/**
 * True when `pattern` matches somewhere in `text`. Uses `String#search`, which ignores the `g`
 * flag and restores `lastIndex`, so shared global regexes give the same answer every call.
 */
export function matchesPattern(text: string, pattern: RegExp): boolean {
  return text.search(pattern) !== -1;
}

/**
 * The words of `text` as learned models of formats 1 and 2 read them: runs of letters, digits
 * and marks, in lowercase, NFC-normalised. "Wi-Fi down!!" → ["wi", "fi", "down"]. A sentence in
 * a script written without spaces is one "word" here; newer models read words with
 * `segmentWords` (word-segments.ts), and these stay as they were so that a model stored
 * before scores posts as it was trained to.
 */
export function tokenize(text: string): string[] {
  return text.normalize("NFC").toLowerCase().match(WORD_RUN) ?? [];
}
