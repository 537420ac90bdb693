/**
 * Returns the candidate nearest to `input` when it looks like a typo of it (a couple of edits
 * away, ignoring case; at most `limit` edits), for "did you mean" hints; undefined when
 * nothing is close.
 */
export function findClosestMatch(
  input: string,
  candidates: readonly string[],
  limit = Math.max(1, Math.min(3, Math.floor(input.length / 3))),
): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(input.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

/** Appends ` (did you mean "x"?)` when a candidate is close, else nothing. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  return meantHint(findClosestMatch(input, candidates) ?? findAbbreviation(input, candidates));
}

/** ` (did you mean "x"?)` for a suggested fix, "" for none: the one wording of the hint. */
export function meantHint(suggestion: string | undefined): string {
  return suggestion === undefined ? "" : ` (did you mean "${suggestion}"?)`;
}

/**
 * A zod error message for a string that is not `what`, with a "did you mean" when `suggest`
 * finds the value it most likely meant: `"Londn" is not a known IANA time zone (did you mean …)`.
 */
export function notWithHint(what: string, suggest: (value: string) => string | undefined) {
  return (issue: { input?: unknown }): string => {
    const meant = typeof issue.input === "string" ? suggest(issue.input) : undefined;
    return `"${String(issue.input)}" is not ${what}${meantHint(meant)}`;
  };
}

// A key the input spells out in full: "monday" for "mon", "thursday" for "thu".
function findAbbreviation(input: string, candidates: readonly string[]): string | undefined {
  const word = input.toLowerCase();
  return candidates.find(
    (candidate) => candidate.length >= 3 && word.startsWith(candidate.toLowerCase()),
  );
}

// Levenshtein distance, one row at a time; inputs are short config keys.
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The IANA zone a mistyped one most likely means: the only zone whose city is the input
 * ("London", "new york" → "Europe/London", "America/New_York"), else the nearest spelling.
 */
export function closestTimeZone(input: string): string | undefined {
  const zones = Intl.supportedValuesOf("timeZone");
  const city = input.trim().toLowerCase().replace(/\s+/g, "_");
  const byCity = zones.filter((zone) => zone.split("/").pop()?.toLowerCase() === city);
  if (byCity.length === 1) return byCity[0];
  return findClosestMatch(input, zones);
}
