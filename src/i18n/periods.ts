/**
 * How residents read a period and a week. Linli stores sortable keys (2026Q4, 2026H1, 2026-10,
 * 2026; ISO weeks), but nobody in a 居委会 says "2026Q4" or "第48周": a notice says
 * 2026年第四季度 and 11月23日—29日. This is the one place that turns the keys into words; the
 * translator registers it as the `period` and `week` formatters (`{{period, period}}`,
 * `{{week, week}}`), and code that builds a file name or a label outside a translation calls it.
 */

const ZH_QUARTERS = ['一', '二', '三', '四'];
const ZH_HALVES = ['上半年', '下半年'];

const isZh = (locale: string) => locale.startsWith('zh');

/**
 * A period key as words: 2026Q4 → 2026年第四季度 / Q4 2026, 2026H1 → 2026年上半年 / H1 2026,
 * 2026-10 → 2026年10月 / October 2026, 2026 → 2026年 / 2026. Anything else (a free label
 * such as 2026年国庆活动) is returned unchanged.
 */
export function formatPeriod(key: string, locale: string): string {
  const s = String(key ?? '').trim();
  let m = /^(\d{4})Q([1-4])$/i.exec(s);
  if (m) return isZh(locale) ? `${m[1]}年第${ZH_QUARTERS[Number(m[2]) - 1]}季度` : `Q${m[2]} ${m[1]}`;
  m = /^(\d{4})H([12])$/i.exec(s);
  if (m) return isZh(locale) ? `${m[1]}年${ZH_HALVES[Number(m[2]) - 1]}` : `H${m[2]} ${m[1]}`;
  m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    if (isZh(locale)) return `${m[1]}年${Number(m[2])}月`;
    return new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
  }
  if (/^\d{4}$/.test(s)) return isZh(locale) ? `${s}年` : s;
  return s;
}

/** The first and the last day of a week (any instants on those days, read in `timeZone`). */
export interface WeekSpan {
  from: Date;
  /** An instant on the last day (e.g. the week's end minus 1 ms). */
  last: Date;
}

function partsOf(date: Date, timeZone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day') };
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A week as dates, the way a notice writes it: 11月23日—29日, 11月30日—12月6日,
 * 2026年12月28日—2027年1月3日 (the year only when the week crosses one) / 23–29 Nov,
 * 30 Nov – 6 Dec, 28 Dec 2026 – 3 Jan 2027.
 */
export function formatWeek(span: WeekSpan, locale: string, timeZone: string): string {
  const a = partsOf(new Date(span.from), timeZone);
  const b = partsOf(new Date(span.last), timeZone);
  if (isZh(locale)) {
    if (a.year !== b.year) return `${a.year}年${a.month}月${a.day}日—${b.year}年${b.month}月${b.day}日`;
    if (a.month !== b.month) return `${a.month}月${a.day}日—${b.month}月${b.day}日`;
    return `${a.month}月${a.day}日—${b.day}日`;
  }
  if (a.year !== b.year) return `${a.day} ${EN_MONTHS[a.month - 1]} ${a.year} – ${b.day} ${EN_MONTHS[b.month - 1]} ${b.year}`;
  if (a.month !== b.month) return `${a.day} ${EN_MONTHS[a.month - 1]} – ${b.day} ${EN_MONTHS[b.month - 1]}`;
  return `${a.day}–${b.day} ${EN_MONTHS[a.month - 1]}`;
}
