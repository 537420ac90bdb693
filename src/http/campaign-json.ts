import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { CampaignView } from "../db/campaign-store.ts";
import { campaignStatus } from "../domain/campaign.ts";
import { departmentOf } from "../services/workspace-lookups.ts";

/** A campaign as the API returns it: its fields, status, acknowledgements and linked complaints. */
export function campaignJson(view: CampaignView, config: WorkspaceConfig, now: Date) {
  const c = view.campaign;
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    status: campaignStatus(c, now),
    launchAt: c.launchAt.toISOString(),
    endAt: c.endAt.toISOString(),
    channels: c.channels,
    audienceSize: c.audienceSize,
    expectedVolume: c.expectedVolume,
    keywords: c.keywords,
    talkingPoints: c.talkingPoints,
    faqUrl: c.faqUrl,
    owner: c.owner,
    announcedAt: c.announcedAt.toISOString(),
    late: c.late,
    cancelledAt: c.cancelledAt?.toISOString() ?? null,
    departments: view.departments
      .filter((d) => d.active)
      .map((d) => ({
        department: d.department,
        name: departmentOf(config, d.department)?.name ?? d.department,
        acknowledged: d.acknowledgedBy !== null,
        acknowledgedBy: d.acknowledgedBy,
        acknowledgedAt: d.acknowledgedAt?.toISOString() ?? null,
      })),
    linkedComplaints: view.linked,
  };
}
