import type { SetupProblem, SystemStatus } from "../../services/read-status.ts";
import { SETUP_PROBLEM_KINDS as K } from "../../services/setup-problem-subjects.ts";
import { escapeAndTruncate, escapeMrkdwn, joinBounded, slackDate, userMention } from "./mrkdwn.ts";

/** How a channel reads: a Slack id as a mention (Slack shows its name), a name as written. */
function channelText(p: SetupProblem): string {
  const shown = p.label ?? p.subject;
  if (/^[CG][A-Z0-9]{2,}$/.test(shown)) return `<#${shown}>`;
  return escapeAndTruncate(shown, 80);
}

const key = (p: SetupProblem) => (p.configKey ? `\`${escapeMrkdwn(p.configKey)}\`` : undefined);

/** What is wrong, and the fix: the Slack action, or the workspace-file key to change. */
function wrongAndFix(p: SetupProblem): { wrong: string; fix: string } {
  const k = key(p);
  switch (p.kind) {
    case K.channelArchived: {
      const channel = channelText(p);
      return {
        wrong: `${channel} is archived`,
        fix: `unarchive ${channel}${k ? ` or change ${k}` : ""}, then Retry its failed deliveries`,
      };
    }
    case K.usergroupGone:
      return {
        wrong: `user group \`${escapeMrkdwn(p.subject)}\` is deleted or disabled in Slack (the channel's members stand in)`,
        fix: `enable the group in Slack${k ? `, or change ${k}` : ""}`,
      };
    case K.userDeactivated:
      return {
        wrong: `${userMention(p.subject)}'s Slack account is deactivated`,
        fix: k ? `change ${k} in the workspace file` : "name someone else in the workspace file",
      };
    case K.notInChannel: {
      const channel = channelText(p);
      return {
        wrong: `the bot is not in ${channel}`,
        fix: `invite the bot to ${channel}${k ? `, or change ${k}` : ""}, then Retry its failed deliveries`,
      };
    }
    case K.missingScope: {
      const scope = `\`${escapeMrkdwn(p.label ?? p.subject)}\``;
      return {
        wrong: `the app lacks the scope ${scope}`,
        fix: `add scope ${scope} to the app (manifests/) and reinstall it`,
      };
    }
    default:
      return { wrong: escapeMrkdwn(`${p.kind}: ${p.subject}`), fix: "see the logs" };
  }
}

/**
 * One problem in one line: what is wrong, what it affects, since when (and how often seen),
 * and how to fix it.
 */
export function describeSetupProblem(p: SetupProblem): string {
  const { wrong, fix } = wrongAndFix(p);
  const affects = p.affects ? ` (affects ${escapeAndTruncate(p.affects, 80)})` : "";
  const since = slackDate(p.firstSeen) ?? "a while";
  const seen = p.count > 1 ? `, ${p.count} times` : "";
  return `• *${wrong}*${affects}, since ${since}${seen}. Fix: ${fix}.`;
}

/**
 * The "Slack setup" text of /switchboard status and the admin Home: "no problems seen", or a
 * line per problem listed and how many more are open, within a section's 3000 characters.
 */
export function describeSlackSetup(setup: SystemStatus["slackSetup"], max = 2900): string {
  if (setup.open === 0) return "*Slack setup:* no problems seen.";
  const more = setup.open - setup.problems.length;
  const tail = more > 0 ? `\n…and ${more} more.` : "";
  const heading = `*Slack setup:* ${setup.open === 1 ? "1 problem" : `${setup.open} problems`}\n`;
  const lines = joinBounded(
    setup.problems.map(describeSetupProblem),
    "\n",
    max - heading.length - tail.length,
  );
  return `${heading}${lines}${tail}`;
}
