import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";
import type { SlackDoubleOptions } from "../../src/slack-double/index.ts";
import { CHANNELS, PEOPLE, TEST_WORKSPACE_YAML } from "./workspace-fixture.ts";

/** Where the kinds workspace sends praise (a note each) and chatter (a daily roll-up). */
export const KIND_CHANNELS = { kudos: "C0KUDOS", triage: "C0TRIAGE" } as const;

/**
 * The test workspace with kinds: problems stay complaints, thanks are praise (a note in
 * #kudos), questions are questions (no resolution clock), retweets are chatter (a roll-up).
 */
export const KINDS_YAML = `${TEST_WORKSPACE_YAML}
kinds:
  default: complaint
  rules:
    - name: problems
      kind: complaint
      match: { phrases: [lost, delayed, rude, refund] }
    - name: questions
      kind: question
      match: { patterns: ['\\?'] }
    - name: thanks
      kind: praise
      match: { phrases: [thank you, thanks] }
    - name: chatter
      kind: other
      match: { patterns: ['^RT\\b'] }
  profiles:
    question: { clocks: [claim, firstResponse] }
    praise: { clocks: [], deliver: channel, channel: ${KIND_CHANNELS.kudos} }
    other: { clocks: [], deliver: rollup, channel: ${KIND_CHANNELS.triage}, at: "17:00", timezone: Europe/London }
`;

/** The kinds workspace; pass a function to adjust the parsed config. */
export function kindsWorkspace(adjust?: (config: WorkspaceConfig) => void): WorkspaceConfig {
  const config = parseWorkspaceConfig(KINDS_YAML, "tests/helpers/kinds-fixture.ts");
  adjust?.(config);
  return config;
}

/**
 * The Slack double for the kinds workspace: the test workspace's channels and people, plus
 * #sb-kudos and #sb-triage, and room enough for a burst of posts in one channel.
 */
export const KINDS_DOUBLE = {
  channels: [
    { id: CHANNELS.service, name: "sb-service", members: [PEOPLE.alice, PEOPLE.bob] },
    { id: CHANNELS.baggage, name: "sb-baggage", members: [PEOPLE.alice, PEOPLE.bob] },
    { id: CHANNELS.pr, name: "sb-pr", members: [PEOPLE.outsider] },
    { id: CHANNELS.exec, name: "sb-exec", members: [PEOPLE.lead, PEOPLE.admin] },
    { id: KIND_CHANNELS.kudos, name: "sb-kudos", members: [PEOPLE.alice, PEOPLE.outsider] },
    { id: KIND_CHANNELS.triage, name: "sb-triage", members: [PEOPLE.alice, PEOPLE.outsider] },
  ],
  users: Object.values(PEOPLE).map((id) => ({ id, name: id.toLowerCase() })),
  rateLimits: { postMessagePerChannel: { burst: 100, perSecond: 100 } },
} satisfies SlackDoubleOptions;
