import type { CampaignStatus } from "./campaign.ts";
import type { ActorFacts } from "./permissions.ts";

/** One affected department's acknowledgement of a heads-up. */
export interface DepartmentAcknowledgement {
  department: string;
  /** False once an edit took the department off the campaign. */
  active: boolean;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
}

/** What happens when someone clicks Acknowledge for a department. */
export type AcknowledgeDecision =
  | { ok: true }
  | { ok: false; reason: "already"; by: string; at: Date }
  | { ok: false; reason: "cancelled" | "ended" | "not_affected" | "not_member" | "changed" };

/**
 * Whether `actor` may acknowledge the heads-up for `department` now. The membership rule is
 * claiming's: members of the department's channel or user group, its leads and admins. A
 * department acknowledges once; a second click is told who already did.
 */
export function decideAcknowledgement(input: {
  status: CampaignStatus;
  actor: ActorFacts;
  department: string;
  current: DepartmentAcknowledgement | undefined;
  /** The request to acknowledge the clicked button was drawn in, and the latest one. */
  rounds?: { clicked: number | undefined; latest: number | undefined };
}): AcknowledgeDecision {
  const { status, actor, department, current } = input;
  if (status === "cancelled") return { ok: false, reason: "cancelled" };
  if (status === "ended") return { ok: false, reason: "ended" };
  if (!current?.active) return { ok: false, reason: "not_affected" };
  if (!mayActFor(actor, department)) return { ok: false, reason: "not_member" };
  if (current.acknowledgedBy && current.acknowledgedAt) {
    return { ok: false, reason: "already", by: current.acknowledgedBy, at: current.acknowledgedAt };
  }
  // The campaign asked again since that heads-up was drawn: its reader has not seen the change.
  const { clicked, latest } = input.rounds ?? {};
  if (clicked !== undefined && clicked !== latest) return { ok: false, reason: "changed" };
  return { ok: true };
}

/** Members of the department, its leads and admins may act for it (as for claiming a thread). */
export function mayActFor(actor: ActorFacts, department: string): boolean {
  return actor.isAdmin || actor.leads.includes(department) || actor.memberOf.includes(department);
}

/** The active departments that have not acknowledged, in the order given. */
export function waitingDepartments(acks: readonly DepartmentAcknowledgement[]): string[] {
  return acks.filter((a) => a.active && !a.acknowledgedBy).map((a) => a.department);
}

/** The active departments that have acknowledged, in the order given. */
export function acknowledgedDepartments(acks: readonly DepartmentAcknowledgement[]): string[] {
  return acks.filter((a) => a.active && a.acknowledgedBy).map((a) => a.department);
}
