/** Days of the week as written in config, Monday first. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * One stretch of working time within a day, in minutes after local midnight.
 * endMinute is exclusive and may be 1440 ("24:00") for a slot that runs to midnight.
 */
export interface TimeSlot {
  startMinute: number;
  endMinute: number;
}

/**
 * When a department is staffed: weekly hours in one IANA time zone, minus holidays.
 * SLA clocks only run inside these hours. Slots within a day are sorted and never overlap;
 * a day with no slots is closed.
 */
export interface BusinessCalendar {
  /** IANA zone name, e.g. "Europe/London"; hours and holidays are local to it. */
  timezone: string;
  week: Record<Weekday, TimeSlot[]>;
  /** Local dates (YYYY-MM-DD) on which the calendar is closed all day. */
  holidays: string[];
}
