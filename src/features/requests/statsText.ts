/** The monthly figures of requests as lines of text: the digest, the ratings report, /requests. */
import type { TFn } from '../../i18n/i18n.ts';
import type { MonthStats } from '../../domain/requests/stats.ts';

export function statsLines(t: TFn, s: MonthStats): string[] {
  const [year, month] = s.month.split('-').map(Number);
  const lines = [t('requests.stats.month', { year, month, received: s.received, answered: s.answered, inTime: s.answeredInTime })];
  if (s.meanDaysToAnswer !== null) lines.push(t('requests.stats.mean', { days: s.meanDaysToAnswer.toFixed(1) }));
  if (s.overdue) lines.push(t('requests.stats.overdue', { n: s.overdue }));
  lines.push(s.satisfactionRate === null ? t('requests.stats.no_ratings') : t('requests.stats.satisfaction', { share: s.satisfactionRate, rated: s.rated, satisfied: s.satisfied, basic: s.basic, dissatisfied: s.dissatisfied }));
  return lines;
}
