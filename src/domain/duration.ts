/**
 * Durations as people write them in config and slash commands: "90s", "15m", "4h", "2d",
 * or combined largest unit first, as in "1h30m" or "1d 12h".
 */

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
type Unit = keyof typeof UNIT_MS;
const UNITS_LARGEST_FIRST: readonly Unit[] = ["d", "h", "m", "s"];

// Each unit at most once, largest first, so "30m1h" and "1h1h" are rejected rather than guessed at.
const DURATION_PATTERN = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/;

/** Examples shown to people who mistype a duration. */
export const DURATION_EXAMPLES = ["90s", "15m", "4h", "2d", "1h30m"] as const;

/**
 * Parses "90s", "15m", "4h", "2d" or a combination such as "1h30m" / "1h 30m" into
 * milliseconds. Returns undefined for anything else, including an empty string.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match || text.trim() === "") return undefined;
  return UNITS_LARGEST_FIRST.reduce((total, unit, index) => {
    const amount = match[index + 1];
    return amount === undefined ? total : total + Number(amount) * UNIT_MS[unit];
  }, 0);
}

/**
 * Formats milliseconds as a short human string using at most `maxUnits` units,
 * largest first: 5_400_000 → "1h 30m", 93_784_000 → "1d 2h". Smaller units are
 * truncated, not rounded, so a countdown never claims more time than is left.
 * Negative values (overdue) keep a leading "-"; anything under a second is "0s".
 */
export function formatDuration(ms: number, maxUnits = 2): string {
  const sign = ms < 0 ? "-" : "";
  let rest = Math.floor(Math.abs(ms) / 1000) * 1000;
  const parts: string[] = [];
  for (const unit of UNITS_LARGEST_FIRST) {
    const amount = Math.floor(rest / UNIT_MS[unit]);
    rest -= amount * UNIT_MS[unit];
    // Units stay contiguous, so with two units 1d 0h 5s reads "1d" rather than a misleading "1d 5s".
    if (amount > 0 || parts.length > 0) parts.push(`${amount}${unit}`);
    if (parts.length === maxUnits) break;
  }
  const trimmed = dropTrailingZeros(parts);
  return trimmed.length === 0 ? "0s" : `${sign}${trimmed.join(" ")}`;
}

function dropTrailingZeros(parts: string[]): string[] {
  const result = [...parts];
  while (result.length > 1 && result.at(-1)?.startsWith("0")) result.pop();
  return result;
}
