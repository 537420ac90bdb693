import type { ThreadActionType, ThreadSnapshot } from "./thread-lifecycle.ts";

/** What we know about the person acting, gathered by the adapter (channel members, config). */
export interface ActorFacts {
  userId: string;
  isAdmin: boolean;
  /** Department keys this person leads. */
  leads: readonly string[];
  /** Department keys whose channel (or user group) this person belongs to. */
  memberOf: readonly string[];
}

export type PermissionVerdict = { ok: true } | { ok: false; reason: string };

/** Actions that change or close someone else's work: only the owner, a lead or an admin. */
const OWNER_GUARDED: ReadonlySet<ThreadActionType> = new Set([
  "hand_over_person",
  "hand_over_department",
  "respond",
  "wait_on_customer",
  "resolve",
  "dismiss",
]);

/**
 * Who may do what to a thread. Members of its department (and its leads and admins) may
 * act on it; once someone owns it, only that owner, a lead of the department or an admin
 * may hand it over, answer for it, resolve or dismiss it. Claiming an owned thread is left
 * to the state machine, which refuses it and says who owns it.
 */
export function mayPerform(
  actor: ActorFacts,
  thread: Pick<ThreadSnapshot, "department" | "owner">,
  action: ThreadActionType,
  /** How people know the department ("Baggage Services"); its key when not given. */
  departmentName?: string,
): PermissionVerdict {
  const department = departmentName ?? `the ${thread.department} department`;
  if (actor.isAdmin) return { ok: true };
  const isLead = actor.leads.includes(thread.department);
  if (isLead) return { ok: true };
  if (!actor.memberOf.includes(thread.department)) {
    return {
      ok: false,
      reason: `Only members of ${department} (its channel or user group), its leads and admins can act on this thread.`,
    };
  }
  const ownedByOther = thread.owner !== undefined && thread.owner !== actor.userId;
  if (ownedByOther && OWNER_GUARDED.has(action)) {
    return {
      ok: false,
      reason: `<@${thread.owner}> owns this thread: only they, a lead of ${department} or an admin can do that.`,
    };
  }
  return { ok: true };
}

/**
 * Whether a thread may be handed to this person: someone who could then work it, that is a
 * member of its department, one of its leads or an admin. Anyone else would own a thread
 * they may not answer, resolve or hand on (a help desk assigns within the group).
 */
export function mayReceive(
  recipient: ActorFacts,
  department: string,
  departmentName = `the ${department} department`,
): PermissionVerdict {
  if (standingIn(recipient, department)) return { ok: true };
  return {
    ok: false,
    reason: `<@${recipient.userId}> is not a member of ${departmentName} (its channel or user group), so could not work this thread: hand it to a member, or hand it to their department instead.`,
  };
}

/** Why someone may own a department's threads: admin, one of its leads, or a member. */
export type Standing = "admin" | "lead" | "member";

/**
 * What makes this person able to own the department's threads, the strongest first; undefined
 * for someone who could not work them. Admin and lead come from the workspace file, so they
 * need no Slack lookup: `memberOf` may be left empty for them.
 */
export function standingIn(facts: ActorFacts, department: string): Standing | undefined {
  if (facts.isAdmin) return "admin";
  if (facts.leads.includes(department)) return "lead";
  return facts.memberOf.includes(department) ? "member" : undefined;
}
