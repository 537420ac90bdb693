/**
 * What the figures are computed from: rows of the event log and the tables beside it, as plain
 * data. The database adapter (src/db/figure-inputs.ts) loads them; tests build them by hand.
 */
import type { BusinessCalendar } from "../business-calendar-types.ts";
import type { ClockKind, ClockWindows, SlaClock } from "../sla-clock.ts";

/** A thread as it is now. */
export interface FigureThread {
  id: string;
  /** Its department now (the event log says where it was before). */
  department: string;
  priority: string;
  state: string;
  owner: string | null;
  openedAt: Date;
  clocks: readonly SlaClock[];
  /** Where its card is in Slack, for links; null until posted. */
  slackChannel: string | null;
  slackTs: string | null;
  /** What its posts are (complaint, question, praise, other); absent: a complaint. */
  postKind?: string | undefined;
}

/** One complaint received. */
export interface FigureComplaint {
  threadId: string;
  receivedAt: Date;
}

/** One row of thread_events: "thread.opened", "thread.claim", "sla.breach", … */
export interface FigureEvent {
  threadId: string;
  at: Date;
  kind: string;
  details: Readonly<Record<string, unknown>>;
}

/** One row of sla_breaches. */
export interface FigureBreach {
  threadId: string;
  clockKind: ClockKind;
  clockStartedAt: Date;
  department: string;
  priority: string;
  dueAt: Date;
}

/**
 * A campaign (an announced incident, a product recall…) and the complaints linked to it.
 * The complaints are those linked by keyword (see link-campaigns.ts).
 */
export interface FigureCampaign {
  id: string;
  name: string;
  linkedComplaints: ReadonlyArray<{ threadId: string; receivedAt: Date }>;
}

/**
 * Everything one computation needs. Events must include every event of each thread given
 * (not just those in the period): where a thread was, and which clocks ran, comes from its
 * whole history. Threads must include every thread with an event or a breach in the period
 * and every thread still open.
 */
export interface FiguresInput {
  /** The period, [from, to). */
  from: Date;
  to: Date;
  /** The moment "open now" and "at risk now" are taken at, and outcomes judged. */
  now: Date;
  /** Days in `daily` are local to it. */
  timezone: string;
  /** Department keys to count; undefined: every department. */
  departments?: readonly string[] | undefined;
  /** Business hours by department key; a department without one runs around the clock. */
  calendars: Readonly<Record<string, BusinessCalendar | undefined>>;
  /** SLA windows by priority, to know which clocks a transition started. */
  windows: Readonly<Record<string, ClockWindows>>;
  /** The first warning's share of a window (0.5 for "50%"): past it, a thread is at risk. */
  firstWarningAt: number;
  threads: readonly FigureThread[];
  complaints: readonly FigureComplaint[];
  events: readonly FigureEvent[];
  breaches: readonly FigureBreach[];
  /**
   * Post kinds kept off the desk (praise as a note in #kudos, chatter in a roll-up): their
   * posts are counted apart, and their threads are not open work. None when omitted.
   */
  offDeskKinds?: readonly string[] | undefined;
  /**
   * The clocks each post kind runs (its profile's `clocks`): a praise thread's claim is no
   * SLA. A kind not listed, or all of them when omitted, runs every clock.
   */
  kindClocks?: Readonly<Record<string, readonly ClockKind[]>> | undefined;
  /** Campaigns with their linked complaints; none when omitted. */
  campaigns?: readonly FigureCampaign[] | undefined;
}
