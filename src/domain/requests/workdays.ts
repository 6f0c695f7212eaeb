/**
 * Working days (工作日) in the deployment's time zone: Monday to Friday, minus the public
 * holidays a community lists, plus the weekend days it lists as worked (调休). Deadlines of
 * requests are counted in these days, the way 12345 and street offices count "3个工作日内".
 */

/** A community's calendar: local dates (YYYY-MM-DD) off and weekend dates worked. */
export interface WorkCalendar {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

/** Monday–Friday, no holidays. */
export const PLAIN_CALENDAR: WorkCalendar = { holidays: new Set(), workdays: new Set() };

const DAY_MS = 86_400_000;

/** The local calendar date of a moment, as YYYY-MM-DD. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The zone's offset from UTC at a moment, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(at / 1000) * 1000;
}

/** The moment a local date begins (00:00 there). */
export function startOfLocalDate(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d);
  // Twice: the offset at the guess may differ from the offset at the answer across a DST change.
  const first = guess - offsetAt(guess, timeZone);
  return new Date(guess - offsetAt(first, timeZone));
}

/** The local date `days` after another. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** True when the local date is a working day in the calendar. */
export function isWorkingDay(date: string, cal: WorkCalendar): boolean {
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  const [y, m, d] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * When an answer is due: the end of the `days`-th working day after the day of receipt (the day
 * itself does not count, as on a 12345 work order). A request on Friday with one working day is
 * due at the end of Monday.
 */
export function dueAfterWorkingDays(received: Date, days: number, timeZone: string, cal: WorkCalendar): Date {
  let date = localDate(received, timeZone);
  let counted = 0;
  // A bound, not a limit anyone meets: a calendar of nothing but holidays would loop forever.
  for (let i = 0; counted < days && i < 3660; i++) {
    date = addDays(date, 1);
    if (isWorkingDay(date, cal)) counted++;
  }
  return startOfLocalDate(addDays(date, 1), timeZone);
}

/**
 * Working time between two moments, in working days (fractional): the part of each working day
 * that lies between them. A request received Friday 16:00 and answered Monday 10:00 took
 * 8/24 + 10/24 of a working day — the weekend does not count against the handler.
 */
export function workingDaysBetween(from: Date, to: Date, timeZone: string, cal: WorkCalendar): number {
  if (to <= from) return 0;
  let total = 0;
  let date = localDate(from, timeZone);
  const last = localDate(to, timeZone);
  for (let i = 0; i < 3660; i++) {
    if (isWorkingDay(date, cal)) {
      const start = Math.max(startOfLocalDate(date, timeZone).getTime(), from.getTime());
      const end = Math.min(startOfLocalDate(addDays(date, 1), timeZone).getTime(), to.getTime());
      if (end > start) total += (end - start) / DAY_MS;
    }
    if (date === last) break;
    date = addDays(date, 1);
  }
  return total;
}
