/**
 * The requests block of the ratings report (/ratings): the monthly figures of the quarter's
 * months that have begun, so the committee reads how requests were handled beside how the
 * services were rated.
 */
import type { Services } from '../../core/services.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { monthOf, monthRange, monthsOfQuarter, monthStats } from '../../domain/requests/stats.ts';
import { statsLines } from './statsText.ts';

export async function requestsQuarterLines(services: Services, t: TFn, communityId: string, period: string): Promise<string[]> {
  const tz = services.config.LINLI_TIMEZONE;
  const now = services.clock();
  const months = monthsOfQuarter(period).filter((m) => monthRange(m, tz).from <= now || m === monthOf(now, tz));
  const lines: string[] = [];
  for (const month of months) {
    const s = await monthStats(services.db, communityId, month, tz, now);
    if (s.received) lines.push(...statsLines(t, s));
  }
  return lines.length ? ['', t('requests.ratings_title'), ...lines] : [];
}
