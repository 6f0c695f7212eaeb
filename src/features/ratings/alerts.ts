/**
 * Private alerts to the committee: a low rating (不满意 / 非常不满意) that came with a comment is
 * something to follow up now, not at the end of the quarter. Sent through the outbox under a key
 * per rating and comment, so a retry never alerts twice. The rater is never named.
 */
import { createHash } from 'node:crypto';
import type { Services } from '../../core/services.ts';
import type { Rating, RatingTarget } from '../../generated/prisma/client.ts';
import { scoreLabel } from '../../domain/ratings/ratings.ts';
import { targetLabel } from '../../domain/ratings/targets.ts';
import { notifyPerson } from '../notify.ts';
import { moderationButtons } from './manage.ts';

/** Sends the alert to every committee member of the target's community on every platform they use. */
export async function alertCommittee(services: Services, rating: Rating, target: RatingTarget): Promise<number> {
  const members = await services.db.membership.findMany({
    where: { communityId: target.communityId, role: 'committee', person: { erasedAt: null } },
    include: { person: { include: { identities: true } } },
  });
  const commentKey = createHash('sha256').update(rating.comment ?? '').digest('hex').slice(0, 10);
  let sent = 0;
  for (const { person } of members) {
    sent += await notifyPerson(services, person, {
      key: `rating-alert:${rating.id}:${commentKey}`,
      communityId: target.communityId,
      refType: 'rating',
      refId: rating.id,
      message: (t) => ({
        text: t('ratings.alert', { target: targetLabel(t, target), period: rating.period, answer: scoreLabel(t, rating.overall), comment: rating.comment }),
        buttons: [moderationButtons(t, rating.id)],
      }),
    });
  }
  return sent;
}
