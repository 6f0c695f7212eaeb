/**
 * Rating campaigns (评议活动): a committee member asks residents to evaluate one target for the
 * current period until a closing date. While a campaign is open, ratings of its target go into
 * its period; once closed, that period takes no more ratings of the target.
 */
import { DomainError } from '../errors.ts';
import { isUniqueViolation, type Db } from '../../db/client.ts';
import type { RatingCampaign, RatingTarget } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import { requireScopeOfCommunity, serializeScope, WHOLE_COMMUNITY, type Scope } from '../register/scope.ts';
import { periodOf } from './periods.ts';
import { targetIn, type ActingAs } from './targets.ts';

/** Longest campaign, in days. */
export const MAX_CAMPAIGN_DAYS = 90;

/** Launches a campaign for the current period (committee). Audited. */
export async function launchCampaign(
  db: Db,
  by: ActingAs,
  input: { communityId: string; targetId: string; days: number; scope?: Scope },
  now: Date,
  timeZone: string,
): Promise<RatingCampaign & { target: RatingTarget }> {
  requirePermission(by.actor, 'rating.manage', input.communityId);
  const target = await targetIn(db, input.communityId, input.targetId);
  if (!target.active) throw new DomainError('ratings.target_inactive');
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_CAMPAIGN_DAYS) throw new DomainError('ratings.bad_days', { max: MAX_CAMPAIGN_DAYS });
  const scope = await requireScopeOfCommunity(db, input.communityId, input.scope ?? WHOLE_COMMUNITY);
  const period = periodOf(now, timeZone);
  const closesAt = new Date(now.getTime() + input.days * 86_400_000);
  try {
    return await db.$transaction(async (tx) => {
      const campaign = await tx.ratingCampaign.create({
        data: { communityId: input.communityId, targetId: target.id, period, opensAt: now, closesAt, createdById: by.actor.personId, scope: serializeScope(scope) },
        include: { target: true },
      });
      await recordAudit(tx, {
        actorId: by.actor.personId,
        via: by.via,
        action: 'rating.campaign.launch',
        communityId: input.communityId,
        targetType: 'ratingCampaign',
        targetId: campaign.id,
        details: { targetId: target.id, period, closesAt: closesAt.toISOString(), scope: campaign.scope ? JSON.parse(campaign.scope) : 'all' },
      });
      return campaign;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('ratings.campaign_exists', { period });
    throw err;
  }
}

/** Open campaigns whose closing time has passed (also long ago: the job catches up). */
export function dueCampaigns(db: Db, now: Date) {
  return db.ratingCampaign.findMany({ where: { status: 'open', closesAt: { lte: now } }, include: { target: true }, orderBy: { closesAt: 'asc' }, take: 100 });
}

/** Marks a campaign closed; false when another run closed it first. */
export async function markClosed(db: Db, campaignId: string, now: Date): Promise<boolean> {
  const { count } = await db.ratingCampaign.updateMany({ where: { id: campaignId, status: 'open' }, data: { status: 'closed', closedAt: now } });
  return count === 1;
}

/** A community's open campaigns. */
export function openCampaigns(db: Db, communityId: string, now: Date) {
  return db.ratingCampaign.findMany({ where: { communityId, status: 'open', closesAt: { gt: now } }, include: { target: true }, orderBy: { closesAt: 'asc' } });
}
