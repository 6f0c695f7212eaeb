/**
 * ISO weeks (Monday to Sunday, week 1 holds the year's first Thursday) as residents live them:
 * in the deployment's time zone, not UTC. In Asia/Shanghai a Monday starts at 16:00 UTC on the
 * Sunday, so a UTC-based week would put Sunday evening's events into the wrong digest.
 */

/** An ISO week, e.g. { year: 2026, week: 47 } — label "2026-W47". */
export interface IsoWeek {
  year: number;
  week: number;
}

const WEEK_MS = 7 * 86_400_000;

/** The wall-clock date and time at `date` in `timeZone`. */
export function wallClock(date: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Milliseconds `timeZone` is ahead of UTC at `date`. */
function offsetMs(date: Date, timeZone: string): number {
  const w = wallClock(date, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(date.getTime() / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` shows the given local date and time. */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let at = guess - offsetMs(new Date(guess), timeZone);
  // Once more, in case the offset differs on the other side of a DST change.
  at = guess - offsetMs(new Date(at), timeZone);
  return new Date(at);
}

/** The ISO week of a calendar date (pure calendar arithmetic in UTC). */
function isoWeekOfCalendarDate(year: number, month: number, day: number): IsoWeek {
  const d = new Date(Date.UTC(year, month - 1, day));
  const dow = d.getUTCDay() || 7; // Monday 1 … Sunday 7
  d.setUTCDate(d.getUTCDate() + 4 - dow); // the Thursday of this week decides the year
  const isoYear = d.getUTCFullYear();
  const jan1 = Date.UTC(isoYear, 0, 1);
  return { year: isoYear, week: Math.floor((d.getTime() - jan1) / 86_400_000 / 7) + 1 };
}

/** The ISO week `date` falls in, in `timeZone`. */
export function isoWeekOf(date: Date, timeZone: string): IsoWeek {
  const w = wallClock(date, timeZone);
  return isoWeekOfCalendarDate(w.year, w.month, w.day);
}

/** "2026-W47". */
export function formatIsoWeek(w: IsoWeek): string {
  return `${w.year}-W${String(w.week).padStart(2, '0')}`;
}

/** Parses "2026-W47" (or "2026W47"); null for anything else, including week 53 of a 52-week year. */
export function parseIsoWeek(raw: string): IsoWeek | null {
  const m = /^(\d{4})-?W(\d{1,2})$/i.exec(raw.trim());
  if (!m) return null;
  const w = { year: Number(m[1]), week: Number(m[2]) };
  if (w.week < 1 || w.week > 53) return null;
  const monday = mondayOf(w);
  const back = isoWeekOfCalendarDate(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate());
  return back.year === w.year && back.week === w.week ? w : null;
}

/** The Monday of an ISO week as a UTC calendar date (midnight UTC). */
function mondayOf(w: IsoWeek): Date {
  const jan4 = new Date(Date.UTC(w.year, 0, 4));
  const dow = jan4.getUTCDay() || 7;
  return new Date(jan4.getTime() - (dow - 1) * 86_400_000 + (w.week - 1) * WEEK_MS);
}

/** The week's bounds in `timeZone`: Monday 00:00 (inclusive) to the next Monday 00:00 (exclusive). */
export function weekRange(w: IsoWeek, timeZone: string): { from: Date; to: Date } {
  const monday = mondayOf(w);
  const next = new Date(monday.getTime() + WEEK_MS);
  return {
    from: zonedTime(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), 0, 0, timeZone),
    to: zonedTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0, 0, timeZone),
  };
}

/** The week before `w`. */
export function previousWeek(w: IsoWeek): IsoWeek {
  const monday = mondayOf(w);
  const prev = new Date(monday.getTime() - WEEK_MS);
  return isoWeekOfCalendarDate(prev.getUTCFullYear(), prev.getUTCMonth() + 1, prev.getUTCDate());
}

/** The week after `w`. */
export function nextWeek(w: IsoWeek): IsoWeek {
  const next = new Date(mondayOf(w).getTime() + WEEK_MS);
  return isoWeekOfCalendarDate(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate());
}
