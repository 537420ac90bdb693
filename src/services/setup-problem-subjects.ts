import type { Department, WorkspaceConfig } from "../config/workspace-types.ts";
import type { ProblemRecord } from "../db/integration-problem-store.ts";

/**
 * The kinds of Slack setup problem the bot records where it meets them. The view words each
 * (what is wrong, the fix); the record carries what it affects and the workspace-file key.
 */
export const SETUP_PROBLEM_KINDS = {
  channelArchived: "channel_archived",
  usergroupGone: "usergroup_gone",
  userDeactivated: "user_deactivated",
  notInChannel: "not_in_channel",
  missingScope: "missing_scope",
} as const;

export type SetupProblemKind = (typeof SETUP_PROBLEM_KINDS)[keyof typeof SETUP_PROBLEM_KINDS];

/** What a channel is for, as the workspace file says it: a department's, or the executives'. */
function channelUse(
  config: WorkspaceConfig,
  channel: string,
): { affects: string; configKey: string } | undefined {
  const i = config.departments.findIndex((d) => d.channel === channel);
  const department = config.departments[i];
  if (department) return { affects: department.name, configKey: `departments[${i}].channel` };
  if (config.executivesChannel === channel)
    return { affects: "escalations", configKey: "escalation.executivesChannel" };
  return undefined;
}

/** A channel Slack refused to post to: archived, or without the bot in it. */
export function channelProblem(
  config: WorkspaceConfig,
  kind: typeof SETUP_PROBLEM_KINDS.channelArchived | typeof SETUP_PROBLEM_KINDS.notInChannel,
  channel: string,
  label?: string,
): ProblemRecord {
  return { kind, subject: channel, label: label ?? channel, ...channelUse(config, channel) };
}

/** A department's user group Slack says is deleted (disabled). */
export function usergroupProblem(
  config: WorkspaceConfig,
  department: Department,
  usergroup: string,
): ProblemRecord {
  return {
    kind: SETUP_PROBLEM_KINDS.usergroupGone,
    subject: usergroup,
    affects: department.name,
    configKey: `departments[${config.departments.indexOf(department)}].usergroup`,
  };
}

/**
 * Someone the workspace file names (an executive, a lead, an admin) whose account Slack says
 * is deactivated; undefined for anyone else (an owner who left is the department's to handle,
 * told under the card, not a fault of the setup).
 */
export function deactivatedUserProblem(
  config: WorkspaceConfig,
  user: string,
): ProblemRecord | undefined {
  const kind = SETUP_PROBLEM_KINDS.userDeactivated;
  const e = config.executives.findIndex((x) => x.user === user);
  const executive = config.executives[e];
  if (executive)
    return { kind, subject: user, affects: executive.name, configKey: `executives[${e}].user` };
  const d = config.departments.findIndex((x) => x.leads.includes(user));
  const department = config.departments[d];
  if (department)
    return {
      kind,
      subject: user,
      affects: `${department.name} (lead)`,
      configKey: `departments[${d}].leads`,
    };
  if (config.admins.includes(user))
    return { kind, subject: user, affects: "admins", configKey: "admins" };
  return undefined;
}

/**
 * A scope the app lacks (missing_scope names it in `needed`), met delivering `deliveryKind`
 * (the last one seen is kept). It clears once Slack says the token has the scope.
 */
export function missingScopeProblem(scope: string, deliveryKind: string): ProblemRecord {
  return {
    kind: SETUP_PROBLEM_KINDS.missingScope,
    subject: scope,
    affects: `${deliveryKind} deliveries`,
  };
}
