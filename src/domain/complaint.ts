/** Priority levels, most urgent first. P1 is "drop everything". */
export const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The facts about one public post that routing and prioritising look at. */
export interface ComplaintFacts {
  source: string;
  text: string;
  language?: string | undefined;
  author?:
    | {
        handle: string;
        name?: string | undefined;
        followers?: number | undefined;
        verified?: boolean | undefined;
      }
    | undefined;
  metrics?:
    | {
        shares?: number | undefined;
        likes?: number | undefined;
        replies?: number | undefined;
      }
    | undefined;
}

/**
 * Conditions a rule tests. Every condition that is present must hold (AND);
 * within a list, any entry may match (OR). `phrases` and `patterns` together are one
 * condition on the text: a match of either is enough. `excludePhrases` is the one negative
 * condition: any of them in the text and the rule does not match. A rule with no condition
 * matches everything.
 */
export interface MatchConditions {
  /** Case-insensitive, whole-word phrases: "lost bag" matches "Lost  bag!" but not "lost baggage". */
  phrases?: string[] | undefined;
  /** Regular expressions, already compiled (config compiles them case-insensitively). */
  patterns?: RegExp[] | undefined;
  /**
   * Phrases (matched like `phrases`) that stop the rule: a bag rule that should not fire on
   * "carry on bag" lists "carry on" here, and the post goes on to the next rules.
   */
  excludePhrases?: string[] | undefined;
  /** Source names, compared case-insensitively: "twitter", "facebook", "instagram", "trustpilot"… */
  sources?: string[] | undefined;
  /** Language codes, compared case-insensitively on the primary subtag ("en" matches "en-GB"). */
  languages?: string[] | undefined;
  /** Author handles, compared case-insensitively, without a leading "@". */
  authors?: string[] | undefined;
  /** Author has at least this many followers. */
  minFollowers?: number | undefined;
  /** Post has at least this many shares (retweets, reposts). */
  minShares?: number | undefined;
  /** Author is verified (true) or not (false). */
  verified?: boolean | undefined;
}

/** Routes matching complaints to a department. */
export interface RoutingRule {
  name: string;
  department: string;
  match: MatchConditions;
}

export interface RoutingPolicy {
  /** Checked in order; the first match wins. */
  rules: RoutingRule[];
  /** Department for complaints no rule matches. */
  defaultDepartment: string;
}

/** A priority rule either sets a level (only ever raising urgency) or raises it by some steps. */
export interface PriorityRule {
  name: string;
  match: MatchConditions;
  set?: Priority | undefined;
  raise?: number | undefined;
}

export interface PriorityPolicy {
  default: Priority;
  /** Every matching rule applies, in order. */
  rules: PriorityRule[];
}

/** Why a complaint went where it went, kept on the thread and shown on the card. */
export interface RoutingDecision {
  department: string;
  /** Name of the rule that matched, or null when the default department caught it. */
  rule: string | null;
  /** Human-readable: 'rule "lost-bag": phrase "lost bag"' or "no rule matched; default department". */
  reason: string;
  /** The learned model's version, when the model (not a rule) chose the department. */
  modelVersion?: number | undefined;
}

export interface PriorityDecision {
  priority: Priority;
  /** One entry per rule that changed the priority, human-readable, in order applied. */
  reasons: string[];
}
