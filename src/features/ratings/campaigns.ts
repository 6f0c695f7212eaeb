/**
 * Campaign glue: announcing a campaign in the groups, and the job that closes due campaigns,
 * posts their public summary and tells other features (`rating.campaignClosed`).
 *
 * The job is idempotent and catches up after downtime: the summary goes out under a key per
 * campaign (posting twice is a no-op), and only the run that flips the campaign to closed emits
 * the event. Summary first, then the flip, so a crash in between loses nothing.
 */
import { audienceOf, readScope } from '../../domain/register/scope.ts';
import type { Services } from '../../core/services.ts';
import type { RatingCampaign, RatingTarget } from '../../generated/prisma/client.ts';
import { dueCampaigns, markClosed } from '../../domain/ratings/campaigns.ts';
import { dimensionsOf } from '../../domain/ratings/ratings.ts';
import { approvedComments, targetSummary } from '../../domain/ratings/reports.ts';
import { targetLabel } from '../../domain/ratings/targets.ts';
import { campaignAnnouncement, campaignClosedAnnouncement, summaryLines } from './render.ts';

/** Outbox key base of a campaign's announcement. */
export const announcementKey = (campaignId: string) => `rating-campaign:${campaignId}`;

/** Posts the campaign's announcement with its rate button to every group of the community. */
export async function announceCampaign(services: Services, campaign: RatingCampaign & { target: RatingTarget }): Promise<number> {
  const community = await services.db.community.findUniqueOrThrow({ where: { id: campaign.communityId } });
  return services.outbox.publishToCommunity(
    campaign.communityId,
    announcementKey(campaign.id),
    (locale) => campaignAnnouncement(services.i18n.bind(locale), community, campaign, campaign.target),
    // A campaign for some buildings is announced where they hear it (src/domain/register/scope.ts).
    { refType: 'ratingCampaign', refId: campaign.id, groupIds: await audienceOf(services.db, campaign.communityId, readScope(campaign.scope)) },
  );
}

/** Closes every due campaign. Returns how many this run closed. */
export async function closeDueCampaigns(services: Services, now: Date): Promise<number> {
  const { db, outbox, i18n, events } = services;
  let closed = 0;
  for (const campaign of await dueCampaigns(db, now)) {
    const community = await db.community.findUniqueOrThrow({ where: { id: campaign.communityId } });
    const keys = dimensionsOf(community);
    const summary = await targetSummary(db, campaign.targetId, campaign.period, keys);
    const comments = await approvedComments(db, campaign.targetId, campaign.period, 3);
    await outbox.publishToCommunity(
      campaign.communityId,
      `rating-campaign-closed:${campaign.id}`,
      (locale) => {
        const t = i18n.bind(locale);
        const lines = [t('ratings.public_summary_title', { target: targetLabel(t, campaign.target), period: campaign.period }), ...summaryLines(t, summary, keys)];
        if (comments.length) {
          lines.push(t('ratings.public_comments_title'));
          for (const c of comments) lines.push(t('ratings.public_comment', { comment: c.comment }));
        }
        lines.push(t('ratings.public_summary_footer'));
        return { text: lines.join('\n') };
      },
      { refType: 'ratingCampaign', refId: campaign.id },
    );
    // The announcement loses its button: pressing it would only be refused now.
    const groups = await db.chatGroup.findMany({ where: { communityId: campaign.communityId, active: true } });
    for (const group of groups) {
      const t = i18n.bind(group.locale ?? community.locale);
      await outbox.enqueueEdit(`${announcementKey(campaign.id)}:${group.platform}:${group.chatId}`, campaignClosedAnnouncement(t, community, campaign, campaign.target));
    }
    if (await markClosed(db, campaign.id, now)) {
      closed++;
      await events.emit('rating.campaignClosed', {
        communityId: campaign.communityId,
        targetId: campaign.targetId,
        proposalId: campaign.target.proposalId,
        answers: summary.answers,
        satisfactionRate: summary.rate,
      });
    }
  }
  return closed;
}
