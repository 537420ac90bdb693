import type { BusinessCalendar } from "../../src/domain/business-calendar-types.ts";

export { HOUR, MINUTE } from "./fake-clock.ts";

/** An instant from an ISO string. */
export const at = (iso: string) => new Date(iso);

const nineToFive = [{ startMinute: 540, endMinute: 1020 }];

/** Monday to Friday, 09:00–17:00 in London, no holidays. */
export const london: BusinessCalendar = {
  timezone: "Europe/London",
  week: {
    mon: nineToFive,
    tue: nineToFive,
    wed: nineToFive,
    thu: nineToFive,
    fri: nineToFive,
    sat: [],
    sun: [],
  },
  holidays: [],
};
