/**
 * Rating periods. A person rates a target once per period; the period is a calendar quarter
 * ("2026Q4") in the deployment's time zone, so a rating at 23:30 on 31 December in Shanghai
 * belongs to Q4 even though it is already January in UTC+14 and still December in UTC.
 */
import { DomainError } from '../errors.ts';

/** A period such as 2026Q4. */
export const PERIOD_PATTERN = /^(\d{4})Q([1-4])$/;

/** The quarter a moment falls in, in the given IANA time zone. */
export function periodOf(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric' }).formatToParts(at);
  const year = Number(parts.find((p) => p.type === 'year')!.value);
  const month = Number(parts.find((p) => p.type === 'month')!.value);
  return `${year}Q${Math.floor((month - 1) / 3) + 1}`;
}

const ZH_QUARTER: Record<string, string> = { 一: '1', 二: '2', 三: '3', 四: '4', '1': '1', '2': '2', '3': '3', '4': '4' };

/**
 * Reads a period typed by a person: the key ("2026q4", "2026 Q4") or the words residents see
 * (2026年第四季度, 2026年四季度, 2026年第4季度, Q4 2026); throws a localized refusal otherwise.
 */
export function parsePeriod(raw: string): string {
  const cleaned = raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
  const words = /^(\d{4})年第?([一二三四1-4])季度?$/.exec(cleaned);
  if (words) return `${words[1]}Q${ZH_QUARTER[words[2]]}`;
  const english = /^Q([1-4])(\d{4})$/.exec(cleaned);
  if (english) return `${english[2]}Q${english[1]}`;
  if (!PERIOD_PATTERN.test(cleaned)) throw new DomainError('ratings.bad_period', { period: raw.slice(0, 20) });
  return cleaned;
}

/** The period before the given one (2026Q1 → 2025Q4). */
export function previousPeriod(period: string): string {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) throw new Error(`not a period: ${period}`);
  const year = Number(m[1]);
  const q = Number(m[2]);
  return q === 1 ? `${year - 1}Q4` : `${year}Q${q - 1}`;
}

/** `count` periods ending with `last`, oldest first (the x axis of a trend). */
export function periodsUpTo(last: string, count: number): string[] {
  const out = [last];
  while (out.length < count) out.unshift(previousPeriod(out[0]));
  return out;
}
