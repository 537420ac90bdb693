import type { WorkspaceFile } from "./workspace-schema.ts";
import type { CampaignSettings } from "./workspace-types.ts";

const HOUR = 3_600_000;

/** What a campaigns section gets for each key it leaves out. */
export const DEFAULT_CAMPAIGN_SETTINGS = {
  minimumNoticeMs: 48 * HOUR,
  remindersMs: [24 * HOUR, 2 * HOUR],
  linkTailMs: 72 * HOUR,
  spike: { factor: 3, windowMs: HOUR, minimum: 10 },
} as const;

/** The campaigns section in its runtime shape: defaults filled in, announcers split by kind. */
export function toCampaignSettings(
  section: NonNullable<WorkspaceFile["campaigns"]>,
): CampaignSettings {
  const d = DEFAULT_CAMPAIGN_SETTINGS;
  return {
    channel: section.channel,
    announcers: {
      users: section.announcers.filter((id) => !id.startsWith("S")),
      usergroups: section.announcers.filter((id) => id.startsWith("S")),
    },
    minimumNoticeMs: section.minimumNotice ?? d.minimumNoticeMs,
    remindersMs: [...(section.reminders ?? d.remindersMs)].sort((a, b) => b - a),
    linkTailMs: section.linkTail ?? d.linkTailMs,
    spike: {
      factor: section.spike?.factor ?? d.spike.factor,
      windowMs: section.spike?.window ?? d.spike.windowMs,
      minimum: section.spike?.minimum ?? d.spike.minimum,
    },
  };
}
