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

/** Sends the alert to every committee member of the target's community on every platform they use. */
export async function alertCommittee(services: Services, rating: Rating, target: RatingTarget): Promise<number> {
  const { db, i18n, outbox } = services;
  const community = await db.community.findUniqueOrThrow({ where: { id: target.communityId } });
  const members = await db.membership.findMany({
    where: { communityId: target.communityId, role: 'committee', person: { erasedAt: null } },
    include: { person: { include: { identities: true } } },
  });
  const commentKey = createHash('sha256').update(rating.comment ?? '').digest('hex').slice(0, 10);
  let sent = 0;
  for (const { person } of members) {
    const locale = person.locale ?? community.locale;
    const t = i18n.bind(locale);
    for (const identity of person.identities) {
      const adapter = services.adapters.get(identity.platform as never);
      if (!adapter) continue;
      const ok = await outbox.enqueue({
        key: `rating-alert:${rating.id}:${commentKey}:${identity.platform}:${identity.platformUserId}`,
        platform: identity.platform,
        chatId: adapter.privateChatId(identity.platformUserId),
        communityId: target.communityId,
        refType: 'rating',
        refId: rating.id,
        message: {
          text: t('ratings.alert', { target: targetLabel(t, target), period: rating.period, answer: scoreLabel(t, rating.overall), comment: rating.comment }),
          buttons: [[
            { label: t('ratings.approve'), action: `rt:ok:${rating.id}` },
            { label: t('ratings.hide'), action: `rt:hide:${rating.id}` },
          ]],
        },
      });
      if (ok) sent++;
    }
  }
  return sent;
}
