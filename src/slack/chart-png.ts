import type { TopLevelSpec } from "vega-lite";
import { CHART_SCALE } from "./views/digest-chart.ts";

/**
 * Renders a Vega-Lite spec to PNG on the server: Vega draws SVG with no browser or canvas
 * (renderer "none"), resvg rasterises it with the system's fonts. No network is touched:
 * the spec carries its data inline.
 */
export async function renderChartPng(spec: Record<string, unknown>): Promise<Buffer> {
  const { Resvg } = await chartLibraries();
  const png = new Resvg(await renderChartSvg(spec), {
    background: "white",
    fitTo: { mode: "zoom", value: CHART_SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}

/** The SVG Vega draws for a Vega-Lite spec: what the PNG shows, its text readable. */
export async function renderChartSvg(spec: Record<string, unknown>): Promise<string> {
  const { compile, vega } = await chartLibraries();
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Vega, Vega-Lite and resvg are loaded at the first chart, not at start: a digest is sent a
 * few times a day, and loading them took about 30 MB of resident memory from start-up on
 * (loading src/switchboard.ts: 215 MB RSS with them, 185 MB without).
 */
let libraries: Promise<ChartLibraries> | undefined;
interface ChartLibraries {
  compile: typeof import("vega-lite").compile;
  vega: typeof import("vega");
  Resvg: typeof import("@resvg/resvg-js").Resvg;
}
function chartLibraries(): Promise<ChartLibraries> {
  libraries ??= Promise.all([import("vega-lite"), import("vega"), import("@resvg/resvg-js")]).then(
    ([lite, vega, resvg]) => ({ compile: lite.compile, vega, Resvg: resvg.Resvg }),
  );
  return libraries;
}
