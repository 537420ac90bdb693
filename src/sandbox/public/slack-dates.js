/**
 * Slack's date tokens (<!date^UNIX^{token} …|fallback>) in the viewer's own time zone, as
 * Slack's clients show them (https://docs.slack.dev/messaging/formatting-message-text#date-formatting).
 * Shared by the page and its unit test; no dependencies.
 */

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "1st", "2nd", "3rd", "4th", "11th", "22nd". */
export function ordinal(n) {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

/** The calendar parts of a moment in a time zone. */
function partsIn(date, timeZone) {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    weekday: "short",
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
  const get = (type) => f.formatToParts(date).find((p) => p.type === type)?.value ?? "";
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(get("weekday"));
  return {
    year: Number(get("year")),
    month: Number(get("month")) - 1,
    day: Number(get("day")),
    weekday,
    hour: Number(get("hour")),
    minute: Number(get("minute")),
    second: Number(get("second")),
  };
}

function dayNumber(p) {
  return Date.UTC(p.year, p.month, p.day) / 86_400_000;
}

function timeText(p, hour12, seconds) {
  const mm = String(p.minute).padStart(2, "0");
  const ss = seconds ? `:${String(p.second).padStart(2, "0")}` : "";
  if (!hour12) return `${String(p.hour).padStart(2, "0")}:${mm}${ss}`;
  const h = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return `${h}:${mm}${ss} ${p.hour < 12 ? "AM" : "PM"}`;
}

function ago(unix, nowMs) {
  const seconds = Math.round(unix - nowMs / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  if (abs < 45) return seconds <= 0 ? "just now" : "in a few seconds";
  if (abs < 2700) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 79_200) return rtf.format(Math.round(seconds / 3600), "hour");
  if (abs < 2_592_000) return rtf.format(Math.round(seconds / 86_400), "day");
  if (abs < 31_536_000) return rtf.format(Math.round(seconds / 2_592_000), "month");
  return rtf.format(Math.round(seconds / 31_536_000), "year");
}

/**
 * Fills in a token string such as "{date_short_pretty} at {time}".
 * options: { timeZone?: string, hour12?: boolean, now?: number (ms) }.
 */
export function formatSlackDate(unix, format, options = {}) {
  const timeZone = options.timeZone;
  const nowMs = options.now ?? Date.now();
  const hour12 = options.hour12 ?? false;
  const p = partsIn(new Date(unix * 1000), timeZone);
  const today = partsIn(new Date(nowMs), timeZone);
  const offset = dayNumber(p) - dayNumber(today);
  const relative =
    offset === 0 ? "today" : offset === -1 ? "yesterday" : offset === 1 ? "tomorrow" : undefined;
  const date = `${MONTHS[p.month]} ${ordinal(p.day)}, ${p.year}`;
  const short = `${MONTHS[p.month].slice(0, 3)} ${p.day}, ${p.year}`;
  const long = `${WEEKDAYS[p.weekday]}, ${date}`;
  const tokens = {
    date_num: `${p.year}-${String(p.month + 1).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`,
    date,
    date_short: short,
    date_long: long,
    date_pretty: relative ?? date,
    date_short_pretty: relative ?? short,
    date_long_pretty: relative ?? long,
    time: timeText(p, hour12, false),
    time_secs: timeText(p, hour12, true),
    ago: ago(unix, nowMs),
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, name) => tokens[name] ?? whole);
}
