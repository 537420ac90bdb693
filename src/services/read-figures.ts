import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { loadFigureCampaigns, loadFigureRows } from "../db/figure-rows.ts";
import { computeFigures } from "../domain/figures/compute-figures.ts";
import type { Figures } from "../domain/figures/figures.ts";
import { offDeskKinds } from "./kind-profiles.ts";
import { calendarOf } from "./workspace-lookups.ts";

/** What to compute figures for. */
export interface FiguresRequest {
  from: Date;
  to: Date;
  now: Date;
  timezone: string;
  /** Department keys; undefined: every configured department. */
  departments?: readonly string[] | undefined;
}

/**
 * Loads the rows for a period and computes its figures: what the digest, the App Home,
 * the report API and the CLI all show.
 */
export async function readFigures(
  db: DatabaseHandle,
  config: WorkspaceConfig,
  request: FiguresRequest,
): Promise<Figures> {
  const rows = await loadFigureRows(db, request);
  const campaigns = await loadFigureCampaigns(db, request);
  return computeFigures({
    ...request,
    departments: request.departments ?? config.departments.map((d) => d.key),
    calendars: Object.fromEntries(
      config.departments.map((d) => [d.key, calendarOf(config, d.key)]),
    ),
    windows: config.sla,
    firstWarningAt: firstWarningShare(config),
    offDeskKinds: offDeskKinds(config),
    kindClocks: Object.fromEntries(
      Object.entries(config.kindProfiles).map(([kind, profile]) => [kind, profile.clocks]),
    ),
    ...rows,
    campaigns,
  });
}

/** The earliest warning's share of a window; with no warnings, only overdue threads are at risk. */
export function firstWarningShare(config: WorkspaceConfig): number {
  const shares = config.nudges.warnings.map((w) => w.atFraction);
  return shares.length > 0 ? Math.min(...shares) : 1;
}
