import type { KnownBlock } from "@slack/types";
import type { SystemStatus } from "../../services/read-status.ts";
import type { SlackMessage } from "./complaint-card.ts";
import { formatSpan } from "./due-line.ts";
import { countOf } from "./figure-format.ts";
import { STATUS_BLOCK_IDS } from "./home-ids.ts";
import { escapeAndTruncate, escapeMrkdwn, oneLine, slackDate } from "./mrkdwn.ts";
import { describeSlackSetup } from "./setup-problems.ts";

/** The private answer to `/switchboard status`. Pure: `now` dates the ages. */
export function buildStatusMessage(status: SystemStatus, now: Date): SlackMessage {
  const { delivery, timers, database } = status;
  const waiting = delivery.oldestPendingAt
    ? `, the oldest waiting ${formatSpan(now.getTime() - delivery.oldestPendingAt.getTime())}`
    : "";
  const deliveryText = `*Slack delivery:* ${delivery.pending} pending${waiting}; ${delivery.failed} failed for good.`;
  const failures = delivery.failures.map(
    (f) =>
      `• *#${f.id}* ${escapeMrkdwn(f.kind)}${describeDeliveryOwner(f.about)}${describeDeliveryTarget(f.to)}: \`${escapeAndTruncate(f.lastError ?? "unknown", 200)}\` (queued ${slackDate(f.createdAt)})`,
  );
  const timerText = timers.length
    ? timers
        .map(
          (t) =>
            `• ${escapeMrkdwn(t.subjectType)}: ${t.pending} pending${t.nextDue ? `, next due ${slackDate(t.nextDue)}` : ""}`,
        )
        .join("\n")
    : "• none pending";
  const blocks: KnownBlock[] = [
    section(STATUS_BLOCK_IDS.database, `*Database:* ${database.kind}, answering.`),
    section(STATUS_BLOCK_IDS.delivery, deliveryText),
  ];
  if (failures.length > 0) {
    const more =
      delivery.failed > failures.length ? `\n…and ${delivery.failed - failures.length} more.` : "";
    blocks.push(
      section(
        STATUS_BLOCK_IDS.failures,
        `*Failed deliveries* (retry one with \`/switchboard retry <id>\`, or \`/switchboard retry all-failed\`):\n${failures.join("\n")}${more}`,
      ),
    );
  }
  blocks.push(section(STATUS_BLOCK_IDS.timers, `*Timers:*\n${timerText}`));
  blocks.push(section(STATUS_BLOCK_IDS.slackSetup, describeSlackSetup(status.slackSetup)));
  const timersPending = timers.reduce((n, t) => n + t.pending, 0);
  const setup = status.slackSetup.open;
  const text = `Database ${database.kind} answering; ${countOf(delivery.pending, "delivery", "deliveries")} pending, ${delivery.failed} failed; ${countOf(timersPending, "timer")} pending; Slack setup: ${setup === 0 ? "no problems seen" : countOf(setup, "problem")}.`;
  return { text, blocks };
}

/**
 * " to <#C0…>" or " to <@U0…>": a failed delivery's channel or person as Slack shows them
 * (a name), not a bare id the admin has to look up; a channel given by name stays as written.
 */
export function describeDeliveryTarget(to: string | null): string {
  if (!to) return "";
  if (/^[CG][A-Z0-9]{2,}$/.test(to)) return ` to <#${to}>`;
  if (/^[UW][A-Z0-9]{2,}$/.test(to)) return ` to <@${to}>`;
  return ` to ${escapeAndTruncate(to, 80)}`;
}

/** " for Ana Ruiz": whose delivery it is (an executive's digest), as the workspace file names them. */
export function describeDeliveryOwner(about: string | null | undefined): string {
  return about ? ` for ${escapeAndTruncate(oneLine(about), 80)}` : "";
}

function section(blockId: string, text: string): KnownBlock {
  const bounded = text.length <= 2900 ? text : `${text.slice(0, 2899)}…`;
  return {
    type: "section",
    block_id: blockId,
    text: { type: "mrkdwn", text: bounded, verbatim: true },
  };
}
