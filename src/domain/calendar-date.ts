/**
 * Whether `value` is a real day written YYYY-MM-DD. Date.parse rolls 2026-02-30 over to March
 * (and so does the date part of an ISO date-time), so compare the round trip instead.
 */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
