import { formatSlackDate } from "../../src/sandbox/public/slack-dates.js";

/** Text as Slack draws it for someone in `timeZone` at `now`: its date tokens filled in. */
export function asSeenIn(text: string, timeZone: string, now: Date): string {
  return text.replace(/<!date\^(\d+)\^([^|>]+)\|[^>]*>/g, (_, ts: string, format: string) =>
    formatSlackDate(Number(ts), format, { timeZone, now: now.getTime() }),
  );
}
