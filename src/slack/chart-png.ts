import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { CHART_SCALE } from "./views/digest-chart.ts";

/**
 * Renders a Vega-Lite spec to PNG on the server: Vega draws SVG with no browser or canvas
 * (renderer "none"), resvg rasterises it with the system's fonts. No network is touched:
 * the spec carries its data inline.
 */
export async function renderChartPng(spec: Record<string, unknown>): Promise<Buffer> {
  const compiled = compile(spec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      background: "white",
      fitTo: { mode: "zoom", value: CHART_SCALE },
      font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
    })
      .render()
      .asPng();
    return Buffer.from(png);
  } finally {
    view.finalize();
  }
}
