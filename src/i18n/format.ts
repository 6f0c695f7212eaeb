/**
 * Locale-aware formatting of what residents read most: dates, yuan amounts, counts, shares.
 * Dates are always shown in the deployment's time zone (LINLI_TIMEZONE), not the server's.
 */

/** Formats a date and time, e.g. 2026年11月22日 09:00 / 22 Nov 2026, 09:00. */
export function formatDateTime(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: locale.startsWith('zh') ? 'long' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** Formats a calendar date, e.g. 2026年11月22日 / 22 Nov 2026. */
export function formatDate(date: Date, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: locale.startsWith('zh') ? 'long' : 'short',
    day: 'numeric',
  }).format(date);
}

/** Formats an amount given in fen as yuan, e.g. ¥12,345.50 (zh-CN and en alike use ¥). */
export function formatYuan(fen: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'CNY',
    currencyDisplay: 'symbol',
    minimumFractionDigits: fen % 100 === 0 ? 0 : 2,
    maximumFractionDigits: 2,
  })
    .format(fen / 100)
    .replace('CN¥', '¥');
}

/** Formats a count with grouping, e.g. 12,345. */
export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n);
}

/** Formats a share 0..1 as a percentage with one decimal, e.g. 66.7%. */
export function formatPercent(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}
