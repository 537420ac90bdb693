import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChannelSpec, UserSpec } from "../../../src/slack-double/index.ts";

/** A workspace of `departments` departments, each with its own channel and lead. */
export interface FaultWorkspace {
  /** The workspace file the bots read (SWITCHBOARD_CONFIG). */
  configPath: string;
  /** Channel id of each department, in order. */
  channels: string[];
  leads: string[];
  /** What the Slack double must hold for the bots to post there. */
  doubleChannels: ChannelSpec[];
  doubleUsers: UserSpec[];
  /** A word that routes a complaint to department `i`. */
  routeWord(i: number): string;
}

export interface WorkspaceOptions {
  departments: number;
  /** The P3 windows (every complaint here is P3); default hours, so no nudge fires. */
  sla?: { claim: string; firstResponse: string };
}

const pad = (i: number) => String(i).padStart(2, "0");

/**
 * Writes a workspace file: department `dNN` routes complaints containing the word `deptNN`
 * to channel `C0FAULTNN`, led by `U0LEADNN`; everything else goes to department 0. Nudges:
 * a reply in the thread at 50% of a window; at the breach, a reply and a DM to the lead.
 */
export function writeWorkspace(dir: string, options: WorkspaceOptions): FaultWorkspace {
  const ids = Array.from({ length: options.departments }, (_, i) => pad(i));
  const channels = ids.map((n) => `C0FAULT${n}`);
  const leads = ids.map((n) => `U0LEAD${n}`);
  const sla = options.sla ?? { claim: "8h", firstResponse: "12h" };
  const p3 = `{ claim: ${sla.claim}, firstResponse: ${sla.firstResponse} }`;
  const yaml = `# Written by the fault suite (tests/faults/support/workspace.ts).
departments:
${ids.map((n, i) => `  - { key: d${n}, name: Department ${n}, channel: ${channels[i]}, leads: [${leads[i]}] }`).join("\n")}
routing:
  default: d00
  rules:
${ids.map((n) => `    - { name: to-d${n}, department: d${n}, match: { phrases: [dept${n}] } }`).join("\n")}
priority:
  default: P3
sla:
  P1: { claim: 8h, firstResponse: 12h }
  P2: { claim: 8h, firstResponse: 12h }
  P3: ${p3}
  P4: { claim: 8h, firstResponse: 12h }
escalation:
  warnings: [{ at: 50%, notify: thread }]
  breach: { notify: leads }
  escalate: []
`;
  const configPath = join(dir, "switchboard.yaml");
  writeFileSync(configPath, yaml);
  return {
    configPath,
    channels,
    leads,
    doubleChannels: channels.map((id, i) => ({
      id,
      name: `fault-d${ids[i]}`,
      members: [leads[i] as string],
    })),
    doubleUsers: leads.map((id) => ({ id, name: id.toLowerCase() })),
    routeWord: (i) => `dept${pad(i)}`,
  };
}
