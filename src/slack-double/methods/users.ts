import { ApiError, argBool, requireArg } from "../args.ts";
import { UNCONFIRMED } from "../limits.ts";
import type { DoubleState, UserRecord } from "../state.ts";
import { userOrThrow } from "../workspace.ts";
import type { Method } from "./method.ts";

/** The UTC offset of a time zone at the double's current time, in seconds. */
function tzOffsetSeconds(tz: string, atMs: number): number {
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
      .formatToParts(new Date(atMs))
      .find((p) => p.type === "timeZoneName")?.value;
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(parts ?? "");
    if (!m) return 0;
    const secs = Number(m[2]) * 3600 + Number(m[3]) * 60;
    return m[1] === "-" ? -secs : secs;
  } catch {
    return 0;
  }
}

/**
 * The fields Slack leaves out of a deactivated member's user object: measured live on a real
 * workspace (brekkylab/backlot#258, Sept 2026), it has no real_name, tz, tz_label, tz_offset,
 * is_admin or is_owner (nor color, has_2fa…), where an active member's has them all.
 */
function activeOnly(state: DoubleState, u: UserRecord) {
  if (u.deleted) return {};
  return {
    real_name: u.realName,
    tz: u.tz,
    tz_label: u.tz,
    tz_offset: tzOffsetSeconds(u.tz, state.now()),
    is_admin: false,
    is_owner: false,
  };
}

/** Slack's user object for users.info / users.lookupByEmail. */
export function userObject(state: DoubleState, u: UserRecord) {
  return {
    id: u.id,
    team_id: state.config.teamId,
    name: u.name,
    deleted: u.deleted === true,
    ...activeOnly(state, u),
    is_bot: u.isBot,
    is_app_user: false,
    updated: Math.floor(state.now() / 1000),
    profile: {
      real_name: u.realName,
      display_name: u.name,
      ...(u.email === undefined ? {} : { email: u.email }),
      team: state.config.teamId,
      ...(u.isBot && u.id === state.config.botUserId ? { bot_id: state.config.botId } : {}),
    },
  };
}

const info: Method = (args, { state }) => {
  const user = userOrThrow(state, requireArg(args, "user", "user_not_found"));
  return { user: userObject(state, user) };
};

const lookupByEmail: Method = (args, { state }) => {
  const email = requireArg(args, "email", "users_not_found").toLowerCase();
  const user = [...state.users.values()].find((u) => u.email?.toLowerCase() === email);
  if (!user) throw new ApiError("users_not_found");
  return { user: userObject(state, user) };
};

const usergroupUsers: Method = (args, { state }) => {
  const group = state.usergroups.get(requireArg(args, "usergroup", "no_such_subteam"));
  if (!group) throw new ApiError("no_such_subteam");
  if (group.disabled && !argBool(args, "include_disabled"))
    throw new ApiError(UNCONFIRMED.disabledUsergroupError);
  return { users: [...group.users] };
};

const authTest: Method = (_args, { state }) => {
  const c = state.config;
  return {
    url: `https://${c.teamDomain}.slack.com/`,
    team: c.teamName,
    user: c.botName,
    team_id: c.teamId,
    user_id: c.botUserId,
    bot_id: c.botId,
    is_enterprise_install: false,
  };
};

/** users.*, usergroups.* and auth.test. */
export const USER_METHODS: Record<string, Method> = {
  "auth.test": authTest,
  "users.info": info,
  "users.lookupByEmail": lookupByEmail,
  "usergroups.users.list": usergroupUsers,
};
