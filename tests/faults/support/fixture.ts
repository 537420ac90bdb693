import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { RateLimitSpec } from "../../../src/slack-double/index.ts";
import { type SlackDouble, startSlackDouble } from "../../../src/slack-double/index.ts";
import { switchboardApp } from "../../helpers/switchboard-app.ts";
import type { ScenarioContext } from "./report.ts";
import type { Complaint } from "./sender.ts";
import { type FaultWorkspace, type WorkspaceOptions, writeWorkspace } from "./workspace.ts";

/**
 * Slack's own limits as the double enforces them by default: chat.postMessage about one a
 * second per channel with bursts of 4, every other method its tier. Only chat.postMessage's
 * workspace-wide limit is raised, from the double's guess of 300 a minute ("several
 * hundred", undocumented) to `postsPerMinute`, so thousands of cards fit in minutes.
 */
export function slackLimits(postsPerMinute?: number): RateLimitSpec {
  return {
    postMessagePerChannel: { burst: 4, perSecond: 1 },
    ...(postsPerMinute ? { perMethodPerMinute: { "chat.postMessage": postsPerMinute } } : {}),
  };
}

/** A scenario's workspace file and a Slack double holding its channels and leads. */
export async function startSlack(
  ctx: ScenarioContext,
  workspace: WorkspaceOptions,
  rateLimits: RateLimitSpec,
): Promise<{ workspace: FaultWorkspace; double: SlackDouble }> {
  mkdirSync(ctx.runDir, { recursive: true });
  const ws = writeWorkspace(ctx.runDir, workspace);
  const double = await startSlackDouble({
    ...switchboardApp(),
    channels: ws.doubleChannels,
    users: ws.doubleUsers,
    rateLimits,
  });
  ctx.scope.defer(double, "Slack double", (d) => d.stop());
  return { workspace: ws, double };
}

/** Complaint `i` of a scenario: a unique id and text, routed to department i mod departments. */
export function complaint(prefix: string, i: number, ws: FaultWorkspace): Complaint {
  const externalId = `${prefix}-${String(i).padStart(5, "0")}`;
  return {
    externalId,
    body: {
      source: "twitter",
      externalId,
      text: `[${externalId}] ${ws.routeWord(i % ws.channels.length)}: my bag never arrived and nobody answers`,
      author: { handle: `customer${i}`, followers: 10 + (i % 500) },
      postedAt: new Date().toISOString(),
    },
  };
}

export const runDirOf = (root: string, key: string) => join(root, key);
