import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.ts";

/** How long a request from a marketing tool waits for Slack before taking the member as given. */
const CHECK_TIMEOUT_MS = 3_000;

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
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    try {
      const answer = await Promise.race([client.users.info({ user: userId }), timeout]);
      if (answer === "timeout")
        logger.warn("slack.member_unchecked", { userId, reason: "timeout" });
      return true;
    } catch (error) {
      const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
      if (code === "user_not_found") return false;
      const reason = code ?? (error instanceof Error ? error.message : "unknown");
      logger.warn("slack.member_unchecked", { userId, reason: String(reason) });
      return true;
    } finally {
      clearTimeout(timer);
    }
  };
}
