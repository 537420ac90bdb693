import { parseWorkspaceConfig } from "../../src/config/load-workspace.ts";
import type { WorkspaceConfig } from "../../src/config/workspace-types.ts";

/** Channel ids the Slack double knows, one per test department, plus the executives'. */
export const CHANNELS = {
  service: "C0SERVICE",
  baggage: "C0BAGGAGE",
  pr: "C0PR",
  exec: "C0EXEC",
} as const;

/** People in the test workspace. */
export const PEOPLE = {
  alice: "U0ALICE", // baggage member
  bob: "U0BOB", // baggage member
  lead: "U0LEAD", // baggage lead
  admin: "U0ADMIN",
  outsider: "U0OUT", // only in #pr
} as const;

/**
 * A small airline workspace, written as a real workspace file and loaded by the real
 * loader: bags to baggage, press to PR, the rest to service. Baggage works office hours
 * in London; service and PR around the clock.
 */
export const TEST_WORKSPACE_YAML = `
departments:
  - key: service
    name: Customer Service
    channel: ${CHANNELS.service}
    leads: [${PEOPLE.lead}]
  - key: baggage
    name: Baggage
    channel: ${CHANNELS.baggage}
    leads: [${PEOPLE.lead}]
    calendar: london-office
  - key: pr
    name: Press & PR
    channel: ${CHANNELS.pr}
    leads: [${PEOPLE.lead}]
routing:
  default: service
  rules:
    - name: bags
      department: baggage
      match: { phrases: [lost bag, damaged luggage, suitcase] }
    - name: press
      department: pr
      match: { phrases: [journalist, press] }
priority:
  default: P3
  rules:
    - name: risk
      set: P1
      match: { phrases: [injured, unsafe, lawsuit] }
    - name: reach
      raise: 1
      match: { minFollowers: 10000 }
sla:
  P1: { claim: 5m, firstResponse: 15m, nextResponse: 30m, resolution: 4h }
  P2: { claim: 15m, firstResponse: 1h, nextResponse: 2h, resolution: 1d }
  P3: { claim: 1h, firstResponse: 4h, nextResponse: 8h, resolution: 3d }
  P4: { claim: 4h, firstResponse: 1d, nextResponse: 2d, resolution: 7d }
calendars:
  london-office:
    timezone: Europe/London
    hours:
      mon: ["09:00-17:00"]
      tue: ["09:00-17:00"]
      wed: ["09:00-17:00"]
      thu: ["09:00-17:00"]
      fri: ["09:00-17:00"]
    holidays: ["2026-12-25"]
escalation:
  executivesChannel: ${CHANNELS.exec}
  warnings:
    - { at: 50%, notify: thread }
    - { at: 80%, notify: owner }
  breach: { notify: leads }
  escalate:
    - { after: 30m, notify: executives }
people:
  - { user: ${PEOPLE.alice}, calendar: london-office }
admins: [${PEOPLE.admin}]
`;

/** The test workspace; pass a function to adjust the parsed config. */
export function testWorkspace(adjust?: (config: WorkspaceConfig) => void): WorkspaceConfig {
  const config = parseWorkspaceConfig(TEST_WORKSPACE_YAML, "tests/helpers/workspace-fixture.ts");
  adjust?.(config);
  return config;
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
