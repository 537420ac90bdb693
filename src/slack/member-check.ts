import type { UsersInfoResponse, WebClient } from "@slack/web-api";
import { isKnownTimeZone } from "../domain/zoned-time.ts";
import type { Logger } from "../logger.ts";

/** How long a request from a marketing tool waits for Slack before taking the member as given. */
const CHECK_TIMEOUT_MS = 3_000;
/** A slash command acks within Slack's 3 seconds, so its own lookup gets half of them. */
const ZONE_TIMEOUT_MS = 1_500;

/** Slack's users.info answer, or "timeout" after `timeoutMs`; Slack's errors are thrown. */
async function usersInfoWithin(
  client: WebClient,
  userId: string,
  timeoutMs: number,
): Promise<UsersInfoResponse | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    return await Promise.race([client.users.info({ user: userId }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function slackErrorOf(error: unknown): unknown {
  return (error as { data?: { error?: unknown } } | null)?.data?.error;
}

function reasonOf(error: unknown): string {
  return String(slackErrorOf(error) ?? (error instanceof Error ? error.message : "unknown"));
}

/**
 * Whether Slack knows a member ID (users.info): false only when Slack answers that there is no
 * such user. Slack being down, slow, rate limited or refusing the call for another reason is
 * no answer: the ID is taken as given and logged, so a campaign is never held up by Slack
 * (its DMs to that owner then fail in the outbox and show on the admins' Homes).
 */
export function slackMemberCheck(
  client: WebClient,
  logger: Logger,
  timeoutMs = CHECK_TIMEOUT_MS,
): (userId: string) => Promise<boolean> {
  return async (userId) => {
    try {
      const answer = await usersInfoWithin(client, userId, timeoutMs);
      if (answer === "timeout")
        logger.warn("slack.member_unchecked", { userId, reason: "timeout" });
      return true;
    } catch (error) {
      if (slackErrorOf(error) === "user_not_found") return false;
      logger.warn("slack.member_unchecked", { userId, reason: reasonOf(error) });
      return true;
    }
  };
}

/**
 * A member's time zone as set in their Slack profile (users.info `tz`), or undefined when
 * Slack does not say in time (down, slow, or the app lacks users:read): the caller falls
 * back to UTC and says so.
 */
export async function slackMemberZone(
  client: WebClient,
  logger: Logger,
  userId: string,
  timeoutMs = ZONE_TIMEOUT_MS,
): Promise<string | undefined> {
  try {
    const answer = await usersInfoWithin(client, userId, timeoutMs);
    if (answer === "timeout") {
      logger.warn("slack.member_zone_unknown", { userId, reason: "no answer in time" });
      return undefined;
    }
    const tz = answer.user?.tz;
    if (tz && isKnownTimeZone(tz)) return tz;
    logger.warn("slack.member_zone_unknown", { userId, reason: `no usable tz (${String(tz)})` });
  } catch (error) {
    logger.warn("slack.member_zone_unknown", { userId, reason: reasonOf(error) });
  }
  return undefined;
}

/**
 * Whether Slack says a member was deactivated (users.info `deleted: true`). Anything else,
 * Slack slow, busy or refusing, is taken as active: the lookup never holds up a form.
 */
export async function slackMemberDeactivated(
  client: WebClient,
  logger: Logger,
  userId: string,
  timeoutMs = ZONE_TIMEOUT_MS,
): Promise<boolean> {
  try {
    const answer = await usersInfoWithin(client, userId, timeoutMs);
    if (answer === "timeout") return false;
    return answer.user?.deleted === true;
  } catch (error) {
    logger.warn("slack.member_unchecked", { userId, reason: reasonOf(error) });
    return false;
  }
}
