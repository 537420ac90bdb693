import type { WorkspaceConfig } from "../config/workspace-types.ts";
import type { CampaignView } from "../db/campaign-store.ts";
import { campaignStatus, MARKETING_CHANNELS, noticeMs } from "../domain/campaign.ts";
import { departmentOf } from "../services/workspace-lookups.ts";
import type { CampaignDepartmentModel, CampaignModel } from "./views/campaign-text.ts";

/** The campaign as its views show it now: departments in config order, names from the config. */
export function campaignModel(
  view: CampaignView,
  config: WorkspaceConfig,
  now: Date,
): CampaignModel {
  const { campaign } = view;
  const order = (key: string) => {
    const index = config.departments.findIndex((d) => d.key === key);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  const departments = [...view.departments]
    .sort((a, b) => order(a.department) - order(b.department))
    .map((row): CampaignDepartmentModel => {
      const department = departmentOf(config, row.department);
      return {
        key: row.department,
        name: department?.name ?? row.department,
        active: row.active,
        acknowledgedBy: row.acknowledgedBy ?? undefined,
        acknowledgedAt: row.acknowledgedAt ?? undefined,
        usergroup: department?.usergroup,
        leads: department?.leads ?? [],
        headsUp:
          row.slackChannel && row.slackTs
            ? { channel: row.slackChannel, ts: row.slackTs }
            : undefined,
      };
    });
  const announcer = /^slack:([UW][A-Z0-9]+)$/.exec(campaign.announcedBy)?.[1];
  return {
    id: campaign.id,
    name: campaign.name,
    description: campaign.description ?? undefined,
    launchAt: campaign.launchAt,
    endAt: campaign.endAt,
    status: campaignStatus(campaign, now),
    late: campaign.late,
    noticeMs: noticeMs(campaign.launchAt, campaign.noticeFrom ?? campaign.announcedAt),
    minimumNoticeMs: config.campaigns?.minimumNoticeMs ?? 0,
    channels: campaign.channels.map(
      (c) => MARKETING_CHANNELS[c as keyof typeof MARKETING_CHANNELS] ?? c,
    ),
    audienceSize: campaign.audienceSize ?? undefined,
    expectedVolume: campaign.expectedVolume ?? undefined,
    keywords: campaign.keywords,
    talkingPoints: campaign.talkingPoints ?? undefined,
    faqUrl: campaign.faqUrl ?? undefined,
    owner: campaign.owner,
    announcedBy: announcer,
    departments,
    linked: view.linked,
    now,
  };
}
