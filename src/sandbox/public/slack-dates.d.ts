/** Types for slack-dates.js (the page's script, shared with its unit test). */
export function ordinal(n: number): string;
export function formatSlackDate(
  unix: number,
  format: string,
  options?: { timeZone?: string; hour12?: boolean; now?: number },
): string;
