import type { ComplaintFacts, MatchConditions } from "./complaint.ts";
import { findPhrase, matchesPattern } from "./text-match.ts";

/** Whether a rule's conditions hold for a complaint, and the human-readable reasons they do. */
export interface MatchResult {
  matched: boolean;
  /** One entry per condition that held, e.g. `phrase "lost bag"`; empty when not matched. */
  because: string[];
}

/** A condition's verdict: undefined when the rule does not use it, null when it fails. */
type Verdict = string | null | undefined;
type Check = (facts: ComplaintFacts, match: MatchConditions) => Verdict;

const COUNT = new Intl.NumberFormat("en-US");

/**
 * Tests a complaint against a rule's conditions: every present condition must hold (AND);
 * within a list any entry may (OR), and phrases and patterns count as one text condition. An empty list never matches, so a half-written rule
 * cannot swallow every complaint. Cheap checks run before text matching.
 */
export function matchConditions(facts: ComplaintFacts, match: MatchConditions): MatchResult {
  const because: string[] = [];
  for (const check of CHECKS) {
    const verdict = check(facts, match);
    if (verdict === null) return { matched: false, because: [] };
    if (verdict !== undefined) because.push(verdict);
  }
  return { matched: true, because };
}

/** Joins a match's reasons for display; a rule without conditions "matches everything". */
export function explainMatch(because: readonly string[]): string {
  return because.length > 0 ? because.join(", ") : "matches everything";
}

/** Formats a count with thousands separators, the way reasons show them: 12,400. */
export function formatCount(value: number): string {
  return COUNT.format(value);
}

const checkSource: Check = (facts, { sources }) => {
  if (!sources) return undefined;
  const source = normalizeName(facts.source);
  return sources.some((s) => normalizeName(s) === source) ? `source "${facts.source}"` : null;
};

const checkLanguage: Check = (facts, { languages }) => {
  if (!languages) return undefined;
  if (facts.language === undefined) return null;
  const language = facts.language;
  return languages.some((l) => languageCovers(l, language)) ? `language "${facts.language}"` : null;
};

const checkAuthor: Check = (facts, { authors }) => {
  if (!authors) return undefined;
  if (!facts.author) return null;
  const handle = normalizeHandle(facts.author.handle);
  return authors.some((a) => normalizeHandle(a) === handle) ? `author "@${handle}"` : null;
};

const checkVerified: Check = (facts, { verified }) => {
  if (verified === undefined) return undefined;
  // Unknown verification counts as unverified: platforms only tell us when it is true.
  const isVerified = facts.author?.verified ?? false;
  if (isVerified !== verified) return null;
  return verified ? "verified author" : "unverified author";
};

const checkFollowers: Check = (facts, { minFollowers }) =>
  checkAtLeast("followers", facts.author?.followers, minFollowers);

const checkShares: Check = (facts, { minShares }) =>
  checkAtLeast("shares", facts.metrics?.shares, minShares);

/**
 * The negative condition: a rule does not match a text containing one of its excluded phrases.
 * Nothing to add to the reasons when none is present (the phrase that matched says why).
 */
const checkExcluded: Check = (facts, { excludePhrases }) => {
  if (!excludePhrases) return undefined;
  return findPhrase(facts.text, excludePhrases) === undefined ? undefined : null;
};

/**
 * Phrases and patterns together are one condition on the text: either may match. A rule
 * lists the words customers use and a regex for the spellings a phrase cannot cover.
 */
const checkText: Check = (facts, { phrases, patterns }) => {
  if (!phrases && !patterns) return undefined;
  const phrase = phrases ? findPhrase(facts.text, phrases) : undefined;
  if (phrase !== undefined) return `phrase "${phrase}"`;
  const pattern = patterns?.find((p) => matchesPattern(facts.text, p));
  return pattern === undefined ? null : `pattern ${String(pattern)}`;
};

const CHECKS: readonly Check[] = [
  checkSource,
  checkLanguage,
  checkAuthor,
  checkVerified,
  checkFollowers,
  checkShares,
  checkExcluded,
  checkText,
];

function checkAtLeast(label: string, actual: number | undefined, min: number | undefined): Verdict {
  if (min === undefined) return undefined;
  // A missing figure fails: we cannot claim reach we have not seen.
  if (actual === undefined || !(actual >= min)) return null;
  return `${label} ${formatCount(actual)} ≥ ${formatCount(min)}`;
}

function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}

function normalizeHandle(handle: string): string {
  return normalizeName(handle).replace(/^@+/, "");
}

/**
 * Whether a rule's language tag covers a post's: its subtags are the post's first ones, so
 * "en" covers "en" and "en-GB", while "pt-BR" covers "pt-BR" only, not "pt-PT" or "pt".
 */
function languageCovers(ruleTag: string, postTag: string): boolean {
  const subtags = (tag: string) => normalizeName(tag).split(/[-_]/);
  const rule = subtags(ruleTag);
  const post = subtags(postTag);
  return rule.length <= post.length && rule.every((part, index) => part === post[index]);
}
