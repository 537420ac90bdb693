import type { App } from "@slack/bolt";
import type { ListenerDeps } from "../../listener-deps.ts";
import { buildHelpMessage, buildNoArgumentsMessage } from "../../views/help-message.ts";
import { campaignsCommand } from "./campaigns-command.ts";
import { digestCommand } from "./digest-command.ts";
import { headsupCommand } from "./headsup-command.ts";
import { mineCommand } from "./mine-command.ts";
import { retryCommand } from "./retry-command.ts";
import { statusCommand } from "./status-command.ts";
import type { Subcommand } from "./subcommand.ts";

/** Every `/switchboard` subcommand by name; each lives in its own file. List them in help-message.ts too. */
const SUBCOMMANDS: Record<string, Subcommand> = {
  mine: mineCommand,
  digest: digestCommand,
  status: statusCommand,
  retry: retryCommand,
  headsup: headsupCommand,
  campaigns: campaignsCommand,
};

/** The subcommands that read the words after their name; the others take none. */
const TAKES_ARGUMENTS = new Set(["retry"]);

/**
 * `/switchboard <subcommand> …`; `help`, nothing or an unknown word gets the help text, and so
 * does a subcommand given words it takes none of (it would otherwise ignore them silently).
 */
export function registerSwitchboardCommand(app: App, deps: ListenerDeps): void {
  app.command("/switchboard", async (args) => {
    const [name = "", ...rest] = args.command.text.trim().split(/\s+/).filter(Boolean);
    const key = name.toLowerCase();
    const subcommand = SUBCOMMANDS[key];
    if (subcommand && rest.length > 0 && !TAKES_ARGUMENTS.has(key)) {
      await args.ack({ response_type: "ephemeral", ...buildNoArgumentsMessage(key, rest) });
      return;
    }
    if (subcommand) {
      await subcommand({ ...args, deps, args: rest });
      return;
    }
    const unknown = name !== "" && name.toLowerCase() !== "help" ? name : undefined;
    await args.ack({ response_type: "ephemeral", ...buildHelpMessage(unknown) });
  });
}
