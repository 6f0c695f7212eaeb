/**
 * Periods of disclosures: the label a committee writes (2026年第三季度) and a sortable key
 * (2026Q3) when the label follows a common pattern; and calendar quarters in LINLI_TIMEZONE,
 * which the reminder job works with.
 */
import { FIRST_HALF, PERIOD_PATTERNS, QUARTER_NUMERALS } from './vocabulary.ts';

/**
 * A sortable key for a period label, or null for a free label (e.g. 2026年国庆活动).
 * Keys: `2026` (year), `2026H1`, `2026Q3`, `2026-10` (month).
 */
export function parsePeriodKey(label: string): string | null {
  const s = label.normalize('NFKC').replace(/\s+/g, '');
  for (const re of PERIOD_PATTERNS.quarter) {
    const m = re.exec(s);
    if (!m) continue;
    const qFirst = re.source.startsWith('^q');
    const year = qFirst ? m[2] : m[1];
    const q = qFirst ? m[1] : m[2];
    return `${year}Q${QUARTER_NUMERALS[q] ?? Number(q)}`;
  }
  for (const re of PERIOD_PATTERNS.half) {
    const m = re.exec(s);
    if (m) return `${m[1]}H${m[2] === FIRST_HALF || m[2] === '1' ? 1 : 2}`;
  }
  for (const re of PERIOD_PATTERNS.month) {
    const m = re.exec(s);
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return `${m[1]}-${m[2].padStart(2, '0')}`;
  }
  for (const re of PERIOD_PATTERNS.year) {
    const m = re.exec(s);
    if (m) return m[1];
  }
  return null;
}

/** The year a period key starts in, for completing dates such as 10月12日. */
export function periodYear(key: string | null): number | null {
  const m = key ? /^(\d{4})/.exec(key) : null;
  return m ? Number(m[1]) : null;
}

/** A calendar date as people in the time zone see it. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The calendar date of an instant in a time zone. */
export function localDate(date: Date, timeZone: string): LocalDate {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

/** The quarter key (2026Q4) of an instant in a time zone. */
export function quarterKey(date: Date, timeZone: string): string {
  const d = localDate(date, timeZone);
  return `${d.year}Q${Math.ceil(d.month / 3)}`;
}

/** Days from the local date of `now` to the last day of its quarter (0 on that last day). */
export function daysLeftInQuarter(now: Date, timeZone: string): number {
  const d = localDate(now, timeZone);
  const lastMonth = Math.ceil(d.month / 3) * 3;
  // Day 0 of the following month is the last day of lastMonth.
  const end = Date.UTC(d.year, lastMonth, 0);
  return Math.round((end - Date.UTC(d.year, d.month - 1, d.day)) / 86_400_000);
}
