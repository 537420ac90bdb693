import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { ListenerDeps } from "../../listener-deps.ts";

/** What a `/switchboard <name> …` handler gets: Bolt's command args, our deps, and the words after the name. */
export type SubcommandArgs = SlackCommandMiddlewareArgs &
  AllMiddlewareArgs & { deps: ListenerDeps; args: string[] };

/**
 * One `/switchboard` subcommand. It must ack within Slack's 3 seconds: with an ephemeral
 * answer, or empty before opening a modal with the command's trigger_id.
 */
export type Subcommand = (args: SubcommandArgs) => Promise<void>;
