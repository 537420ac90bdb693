import type { WorkspaceConfig } from "../config/workspace-types.ts";
import { PRIORITIES } from "../domain/complaint.ts";
import { formatDuration } from "../domain/duration.ts";
import { POST_KINDS, type PostKind } from "../domain/post-kinds.ts";
import type { SlackWorkspace } from "./slack-workspace.ts";

/** What the page shows about the sandbox itself: people, departments, SLA windows, the API. */
export interface SandboxInfo {
  team: string;
  botUserId: string;
  people: Array<{ id: string; name: string; realName: string; title: string }>;
  departments: Array<{
    key: string;
    name: string;
    channel: string;
    channelId?: string | undefined;
  }>;
  sla: Array<{
    priority: string;
    claim?: string;
    firstResponse: string;
    nextResponse?: string;
    resolution?: string;
  }>;
  escalation: string[];
  /** Each kind of post: which SLA clocks it runs and where it is shown. */
  kinds: Array<{
    kind: PostKind;
    clocks: string[];
    /** card: on the department's desk; channel: a note there; rollup: listed there on `at`. */
    shown: "card" | "channel" | "rollup";
    channel?: string;
    channelId?: string | undefined;
    at?: string;
  }>;
  intake: { url: string; token: string; curl: string };
  /** The marketing channels a campaign may name, when the bot has campaigns; else null. */
  campaigns: { channels: Array<{ key: string; label: string }> } | null;
}

const TARGET_WORDS: Record<string, string> = {
  thread: "a reply in the card's thread",
  owner_or_channel: "a DM to the owner (a channel mention while unclaimed)",
  leads: "the department's leads, in the thread and by DM",
  executives_channel: "a post in the executives' channel",
};

/** Where an escalation goes when the workspace names no executives' channel. */
const NO_EXECUTIVES_CHANNEL =
  "the department's channel, in the card's thread and the channel, for its leads";

function span(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : formatDuration(ms, 2).replace(/ /g, "");
}

/** The escalation ladder in words, as the page's "SLA windows" panel shows it. */
export function describeLadder(config: WorkspaceConfig): string[] {
  const n = config.nudges;
  return [
    ...n.warnings.map(
      (w) =>
        `At ${Math.round(w.atFraction * 100)}% of a window: ${TARGET_WORDS[w.target] ?? w.target}.`,
    ),
    `At the breach: ${TARGET_WORDS.leads}.`,
    ...n.escalate.map(
      (e) =>
        `${span(e.afterBreachMs)} after the breach: ${config.executivesChannel ? (TARGET_WORDS[e.target] ?? e.target) : NO_EXECUTIVES_CHANNEL}.`,
    ),
  ];
}

/** The curl line the terminal and the page print for scripts. */
export function curlExample(url: string, token: string): string {
  const body = JSON.stringify({
    source: "twitter",
    externalId: "my-first-post",
    text: "You lost my bag in Denver and nobody answers!",
    author: { handle: "jane", followers: 12000 },
  });
  return `curl -sS ${url}/api/v1/complaints -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" -d '${body}'`;
}

export function sandboxInfo(p: {
  config: WorkspaceConfig;
  workspace: SlackWorkspace;
  botUserId: string;
  botUrl: string;
  token: string;
  campaigns: SandboxInfo["campaigns"];
}): SandboxInfo {
  const channelId = (ref: string) =>
    p.workspace.channels.find((c) => c.id === ref || `#${c.name}` === ref)?.id;
  return {
    team: p.workspace.team,
    botUserId: p.botUserId,
    people: p.workspace.people.map((x) => ({
      id: x.id,
      name: x.name,
      realName: x.realName,
      title: x.title,
    })),
    departments: p.config.departments.map((d) => ({
      key: d.key,
      name: d.name,
      channel: d.channel,
      channelId: channelId(d.channel),
    })),
    sla: PRIORITIES.map((priority) => {
      const w = p.config.sla[priority];
      return {
        priority,
        ...(w.claimMs === undefined ? {} : { claim: span(w.claimMs) }),
        firstResponse: span(w.firstResponseMs) ?? "",
        ...(w.nextResponseMs === undefined ? {} : { nextResponse: span(w.nextResponseMs) }),
        ...(w.resolutionMs === undefined ? {} : { resolution: span(w.resolutionMs) }),
      };
    }),
    escalation: describeLadder(p.config),
    kinds: POST_KINDS.map((kind) => {
      const profile = p.config.kindProfiles[kind];
      const delivery = profile.delivery;
      const clocks = [...profile.clocks];
      if (delivery.to === "card") return { kind, clocks, shown: "card" as const };
      const where = { channel: delivery.channel, channelId: channelId(delivery.channel) };
      return delivery.to === "channel"
        ? { kind, clocks, shown: "channel" as const, ...where }
        : { kind, clocks, shown: "rollup" as const, ...where, at: delivery.at };
    }),
    intake: { url: p.botUrl, token: p.token, curl: curlExample(p.botUrl, p.token) },
    campaigns: p.campaigns,
  };
}
