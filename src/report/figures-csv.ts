import type { Figures } from "../domain/figures/figures.ts";
import { CLOCK_KINDS } from "../domain/sla-clock.ts";

const COLUMNS = [
  "from",
  "to",
  "timezone",
  "department",
  "clock",
  "met",
  "breached",
  "running",
  "compliance_pct",
  "complaints",
  "threads_opened",
  "breaches",
] as const;

/** RFC 4180 quoting, and a leading quote for text a spreadsheet would run as a formula. */
function cell(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The report as CSV: one row per department and clock (met, breached, running and the
 * compliance of clock runs started in the period, and the breaches of that clock whose
 * deadline fell in the period; a breached run and its breach share a row, the department's
 * that held the thread when it was breached). The department's volume (complaints, threads opened) is on
 * its first row only, blank on the others: every number column then sums to the report's
 * total, where repeating the volume on each row counted it once per clock.
 */
export function figuresToCsv(figures: Figures): string {
  const lines = [COLUMNS.join(",")];
  for (const d of figures.byDepartment) {
    for (const [i, clock] of CLOCK_KINDS.entries()) {
      const rows = figures.compliance.rows.filter(
        (r) => r.department === d.department && r.clock === clock,
      );
      const met = rows.reduce((n, r) => n + r.met, 0);
      const breached = rows.reduce((n, r) => n + r.breached, 0);
      const running = rows.reduce((n, r) => n + r.running, 0);
      const pct = met + breached === 0 ? null : Math.round((met / (met + breached)) * 1000) / 10;
      const breaches = figures.breaches.filter(
        (b) => b.department === d.department && b.clock === clock,
      ).length;
      lines.push(
        [
          figures.from.toISOString(),
          figures.to.toISOString(),
          figures.timezone,
          d.department,
          clock,
          met,
          breached,
          running,
          pct,
          i === 0 ? d.complaints : null,
          i === 0 ? d.threadsOpened : null,
          breaches,
        ]
          .map(cell)
          .join(","),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
