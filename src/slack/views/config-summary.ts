import type { WorkspaceConfig } from "../../config/workspace-types.ts";
import { PRIORITIES } from "../../domain/complaint.ts";
import { formatDuration } from "../../domain/duration.ts";
import { escapeAndTruncate, joinBounded, oneLine } from "./mrkdwn.ts";

/** Room for one paragraph on the Home (its sections are cut at 2,900 characters). */
const PARAGRAPH_MAX = 2900;

/** Warning targets as the workspace file names them (`notify: owner`), with what they do. */
const WARNING_TARGETS: Record<string, string> = {
  thread: "thread",
  owner_or_channel: "owner (channel while unclaimed)",
};

/** The configuration in force, as three mrkdwn paragraphs for the admin Home. Pure. */
export function describeConfig(config: WorkspaceConfig): string[] {
  const departments = config.departments.map((d) => {
    const calendar = d.calendar ? config.calendars[d.calendar] : undefined;
    const hours = calendar
      ? `${escapeAndTruncate(d.calendar ?? "", 40)} hours (${calendar.timezone})`
      : "around the clock";
    const channel = d.channel.startsWith("#")
      ? escapeAndTruncate(d.channel, 80)
      : `<#${d.channel}>`;
    const leads = d.leads.map((l) => `<@${l}>`).join(", ") || "no leads";
    return `• *${escapeAndTruncate(d.name, 80)}* (\`${d.key}\`) in ${channel}, ${hours}; leads ${leads}`;
  });
  const window = (ms: number | undefined) => (ms === undefined ? "–" : formatDuration(ms));
  const sla = PRIORITIES.map((p) => {
    const w = config.sla[p];
    return `• *${p}*: claim ${window(w.claimMs)}, first response ${window(w.firstResponseMs)}, next response ${window(w.nextResponseMs)}, resolution ${window(w.resolutionMs)}`;
  });
  const warnings = config.nudges.warnings.map(
    (w) => `${Math.round(w.atFraction * 100)}% → ${WARNING_TARGETS[w.target] ?? w.target}`,
  );
  // Without an executives' channel, escalations go to the department's channel (its leads).
  const escalatedTo = config.executivesChannel ? "executives" : "department channel, leads";
  const escalate = config.nudges.escalate.map(
    (e) => `${formatDuration(e.afterBreachMs)} after a breach → ${escalatedTo}`,
  );
  const nameOf = (key: string) => config.departments.find((d) => d.key === key)?.name ?? key;
  // `departments` narrows what an executive's digest and Home count: without it, all of them.
  const scope = (keys: readonly string[] | undefined) =>
    keys ? `, for ${escapeAndTruncate(keys.map(nameOf).join(", "), 200)}` : "";
  // By name as well as mention: the file's `name` is how the admin wrote them down, and a
  // mention alone shows a handle (or nothing useful for a deactivated account).
  const executives = config.executives.map(
    (e) =>
      `${escapeAndTruncate(oneLine(e.name), 80)} (<@${e.user}>) ${e.digest ? `at \`${escapeAndTruncate(e.digest, 40)}\` ${e.timezone}` : "with no digest"}${scope(e.departments)}`,
  );
  return [
    `*Departments:*\n${joinBounded(departments, "\n", PARAGRAPH_MAX - 20)}`,
    `*SLA windows:*\n${sla.join("\n")}`,
    `*Chasing:* warnings ${warnings.join(", ") || "none"}; breach → leads; ${escalate.join(", ") || "no escalation"}\n*Digests:* ${executives.join("; ") || "none"}\n*Admins:* ${config.admins.map((a) => `<@${a}>`).join(", ") || "none"}`,
  ];
}
