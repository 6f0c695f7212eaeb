/**
 * The requests part of the weekly digest: how many requests arrived and were answered this
 * week, and the month's figures so far (answered in time, mean working days, satisfaction).
 * Only numbers: a request's words never reach a group.
 */
import type { DigestContributor } from '../../core/feature.ts';
import { monthOf, monthStats } from '../../domain/requests/stats.ts';
import { statsLines } from './statsText.ts';

export const requestsDigest: DigestContributor = async (services, q) => {
  const t = services.i18n.bind(q.locale);
  const { db } = services;
  const [received, answered] = await Promise.all([
    db.residentRequest.count({ where: { communityId: q.communityId, createdAt: { gte: q.from, lt: q.to } } }),
    db.residentRequest.count({ where: { communityId: q.communityId, repliedAt: { gte: q.from, lt: q.to } } }),
  ]);
  // The month the week ended in: a Monday digest after a month's last week shows that month.
  const month = monthOf(new Date(q.to.getTime() - 1), services.config.LINLI_TIMEZONE);
  const stats = await monthStats(db, q.communityId, month, services.config.LINLI_TIMEZONE, services.clock());
  if (!received && !answered && !stats.received) return null;
  return {
    title: t('requests.digest.title'),
    lines: [t('requests.digest.week', { received, answered }), ...statsLines(t, stats), t('requests.digest.how')],
    items: received + answered,
  };
};
