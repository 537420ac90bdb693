/**
 * How big each scenario is. `full` is what issue 8 asks for (npm run test:faults -- --full);
 * `ci` (the default, and what .ci/run runs) keeps every scenario and every fault, with fewer
 * complaints and shorter faults, so it fits in about five minutes on 2 cores.
 */
export interface Profile {
  name: "full" | "ci";
  /** Departments: one channel each, so the channels' 1 post/s together set the pace. */
  kill: { complaints: number; departments: number };
  database: { faultSeconds: number; perSecond: number };
  slackOutage: { seconds: number; perSecond: number };
  nudges: { threads: number; departments: number };
  fuzz: { bodies: number };
}

export const PROFILES: Record<Profile["name"], Profile> = {
  full: {
    name: "full",
    kill: { complaints: 3_000, departments: 16 },
    database: { faultSeconds: 20, perSecond: 20 },
    slackOutage: { seconds: 60, perSecond: 10 },
    nudges: { threads: 24, departments: 4 },
    fuzz: { bodies: 5_000 },
  },
  ci: {
    name: "ci",
    kill: { complaints: 1_000, departments: 12 },
    database: { faultSeconds: 10, perSecond: 20 },
    slackOutage: { seconds: 30, perSecond: 10 },
    nudges: { threads: 12, departments: 3 },
    fuzz: { bodies: 5_000 },
  },
};
