/**
 * Who may see and do what outside a thread: admin commands, digests. Everyone sees their
 * own threads; leads, executives and admins see more. Refusals name who may.
 */

/** The people named in config for each role. */
export interface RoleDirectory {
  admins: readonly string[];
  executives: ReadonlyArray<{ user: string }>;
}

export type RoleVerdict = { ok: true } | { ok: false; reason: string };

function mentions(users: readonly string[]): string {
  return users.length === 0 ? "nobody is configured yet" : users.map((u) => `<@${u}>`).join(", ");
}

/** Admin commands (/switchboard status, retry): admins only. */
export function mayAdminister(roles: RoleDirectory, user: string, what: string): RoleVerdict {
  if (roles.admins.includes(user)) return { ok: true };
  return {
    ok: false,
    reason: `Only Switchboard admins can ${what}: ${mentions(roles.admins)}. Admins are listed under \`admins\` in the workspace file.`,
  };
}

/** Digests on demand: executives and admins. */
export function mayRequestDigest(roles: RoleDirectory, user: string): RoleVerdict {
  if (roles.admins.includes(user) || roles.executives.some((e) => e.user === user)) {
    return { ok: true };
  }
  const who = [...new Set([...roles.executives.map((e) => e.user), ...roles.admins])];
  return {
    ok: false,
    reason: `Digests are for executives and admins: ${mentions(who)}. They are listed under \`executives\` and \`admins\` in the workspace file.`,
  };
}
