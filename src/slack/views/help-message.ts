import type { KnownBlock } from "@slack/types";
import { findClosestMatch } from "../../config/closest-match.ts";
import { escapeMrkdwn, truncate } from "./mrkdwn.ts";

/** Every /switchboard subcommand, with what it does. */
export const COMMANDS: Array<{ usage: string; description: string }> = [
  {
    usage: "/switchboard mine",
    description: "List the open threads you own, with their due times",
  },
  {
    usage: "/switchboard digest",
    description: "Send yourself a digest of complaints and SLAs now (executives and admins)",
  },
  {
    usage: "/switchboard status",
    description: "Delivery health, timers and the database (admins)",
  },
  {
    usage: "/switchboard retry <outbox id|all-failed>",
    description: "Queue failed Slack deliveries again (admins)",
  },
  {
    usage: "/switchboard headsup",
    description:
      "Announce a marketing campaign to the departments it affects (campaign announcers)",
  },
  {
    usage: "/switchboard campaigns",
    description:
      "List upcoming and live campaigns, who has acknowledged them and linked complaints",
  },
  { usage: "/switchboard help", description: "Show this list" },
];

/** The help text; names the unknown subcommand when there was one. */
export function buildHelpMessage(unknown?: string): { text: string; blocks: KnownBlock[] } {
  const intro = unknown
    ? `I don't know \`${escapeMrkdwn(truncate(unknown, 50))}\`.${nearest(unknown)} Here is what I can do:`
    : "Here is what I can do:";
  return helpAfter(intro);
}

/**
 * The help text for a subcommand given words it takes none of ("/switchboard mine please"):
 * it is not run, so that nobody believes the words changed what it did.
 */
export function buildNoArgumentsMessage(
  name: string,
  words: string[],
): { text: string; blocks: KnownBlock[] } {
  const typed = escapeMrkdwn(truncate(`/switchboard ${name} ${words.join(" ")}`, 80));
  return helpAfter(
    `\`/switchboard ${name}\` takes no arguments (you wrote \`${typed}\`). Here is what I can do:`,
  );
}

function helpAfter(intro: string): { text: string; blocks: KnownBlock[] } {
  // Escaped even inside code: Slack reads "<outbox id|all-failed>" as a link there too.
  const lines = COMMANDS.map((c) => `• \`${escapeMrkdwn(c.usage)}\` — ${c.description}`).join("\n");
  const text = `${intro}\n${lines}\n\nComplaint cards arrive in each department's channel; use their buttons to act on them (a thread's history is behind its Timeline button).`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** " Did you mean `/switchboard mine`?" for a typo of a subcommand ("mien"), else nothing. */
function nearest(unknown: string): string {
  const names = COMMANDS.map((c) => c.usage.split(" ")[1] ?? "");
  // Two edits: a swapped pair of letters ("mien") is two in this distance.
  const closest = findClosestMatch(unknown, names, 2);
  return closest ? ` Did you mean \`/switchboard ${closest}\`?` : "";
}
