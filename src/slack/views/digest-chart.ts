/**
 * The digest's chart as a Vega-Lite spec (pure data, built from the figures): SLA clock runs
 * by department, met / breached / still running, as stacked horizontal bars. The adapter in
 * src/slack/chart-png.ts renders it to PNG.
 */
import type { Figures } from "../../domain/figures/figures.ts";

/** Size of the chart in CSS pixels; the PNG is CHART_SCALE times larger, for sharp screens. */
export const CHART_SIZE = { width: 720, height: 360 } as const;
export const CHART_SCALE = 2;

const OUTCOMES = [
  { key: "met", label: "Met", color: "#2a9d8f" },
  { key: "breached", label: "Breached", color: "#e63946" },
  { key: "running", label: "Still running", color: "#adb5bd" },
] as const;

/** Slack's limit on a file's alt text (files.getUploadURLExternal `alt_txt`). */
export const MAX_ALT_TEXT = 1000;

export interface ChartSpec {
  spec: Record<string, unknown>;
  altText: string;
  title: string;
}

/** The compliance-by-department chart and its alt text. */
export function buildComplianceChart(
  figures: Figures,
  names: Readonly<Record<string, string>>,
  periodLabel: string,
): ChartSpec {
  const rows = figures.byDepartment.flatMap((d) =>
    OUTCOMES.map((o) => ({
      department: names[d.department] ?? d.department,
      outcome: o.label,
      order: OUTCOMES.indexOf(o),
      runs: d.compliance[o.key],
    })),
  );
  const busiest = Math.max(
    0,
    ...figures.byDepartment.map(
      (d) => d.compliance.met + d.compliance.breached + d.compliance.running,
    ),
  );
  const heading = "SLA clocks by department";
  const title = `${heading}, ${periodLabel}`;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: CHART_SIZE.width,
    height: CHART_SIZE.height,
    // The whole picture, axes and legend included, is exactly width × height.
    autosize: { type: "fit", contains: "padding" },
    padding: 12,
    background: "white",
    title: { text: heading, subtitle: periodLabel, anchor: "start", fontSize: 15 },
    data: { values: rows },
    mark: { type: "bar" },
    encoding: {
      y: {
        field: "department",
        type: "nominal",
        title: null,
        sort: null,
        // Vega cuts labels at 180 px: "In-flight Product (cabin)" read "In-flight Product (ca…".
        axis: { labelLimit: 260 },
      },
      x: {
        field: "runs",
        type: "quantitative",
        title: "Clock runs started in the period",
        stack: "zero",
        // Runs are counted: with a few, Vega's default ticks read "0.2, 0.4…".
        axis: { tickMinStep: 1, format: "d" },
        // With no run at all, Vega centres a lone 0 on an empty axis, as if bars could go
        // negative: start at 0 on the left, and run to 1.
        scale: busiest === 0 ? { domain: [0, 1] } : { domainMin: 0 },
      },
      color: {
        field: "outcome",
        type: "nominal",
        title: null,
        scale: { domain: OUTCOMES.map((o) => o.label), range: OUTCOMES.map((o) => o.color) },
        legend: { orient: "bottom" },
      },
      order: { field: "order", type: "quantitative" },
    },
  };
  return { spec, altText: altTextFor(figures, names, title), title };
}

function altTextFor(
  figures: Figures,
  names: Readonly<Record<string, string>>,
  title: string,
): string {
  const parts = figures.byDepartment.map((d) => {
    const c = d.compliance;
    return `${names[d.department] ?? d.department}: ${c.met} met, ${c.breached} breached, ${c.running} still running`;
  });
  const text = `Bar chart: ${title}. ${parts.length ? parts.join("; ") : "No departments"}.`;
  return text.length <= MAX_ALT_TEXT ? text : `${text.slice(0, MAX_ALT_TEXT - 1)}…`;
}
