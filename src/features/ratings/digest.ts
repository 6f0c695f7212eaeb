/**
 * The ratings section of the weekly digest: campaigns open now (with a rate button each) and
 * those that closed during the week with their satisfaction rate.
 */
import type { DigestContributor } from '../../core/feature.ts';
import { openCampaigns } from '../../domain/ratings/campaigns.ts';
import { dimensionsOf } from '../../domain/ratings/ratings.ts';
import { targetSummary } from '../../domain/ratings/reports.ts';
import { targetLabel } from '../../domain/ratings/targets.ts';
import { rateAction } from './render.ts';

/** Rate buttons at most (the digest keeps few buttons per section). */
const MAX_BUTTONS = 4;

export const ratingsDigest: DigestContributor = async (services, query) => {
  const { db, i18n } = services;
  const t = i18n.bind(query.locale);
  const open = await openCampaigns(db, query.communityId, services.clock());
  const closed = await db.ratingCampaign.findMany({
    where: { communityId: query.communityId, status: 'closed', closedAt: { gte: query.from, lt: query.to } },
    include: { target: true },
    orderBy: { closedAt: 'asc' },
  });
  if (!open.length && !closed.length) return null;
  const community = await db.community.findUniqueOrThrow({ where: { id: query.communityId } });
  const lines: string[] = [];
  for (const c of open) lines.push(t('ratings.digest_open', { target: targetLabel(t, c.target), period: c.period, when: c.closesAt }));
  for (const c of closed) {
    const s = await targetSummary(db, c.targetId, c.period, dimensionsOf(community));
    lines.push(s.answers ? t('ratings.digest_closed', { target: targetLabel(t, c.target), period: c.period, n: s.answers, share: s.rate }) : t('ratings.digest_closed_empty', { target: targetLabel(t, c.target), period: c.period }));
  }
  return {
    title: t('ratings.digest_title'),
    lines,
    buttons: open.slice(0, MAX_BUTTONS).map((c) => ({ label: t('ratings.digest_rate_button', { target: targetLabel(t, c.target) }), action: rateAction(c.targetId) })),
    items: open.length + closed.length,
  };
};
