/** What a key expects, in words, and a valid YAML line or block to copy. */
export interface KeyHint {
  expected: string;
  example: string;
}

const MATCH_KEYS =
  "phrases, patterns, sources, languages, authors, minFollowers, minShares, verified (and excludePhrases to narrow them)";
const DURATION: KeyHint = {
  expected: "a duration: a number and a unit s, m, h or d, combined largest first",
  example: "firstResponse: 15m   # also 90s, 4h, 2d, 1h30m",
};
const SLACK_USER: KeyHint = {
  expected: "a Slack member ID (U… or W…; in Slack: profile → ⋮ → Copy member ID)",
  example: "leads: [U0123ABCD]",
};
const CHANNEL_EXPECTED =
  'a channel name in quotes ("#name"; a bare # starts a YAML comment) or a channel ID (C…)';
const SHARE: KeyHint = {
  expected:
    "a share of the SLA window, strictly between 0% and 100%: a percentage (80%) or a fraction (0.8), each warning at its own share",
  example: "at: 80%   # or: at: 0.8",
};
const WARNING: KeyHint = {
  expected: "a warning with at (a share of the window) and notify (thread or owner)",
  example: "- at: 80%\n  notify: owner",
};
const ESCALATION_STEP: KeyHint = {
  expected: "an escalation with after (a duration after the breach) and notify: executives",
  example: "- after: 30m\n  notify: executives",
};
const SLOTS: KeyHint = {
  expected: 'quoted 24-hour slots "HH:MM-HH:MM", start before end, not overlapping',
  example: 'mon: ["09:00-12:30", "13:30-17:30"]',
};

// Patterns are key paths with "[]" for any list index and "*" for any single key.
// The first pattern matching the whole path wins, so literal keys come before wildcards.
const HINTS: ReadonlyArray<readonly [string, KeyHint]> = [
  [
    "",
    {
      expected:
        "a mapping with departments, routing, kinds, priority, sla, calendars, executives, admins, escalation, people, campaigns",
      example: "see switchboard.example.yaml",
    },
  ],
  [
    "departments",
    {
      expected: "a list with at least one department",
      example:
        'departments:\n  - key: baggage\n    name: Baggage\n    channel: "#sb-baggage"\n    leads: [U0123ABCD]',
    },
  ],
  [
    "departments[]",
    {
      expected: "a department with key, name, channel, leads and optionally calendar, usergroup",
      example: '- key: baggage\n  name: Baggage\n  channel: "#sb-baggage"\n  leads: [U0123ABCD]',
    },
  ],
  [
    "departments[].key",
    {
      expected: "a lowercase slug (letters, digits, hyphens) used by one department only",
      example: "key: baggage",
    },
  ],
  ["departments[].name", { expected: "a display name", example: "name: Baggage services" }],
  [
    "departments[].channel",
    {
      expected: CHANNEL_EXPECTED,
      example: 'channel: "#sb-baggage"   # or: channel: C0123ABCD',
    },
  ],
  ["departments[].leads", { ...SLACK_USER, expected: "a list of Slack member IDs (U… or W…)" }],
  ["departments[].leads[]", SLACK_USER],
  [
    "departments[].calendar",
    {
      expected: "a key under calendars; leave it out for around-the-clock service",
      example: "calendar: london-office",
    },
  ],
  [
    "departments[].usergroup",
    {
      expected: "a Slack user group ID (S…), whose members are paged with the channel",
      example: "usergroup: S0123ABCD",
    },
  ],
  [
    "routing",
    {
      expected: "a mapping with default, rules and optionally learned",
      example: "routing:\n  default: service\n  rules: []",
    },
  ],
  [
    "routing.learned",
    {
      expected:
        "the learned router's settings: enabled (true/false), minConfidence (0..1), minExamples (a count), retrain (a cron schedule)",
      example: 'learned:\n  minConfidence: 0.8\n  minExamples: 30\n  retrain: "0 3 * * *"',
    },
  ],
  [
    "routing.learned.minConfidence",
    {
      expected: "how sure the model must be before its department is used: above 0, at most 1",
      example: "minConfidence: 0.8   # or: 80%",
    },
  ],
  [
    "routing.learned.enabled",
    {
      expected: "true or false: whether routing follows the learned model where no rule matched",
      example: "enabled: false   # rules only",
    },
  ],
  [
    "routing.learned.minExamples",
    {
      expected: "a whole number, 2 or more: confirmed threads needed before a model is trained",
      example: "minExamples: 30",
    },
  ],
  [
    "routing.learned.retrain",
    {
      expected: "a cron schedule (five fields, or six with seconds first), quoted",
      example: 'retrain: "0 3 * * *"   # every night at 03:00',
    },
  ],
  ["routing.default", { expected: "the key of a department", example: "default: service" }],
  [
    "routing.rules",
    {
      expected: "a list of routing rules, checked in order",
      example:
        "rules:\n  - name: lost-bag\n    department: baggage\n    match: { phrases: [lost bag] }",
    },
  ],
  [
    "routing.rules[]",
    {
      expected: "a rule with name, department and match",
      example: "- name: lost-bag\n  department: baggage\n  match: { phrases: [lost bag] }",
    },
  ],
  [
    "routing.rules[].name",
    { expected: "a name used by one routing rule only", example: "name: lost-bag" },
  ],
  [
    "routing.rules[].department",
    { expected: "the key of a department", example: "department: baggage" },
  ],
  [
    "kinds",
    {
      expected: "a mapping with default, rules, and optionally learned and profiles",
      example:
        "kinds:\n  default: complaint\n  rules:\n    - name: thanks\n      kind: praise\n      match: { phrases: [thank you] }",
    },
  ],
  [
    "kinds.learned",
    {
      expected: "enabled (true/false) and minConfidence (0..1)",
      example: "learned:\n  enabled: true\n  minConfidence: 0.9",
    },
  ],
  [
    "kinds.learned.enabled",
    {
      expected: "true or false: whether a post no kind rule matched may take the model's kind",
      example: "enabled: false   # kind rules only",
    },
  ],
  [
    "kinds.learned.minConfidence",
    {
      expected: "how sure the model must be before its kind is used: above 0, at most 1",
      example: "minConfidence: 0.9   # or: 90%",
    },
  ],
  [
    "kinds.profiles",
    {
      expected: "a mapping from kind (complaint, question, praise, other) to its profile",
      example:
        'profiles:\n  praise:\n    clocks: []\n    deliver: channel\n    channel: "#sb-kudos"',
    },
  ],
  [
    "kinds.rules[]",
    {
      expected: "a rule with name, kind (complaint, question, praise or other) and match",
      example: "- name: thanks\n  kind: praise\n  match: { phrases: [thank you, thanks] }",
    },
  ],
  [
    "kinds.rules[].kind",
    { expected: "complaint, question, praise or other", example: "kind: praise" },
  ],
  [
    "kinds.profiles.*",
    {
      expected:
        "clocks (a list of claim, firstResponse, nextResponse, resolution) and deliver: card, channel (with channel) or rollup (with channel, at, timezone)",
      example: 'praise:\n  clocks: []\n  deliver: channel\n  channel: "#sb-kudos"',
    },
  ],
  [
    "kinds.profiles.*.clocks[]",
    {
      expected: "one of claim, firstResponse, nextResponse, resolution",
      example: "clocks: [claim, firstResponse]",
    },
  ],
  [
    "kinds.profiles.*.deliver",
    {
      expected:
        "card (on the desk, the default), channel (a note in channel) or rollup (listed in channel at a set time)",
      example: 'deliver: channel\nchannel: "#sb-kudos"',
    },
  ],
  ["kinds.profiles.*.channel", { expected: CHANNEL_EXPECTED, example: 'channel: "#sb-kudos"' }],
  [
    "kinds.profiles.*.timezone",
    {
      expected: "an IANA time zone, in which the roll-up's time is read",
      example: "timezone: Europe/London",
    },
  ],
  [
    "kinds.profiles.*.at",
    {
      expected: 'a local time "HH:MM" (daily) or five cron fields, quoted',
      example: 'at: "17:00"   # or, every 15 minutes: at: "*/15 * * * *"',
    },
  ],
  [
    "priority",
    {
      expected: "a mapping with default and rules",
      example: "priority:\n  default: P3\n  rules: []",
    },
  ],
  [
    "priority.default",
    { expected: "one of P1, P2, P3, P4 (P1 is most urgent)", example: "default: P3" },
  ],
  [
    "priority.rules",
    {
      expected: "a list of priority rules; every matching rule applies, in order",
      example: "rules:\n  - name: safety\n    match: { phrases: [unsafe] }\n    set: P1",
    },
  ],
  [
    "priority.rules[]",
    {
      expected: "a rule with name, match and exactly one of set or raise",
      example: "- name: safety\n  match: { phrases: [unsafe] }\n  set: P1",
    },
  ],
  [
    "priority.rules[].name",
    { expected: "a name used by one priority rule only", example: "name: safety" },
  ],
  [
    "priority.rules[].set",
    { expected: "one of P1, P2, P3, P4 (it only ever raises urgency)", example: "set: P1" },
  ],
  [
    "priority.rules[].raise",
    { expected: "a whole number of levels from 1 to 3", example: "raise: 1" },
  ],
  [
    "*.rules[].match",
    {
      expected: `a mapping with at least one of ${MATCH_KEYS}`,
      example: "match: { phrases: [lost bag, suitcase] }",
    },
  ],
  [
    "*.rules[].match.phrases",
    {
      expected: "a list of words or phrases, matched as whole words ignoring case",
      example: "phrases: [lost bag, suitcase]",
    },
  ],
  [
    "*.rules[].match.phrases[]",
    { expected: "a non-empty word or phrase", example: "phrases: [lost bag, suitcase]" },
  ],
  [
    "*.rules[].match.patterns",
    {
      expected: "a list of JavaScript regular expressions in single quotes, matched ignoring case",
      example: "patterns: ['\\blost (my |our )?bags?\\b']",
    },
  ],
  [
    "*.rules[].match.patterns[]",
    {
      expected: "a JavaScript regular expression in single quotes (so backslashes stay as written)",
      example: "patterns: ['\\blost (my |our )?bags?\\b']",
    },
  ],
  [
    "*.rules[].match.excludePhrases",
    {
      expected: "a list of words or phrases that stop the rule from matching, matched like phrases",
      example: "excludePhrases: [carry on, overhead bin]",
    },
  ],
  [
    "*.rules[].match.excludePhrases[]",
    { expected: "a non-empty word or phrase", example: "excludePhrases: [carry on, overhead bin]" },
  ],
  [
    "*.rules[].match.sources",
    { expected: "a list of source names", example: "sources: [twitter, trustpilot]" },
  ],
  [
    "*.rules[].match.languages",
    { expected: "a list of language codes", example: "languages: [en, fr]" },
  ],
  [
    "*.rules[].match.authors",
    { expected: "a list of author handles", example: "authors: [bbcnews]" },
  ],
  [
    "*.rules[].match.minFollowers",
    { expected: "a whole number, 0 or more", example: "minFollowers: 10000" },
  ],
  [
    "*.rules[].match.minShares",
    { expected: "a whole number, 0 or more", example: "minShares: 100" },
  ],
  ["*.rules[].match.verified", { expected: "true or false", example: "verified: true" }],
  [
    "*.rules[].match.*[]",
    { expected: "a non-empty value", example: "sources: [twitter, trustpilot]" },
  ],
  [
    "sla",
    {
      expected: "a mapping with P1, P2, P3 and P4",
      example: "sla:\n  P1: { claim: 5m, firstResponse: 15m, nextResponse: 30m, resolution: 4h }",
    },
  ],
  [
    "sla.*",
    {
      expected: "firstResponse and optionally claim, nextResponse, resolution, each a duration",
      example: "P1: { claim: 5m, firstResponse: 15m, nextResponse: 30m, resolution: 4h }",
    },
  ],
  // Each window's example names the window: a fix to copy onto the line it is about.
  ["sla.*.claim", { ...DURATION, example: "claim: 15m   # also 90s, 4h, 2d, 1h30m" }],
  ["sla.*.nextResponse", { ...DURATION, example: "nextResponse: 2h   # also 90s, 15m, 2d, 1h30m" }],
  ["sla.*.resolution", { ...DURATION, example: "resolution: 1d   # also 90s, 15m, 4h, 1d12h" }],
  ["sla.*.*", DURATION],
  [
    "calendars",
    {
      expected: "a mapping from calendar key to calendar",
      example:
        'calendars:\n  london-office:\n    timezone: Europe/London\n    hours: { mon: ["09:00-17:30"] }',
    },
  ],
  [
    "calendars.*",
    {
      expected: "a calendar with timezone, hours and optionally holidays",
      example: 'timezone: Europe/London\nhours: { mon: ["09:00-17:30"] }\nholidays: ["2026-12-25"]',
    },
  ],
  [
    "calendars.*.timezone",
    { expected: "an IANA time zone name", example: "timezone: Europe/London" },
  ],
  [
    "calendars.*.hours",
    {
      expected:
        "a mapping of mon, tue, wed, thu, fri, sat, sun to slot lists; a missing day is closed",
      example: 'hours:\n  mon: ["09:00-12:30", "13:30-17:30"]',
    },
  ],
  ["calendars.*.hours.*", SLOTS],
  ["calendars.*.hours.*[]", SLOTS],
  [
    "calendars.*.holidays",
    { expected: "a list of dates written as YYYY-MM-DD", example: 'holidays: ["2026-12-25"]' },
  ],
  [
    "calendars.*.holidays[]",
    { expected: "a date written as YYYY-MM-DD", example: 'holidays: ["2026-12-25"]' },
  ],
  [
    "executives",
    {
      expected: "a list of executives who receive digests",
      example: "executives:\n  - user: U0123ABCD\n    name: Ana Ruiz\n    timezone: Europe/London",
    },
  ],
  [
    "executives[]",
    {
      expected: "an executive with user, name, timezone and optionally digest and departments",
      example: "- user: U0123ABCD\n  name: Ana Ruiz\n  timezone: Europe/London",
    },
  ],
  ["executives[].user", { ...SLACK_USER, example: "user: U0123ABCD" }],
  ["executives[].name", { expected: "a display name", example: "name: Ana Ruiz" }],
  [
    "executives[].timezone",
    { expected: "an IANA time zone name", example: "timezone: Europe/London" },
  ],
  [
    "executives[].digest",
    {
      expected: 'a quoted local time "HH:MM" or a five-field cron expression',
      example: 'digest: "08:00"   # or: digest: "0 8 * * 1-5"',
    },
  ],
  [
    "executives[].departments",
    {
      expected: "a list of department keys the digest covers (leave out for every department)",
      example: "departments: [baggage, service]",
    },
  ],
  [
    "executives[].departments[]",
    { expected: "a department key", example: "departments: [baggage, service]" },
  ],
  [
    "admins",
    { ...SLACK_USER, expected: "a list of Slack member IDs", example: "admins: [U0123ABCD]" },
  ],
  ["admins[]", { ...SLACK_USER, example: "admins: [U0123ABCD]" }],
  [
    "escalation",
    {
      expected:
        "a mapping with executivesChannel, warnings, breach and escalate; keys left out keep the default ladder",
      example:
        'escalation:\n  executivesChannel: "#sb-exec"\n  warnings:\n    - at: 80%\n      notify: owner\n  breach:\n    notify: leads\n  escalate:\n    - after: 30m\n      notify: executives',
    },
  ],
  [
    "escalation.executivesChannel",
    {
      expected: `${CHANNEL_EXPECTED}, where escalations after a breach are posted`,
      example: 'executivesChannel: "#sb-exec"   # or: executivesChannel: C0123ABCD',
    },
  ],
  [
    "escalation.warnings",
    {
      expected: "a list of warnings before an SLA window runs out ([] for none)",
      example: "warnings:\n  - at: 50%\n    notify: thread\n  - at: 80%\n    notify: owner",
    },
  ],
  ["escalation.warnings[]", WARNING],
  ["escalation.warnings[].at", SHARE],
  [
    "escalation.warnings[].notify",
    {
      expected:
        "thread (a reply in the card's thread) or owner (a DM to the owner; a channel mention when nobody owns it)",
      example: "notify: owner",
    },
  ],
  [
    "escalation.breach",
    { expected: "a mapping with notify: leads", example: "breach:\n  notify: leads" },
  ],
  [
    "escalation.breach.notify",
    {
      expected: "leads (the department's leads: a mention in the thread and a DM each)",
      example: "notify: leads",
    },
  ],
  [
    "escalation.escalate",
    {
      expected:
        "a list of escalations after a breach, each posted to executivesChannel ([] for none)",
      example: "escalate:\n  - after: 30m\n    notify: executives",
    },
  ],
  ["escalation.escalate[]", ESCALATION_STEP],
  [
    "escalation.escalate[].after",
    {
      expected:
        "a duration after the breach, in wall-clock time (0m for at the breach), each escalation at its own delay",
      example: "after: 30m   # also 90s, 4h, 1h30m",
    },
  ],
  [
    "escalation.escalate[].notify",
    {
      expected: "executives (a post in escalation.executivesChannel)",
      example: "notify: executives",
    },
  ],
  [
    "people",
    {
      expected: "a list of people whose DMs wait for their working hours",
      example: "people:\n  - user: U0123ABCD\n    calendar: london-office",
    },
  ],
  [
    "people[]",
    {
      expected: "a person with user and optionally calendar",
      example: "- user: U0123ABCD\n  calendar: london-office",
    },
  ],
  [
    "people[].user",
    { ...SLACK_USER, expected: `${SLACK_USER.expected}, listed once`, example: "user: U0123ABCD" },
  ],
  [
    "people[].calendar",
    {
      expected: "a key under calendars; leave it out to DM this person at any hour",
      example: "calendar: london-office",
    },
  ],
  [
    "campaigns",
    {
      expected:
        "a mapping with channel and optionally announcers, minimumNotice, reminders, linkTail, spike",
      example:
        'campaigns:\n  channel: "#sb-marketing"\n  announcers: [U0123ABCD, S0123ABCD]\n  minimumNotice: 48h\n  reminders: [24h, 2h]',
    },
  ],
  [
    "campaigns.channel",
    {
      expected: `${CHANNEL_EXPECTED}, where each campaign's own card is posted (marketing's channel)`,
      example: 'channel: "#sb-marketing"   # or: channel: C0123ABCD',
    },
  ],
  [
    "campaigns.announcers",
    {
      expected:
        "a list of Slack member IDs (U…) and user group IDs (S…) who may announce, edit and cancel campaigns; admins always may",
      example: "announcers: [U0123ABCD, S0123ABCD]",
    },
  ],
  [
    "campaigns.announcers[]",
    {
      expected: "a Slack member ID (U… or W…) or a user group ID (S…)",
      example: "announcers: [U0123ABCD, S0123ABCD]",
    },
  ],
  [
    "campaigns.minimumNotice",
    {
      expected:
        "a duration (0m: never late); an announcement with less notice before launch is late",
      example: "minimumNotice: 48h",
    },
  ],
  [
    "campaigns.reminders",
    {
      expected:
        "a list of lead times before launch, each a different duration, at which departments that have not acknowledged are reminded ([] for none)",
      example: "reminders: [24h, 2h]",
    },
  ],
  [
    "campaigns.reminders[]",
    { ...DURATION, expected: `${DURATION.expected}, listed once`, example: "reminders: [24h, 2h]" },
  ],
  [
    "campaigns.linkTail",
    {
      expected: "a duration after a campaign ends during which complaints are still linked to it",
      example: "linkTail: 72h",
    },
  ],
  [
    "campaigns.spike",
    {
      expected: "a mapping with factor, window and minimum; keys left out keep their defaults",
      example: "spike: { factor: 3, window: 1h, minimum: 10 }",
    },
  ],
  [
    "campaigns.spike.factor",
    {
      expected: "a number, 1 or more: how many times the expected rate counts as a spike",
      example: "factor: 3",
    },
  ],
  [
    "campaigns.spike.window",
    { expected: "a duration over which linked complaints are counted", example: "window: 1h" },
  ],
  [
    "campaigns.spike.minimum",
    {
      expected: "a whole number, 1 or more: fewer complaints in a window are never a spike",
      example: "minimum: 10",
    },
  ],
];

/** Looks up the hint for a key path such as ["routing", "rules", 2, "department"]. */
export function hintFor(path: readonly PropertyKey[]): KeyHint | undefined {
  const tokens = path.map((segment) => (typeof segment === "number" ? "[]" : String(segment)));
  return HINTS.find(([pattern]) => matchesPattern(tokenize(pattern), tokens))?.[1];
}

function tokenize(pattern: string): string[] {
  return pattern === "" ? [] : pattern.replaceAll("[]", ".[]").split(".");
}

function matchesPattern(pattern: readonly string[], tokens: readonly string[]): boolean {
  return (
    pattern.length === tokens.length &&
    pattern.every((part, index) => {
      const token = tokens[index];
      return part === token || (part === "*" && token !== "[]");
    })
  );
}
