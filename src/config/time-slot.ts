import type { TimeSlot } from "../domain/business-calendar-types.ts";

// 24-hour clock; "24:00" is allowed as an end so a slot can run to midnight.
const SLOT_PATTERN = /^([01]\d|2[0-4]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)$/;
const MINUTES_PER_DAY = 24 * 60;

/** A parsed slot, or why the text is not one (worded to follow the quoted text). */
export type TimeSlotResult = { slot: TimeSlot } | { problem: string };

/**
 * Parses "09:00-12:30" into minutes after midnight. Fails unless the text has that exact
 * shape, both times are real clock times and the start is before the end.
 */
export function parseTimeSlot(text: string): TimeSlotResult {
  const match = SLOT_PATTERN.exec(text.trim());
  if (!match) return { problem: 'is not a time slot written as "HH:MM-HH:MM"' };
  const [, startHour, startMinutes, endHour, endMinutes] = match.map(Number);
  const startMinute = (startHour ?? 0) * 60 + (startMinutes ?? 0);
  const endMinute = (endHour ?? 0) * 60 + (endMinutes ?? 0);
  if (endMinute > MINUTES_PER_DAY) return { problem: "ends after 24:00" };
  if (startMinute >= endMinute) {
    return { problem: "starts at or after it ends; split a slot that crosses midnight in two" };
  }
  return { slot: { startMinute, endMinute } };
}

/** Formats minutes after midnight as "HH:MM", for error messages. */
export function formatMinute(minute: number): string {
  const hours = String(Math.floor(minute / 60)).padStart(2, "0");
  return `${hours}:${String(minute % 60).padStart(2, "0")}`;
}

/**
 * Returns the index of the first slot that overlaps an earlier one in the list, or -1.
 * Slots that merely touch ("09:00-12:00", "12:00-13:00") do not overlap.
 */
export function findOverlappingSlot(slots: readonly TimeSlot[]): number {
  return slots.findIndex((slot, index) =>
    slots
      .slice(0, index)
      .some((other) => slot.startMinute < other.endMinute && other.startMinute < slot.endMinute),
  );
}
