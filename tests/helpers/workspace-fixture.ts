import type { WorkspaceSettings } from "../../src/switchboard.ts";

/** Channel ids the Slack double knows, one per test department. */
export const CHANNELS = {
  service: "C0SERVICE",
  baggage: "C0BAGGAGE",
  pr: "C0PR",
} as const;

/** A small airline workspace: bags to baggage, press to PR, the rest to service. */
export function testWorkspace(overrides: Partial<WorkspaceSettings> = {}): WorkspaceSettings {
  return {
    departments: [
      { key: "service", name: "Customer Service", channel: CHANNELS.service },
      { key: "baggage", name: "Baggage", channel: CHANNELS.baggage },
      { key: "pr", name: "Press & PR", channel: CHANNELS.pr },
    ],
    routing: {
      defaultDepartment: "service",
      rules: [
        {
          name: "bags",
          department: "baggage",
          match: { phrases: ["lost bag", "damaged luggage", "suitcase"] },
        },
        { name: "press", department: "pr", match: { phrases: ["journalist", "press"] } },
      ],
    },
    priority: {
      default: "P3",
      rules: [
        { name: "risk", set: "P1", match: { phrases: ["injured", "unsafe", "lawsuit"] } },
        { name: "reach", raise: 1, match: { minFollowers: 10_000 } },
      ],
    },
    ...overrides,
  };
}

let seq = 0;
/** A valid intake body; override any field. */
export function complaintBody(overrides: Record<string, unknown> = {}) {
  seq += 1;
  return {
    source: "twitter",
    externalId: `tweet-${Date.now()}-${seq}`,
    text: "My flight was fine but nobody answers the phone",
    url: "https://twitter.com/someone/status/1",
    author: { handle: "someone", name: "Some One", followers: 120, verified: false },
    postedAt: "2026-11-24T08:00:00Z",
    metrics: { shares: 1, likes: 2, replies: 0 },
    language: "en",
    ...overrides,
  };
}
