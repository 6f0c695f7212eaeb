import { describe, expect, it } from 'vitest';
import { dueDigestWeek } from '../../../../src/features/digest/digest.ts';
import { formatIsoWeek, isoWeekOf, parseIsoWeek, previousWeek, weekRange, zonedTime } from '../../../../src/domain/digest/isoWeek.ts';

const SH = 'Asia/Shanghai';
const week = (iso: string, tz = SH) => formatIsoWeek(isoWeekOf(new Date(iso), tz));

describe('ISO weeks in Asia/Shanghai', () => {
  it('puts Sunday 23:30 in the old week and Monday 00:10 in the new one, while UTC is still Sunday', () => {
    expect(week('2026-11-22T15:30:00Z')).toBe('2026-W47'); // Sun 23:30 in Shanghai
    expect(week('2026-11-22T16:10:00Z')).toBe('2026-W48'); // Mon 00:10 in Shanghai
    expect(week('2026-11-22T16:10:00Z', 'UTC')).toBe('2026-W47'); // the same instant in UTC: Sunday
  });

  it('gives the week bounds as Shanghai midnights', () => {
    const { from, to } = weekRange({ year: 2026, week: 47 }, SH);
    expect(from.toISOString()).toBe('2026-11-15T16:00:00.000Z');
    expect(to.toISOString()).toBe('2026-11-22T16:00:00.000Z');
  });

  it('handles year boundaries and 53-week years', () => {
    expect(week('2026-01-01T04:00:00Z')).toBe('2026-W01'); // a Thursday
    expect(week('2027-01-01T04:00:00Z')).toBe('2026-W53'); // a Friday: still 2026's last week
    expect(week('2024-12-30T04:00:00Z')).toBe('2025-W01'); // a Monday that belongs to next year
    expect(formatIsoWeek(previousWeek({ year: 2027, week: 1 }))).toBe('2026-W53');
    expect(formatIsoWeek(previousWeek({ year: 2026, week: 1 }))).toBe('2025-W52');
  });

  it('parses week labels and refuses impossible ones', () => {
    expect(parseIsoWeek('2026-W47')).toEqual({ year: 2026, week: 47 });
    expect(parseIsoWeek('2026w5')).toEqual({ year: 2026, week: 5 });
    expect(parseIsoWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
    for (const bad of ['2025-W53', '2026-W00', '2026-W54', '2026-47', 'W47', '', '周报']) expect(parseIsoWeek(bad)).toBeNull();
  });

  it('converts Shanghai wall-clock times', () => {
    expect(zonedTime(2026, 11, 23, 9, 0, SH).toISOString()).toBe('2026-11-23T01:00:00.000Z');
    // A zone with DST: New York 2026-03-08 is the spring-forward day.
    expect(zonedTime(2026, 3, 9, 9, 0, 'America/New_York').toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(zonedTime(2026, 3, 6, 9, 0, 'America/New_York').toISOString()).toBe('2026-03-06T14:00:00.000Z');
  });
});

describe('when a digest is due', () => {
  const due = (cron: string, iso: string) => {
    const w = dueDigestWeek(cron, new Date(iso), SH);
    return w && formatIsoWeek(w);
  };
  it('is due from Monday 09:00 Shanghai for the week that just ended, all week long', () => {
    expect(due('0 9 * * 1', '2026-11-23T00:59:00Z')).toBeNull(); // Mon 08:59
    expect(due('0 9 * * 1', '2026-11-23T01:00:00Z')).toBe('2026-W47'); // Mon 09:00
    expect(due('0 9 * * 1', '2026-11-25T03:00:00Z')).toBe('2026-W47'); // Wed: caught up after downtime
    expect(due('0 9 * * 1', '2026-11-29T15:59:00Z')).toBe('2026-W47'); // Sun 23:59
    expect(due('0 9 * * 1', '2026-11-29T16:00:00Z')).toBeNull(); // Mon 00:00 of W49, before 09:00
    expect(due('0 9 * * 1', '2026-11-22T15:30:00Z')).toBe('2026-W46'); // Sun 23:30 of W47
  });
  it('follows a community schedule and falls back to Monday 09:00 for a broken one', () => {
    expect(due('30 18 * * 5', '2026-11-26T10:00:00Z')).toBeNull(); // Thu
    expect(due('30 18 * * 5', '2026-11-27T10:31:00Z')).toBe('2026-W47'); // Fri 18:31
    expect(due('not a cron', '2026-11-23T01:00:00Z')).toBe('2026-W47');
    expect(due('not a cron', '2026-11-23T00:00:00Z')).toBeNull();
  });
});
