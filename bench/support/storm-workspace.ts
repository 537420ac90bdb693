import { writeFileSync } from "node:fs";
import { join } from "node:path";

/** Channel id of department i in the storm workspace. */
export const stormChannel = (i: number) => `C0STORM${i}`;
export const stormLead = (i: number) => `U0LEAD${i}`;
export const STORM_EXECUTIVES = "C0STORMEXEC";

export interface StormShape {
  departments: number;
  /** SLA windows of P1, the priority a post with "injured" gets (P3 otherwise: 1 h and more). */
  p1: { claim: string; firstResponse: string; resolution: string };
}

/**
 * A workspace file for the delivery and replica benchmarks: `departments` departments
 * around the clock, each with its channel and lead, a post naming "deptN" routed to
 * department N, "injured" raising it to P1; the usual warnings, breach and escalation.
 */
export function writeStormWorkspace(dir: string, shape: StormShape): string {
  const departments = Array.from(
    { length: shape.departments },
    (_, i) =>
      `  - { key: d${i}, name: Department ${i}, channel: ${stormChannel(i)}, leads: [${stormLead(i)}] }`,
  ).join("\n");
  const rules = Array.from(
    { length: shape.departments },
    (_, i) => `    - { name: d${i}, department: d${i}, match: { phrases: [dept${i}] } }`,
  ).join("\n");
  const yaml = `departments:
${departments}
routing:
  default: d0
  rules:
${rules}
priority:
  default: P3
  rules:
    - { name: harm, set: P1, match: { phrases: [injured] } }
sla:
  P1: { claim: ${shape.p1.claim}, firstResponse: ${shape.p1.firstResponse}, nextResponse: ${shape.p1.firstResponse}, resolution: ${shape.p1.resolution} }
  P2: { claim: 15m, firstResponse: 1h, nextResponse: 2h, resolution: 1d }
  P3: { claim: 1h, firstResponse: 4h, nextResponse: 8h, resolution: 3d }
  P4: { claim: 4h, firstResponse: 1d, nextResponse: 2d, resolution: 7d }
escalation:
  executivesChannel: ${STORM_EXECUTIVES}
  warnings:
    - { at: 50%, notify: thread }
    - { at: 80%, notify: owner }
  breach: { notify: leads }
  escalate:
    - { after: 30m, notify: executives }
`;
  const file = join(dir, "storm-workspace.yaml");
  writeFileSync(file, yaml);
  return file;
}
