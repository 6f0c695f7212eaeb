/**
 * Working days as deadlines are counted in: the receipt day does not count, weekends and listed
 * holidays are skipped, listed weekend workdays (调休) count, and the working time between two
 * moments leaves out the days off.
 */
import { describe, expect, it } from 'vitest';
import { dueAfterWorkingDays, isWorkingDay, localDate, PLAIN_CALENDAR, startOfLocalDate, workingDaysBetween } from '../../../../src/domain/requests/workdays.ts';

const TZ = 'Asia/Shanghai';

describe('working days', () => {
  it('reads local dates in the zone, not in UTC', () => {
    // 23:30 on 31 December in Shanghai is still 15:30 UTC the same day; 00:30 the next is the day before in UTC.
    expect(localDate(new Date('2026-12-31T15:30:00Z'), TZ)).toBe('2026-12-31');
    expect(localDate(new Date('2026-12-31T16:30:00Z'), TZ)).toBe('2027-01-01');
    expect(startOfLocalDate('2026-11-06', TZ).toISOString()).toBe('2026-11-05T16:00:00.000Z');
  });

  it('counts N working days after the day of receipt, ending at local midnight', () => {
    const monday = new Date('2026-11-02T02:00:00Z');
    expect(dueAfterWorkingDays(monday, 3, TZ, PLAIN_CALENDAR).toISOString()).toBe('2026-11-05T16:00:00.000Z');
    const fridayEvening = new Date('2026-11-06T12:00:00Z'); // 20:00 Friday
    expect(dueAfterWorkingDays(fridayEvening, 1, TZ, PLAIN_CALENDAR).toISOString()).toBe('2026-11-09T16:00:00.000Z');
    const saturday = new Date('2026-11-07T02:00:00Z');
    expect(dueAfterWorkingDays(saturday, 1, TZ, PLAIN_CALENDAR).toISOString()).toBe('2026-11-09T16:00:00.000Z');
  });

  it('skips listed holidays and counts listed weekend workdays', () => {
    const cal = { holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']), workdays: new Set(['2026-10-10']) };
    expect(isWorkingDay('2026-10-01', cal)).toBe(false);
    expect(isWorkingDay('2026-10-10', cal)).toBe(true); // a Saturday worked
    const beforeHoliday = new Date('2026-09-30T02:00:00Z'); // Wednesday
    // Next working days: Thu 8 Oct, Fri 9 Oct, Sat 10 Oct (worked).
    expect(dueAfterWorkingDays(beforeHoliday, 3, TZ, cal).toISOString()).toBe('2026-10-10T16:00:00.000Z');
  });

  it('measures working time between two moments without the days off', () => {
    const friday16 = new Date('2026-11-06T08:00:00Z');
    const monday10 = new Date('2026-11-09T02:00:00Z');
    expect(workingDaysBetween(friday16, monday10, TZ, PLAIN_CALENDAR)).toBeCloseTo(8 / 24 + 10 / 24, 6);
    expect(workingDaysBetween(monday10, friday16, TZ, PLAIN_CALENDAR)).toBe(0);
    const sat = new Date('2026-11-07T02:00:00Z');
    const sun = new Date('2026-11-08T02:00:00Z');
    expect(workingDaysBetween(sat, sun, TZ, PLAIN_CALENDAR)).toBe(0);
  });
});
