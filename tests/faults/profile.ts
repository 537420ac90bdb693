/**
 * How big each scenario is. `full` is what issue 8 asks for; `ci` keeps every scenario and
 * every fault, smaller, so .ci/run stays within its budget on 2 cores.
 */
export interface Profile {
  name: "full" | "ci";
  kill: { complaints: number; departments: number };
  database: { faultSeconds: number; perSecond: number };
  slackOutage: { seconds: number; perSecond: number };
  nudges: { threads: number; departments: number };
  fuzz: { bodies: number };
}

export const PROFILES: Record<Profile["name"], Profile> = {
  full: {
    name: "full",
    kill: { complaints: 3_000, departments: 40 },
    database: { faultSeconds: 20, perSecond: 20 },
    slackOutage: { seconds: 60, perSecond: 10 },
    nudges: { threads: 12, departments: 3 },
    fuzz: { bodies: 5_000 },
  },
  ci: {
    name: "ci",
    kill: { complaints: 3_000, departments: 40 },
    database: { faultSeconds: 20, perSecond: 20 },
    slackOutage: { seconds: 60, perSecond: 10 },
    nudges: { threads: 12, departments: 3 },
    fuzz: { bodies: 5_000 },
  },
};
