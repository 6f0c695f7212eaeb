/**
 * Ratings (评议): one answer per person per target per period on the five-point scale
 * 非常满意(5) … 非常不满意(1), optional dimension scores and an optional comment. A second
 * rating in the same period replaces the first. The rater is stored only as an opaque key used
 * to keep one rating per person; reports, summaries and exports never show it.
 */
import { DomainError } from '../errors.ts';
import { isUniqueViolation, type Db } from '../../db/client.ts';
import type { Community, Rating, RatingCampaign, RatingTarget } from '../../generated/prisma/client.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { periodOf } from './periods.ts';
import { targetIn, type ActingAs } from './targets.ts';

/** The answers, best first: 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意. */
export const SCALE = [5, 4, 3, 2, 1] as const;

/** Answers at or below this count as low (不满意, 非常不满意): with a comment they alert the committee. */
export const LOW_SCORE = 2;

/** Longest comment, in characters. */
export const MAX_COMMENT = 200;

/** Dimensions used when the community configured none (stable keys; labels in ratings.json). */
export const DEFAULT_DIMENSIONS = ['attitude', 'efficiency', 'facilities', 'expertise'] as const;

/** The opaque key that keeps one rating per person per target and period. */
export function raterKeyOf(personId: string): string {
  return `p:${personId}`;
}

/** True for a valid score 1..5. */
export function isScore(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 5;
}

/**
 * The community's rating dimensions: `Community.ratingDimensions` (a JSON array of keys or free
 * labels) or the defaults. A malformed setting falls back to the defaults rather than break /rate.
 */
export function dimensionsOf(community: Pick<Community, 'ratingDimensions'>): string[] {
  if (community.ratingDimensions) {
    try {
      const parsed: unknown = JSON.parse(community.ratingDimensions);
      if (Array.isArray(parsed)) {
        const keys = [...new Set(parsed.filter((d): d is string => typeof d === 'string').map((d) => d.trim()).filter(Boolean))].slice(0, 8);
        if (keys.length) return keys;
      }
    } catch {
      // fall through to the defaults
    }
  }
  return [...DEFAULT_DIMENSIONS];
}

/** A dimension's label: a known key is translated, a free label is shown as written. */
export function dimensionLabel(t: TFn, key: string): string {
  return (DEFAULT_DIMENSIONS as readonly string[]).includes(key) ? t(`ratings.dimension.${key}`) : key;
}

/** The label of a score on the five-point scale. */
export function scoreLabel(t: TFn, score: number): string {
  return t(`ratings.score.${score}`);
}

/** Parses the stored dimension scores. */
export function parseDimensions(raw: string | null): Record<string, number> {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => isScore(e[1])));
  } catch {
    return {};
  }
}

/**
 * The period a rating of this target goes into now: the period of its open campaign, else the
 * current quarter. A campaign of that period that already closed ends rating for the period.
 */
export async function ratingPeriod(db: Db, target: Pick<RatingTarget, 'id'>, now: Date, timeZone: string): Promise<{ period: string; campaign: RatingCampaign | null }> {
  const open = await db.ratingCampaign.findFirst({ where: { targetId: target.id, status: 'open', opensAt: { lte: now }, closesAt: { gt: now } }, orderBy: { closesAt: 'asc' } });
  if (open) return { period: open.period, campaign: open };
  const period = periodOf(now, timeZone);
  const campaign = await db.ratingCampaign.findUnique({ where: { targetId_period: { targetId: target.id, period } } });
  if (campaign && (campaign.status === 'closed' || campaign.closesAt <= now)) throw new DomainError('ratings.campaign_closed', { period });
  return { period, campaign };
}

/** A person's rating of a target in a period, if any. */
export function existingRating(db: Db, targetId: string, period: string, personId: string): Promise<Rating | null> {
  return db.rating.findUnique({ where: { targetId_period_raterKey: { targetId, period, raterKey: raterKeyOf(personId) } } });
}

/** What a person answered. */
export interface RatingInput {
  communityId: string;
  targetId: string;
  overall: number;
  dimensions?: Record<string, number>;
  comment?: string | null;
}

/** The stored rating and whether it replaced an earlier one of the same period. */
export interface SubmitResult {
  rating: Rating;
  target: RatingTarget;
  period: string;
  changed: boolean;
}

/** Cleans a comment: trimmed, control characters removed; empty becomes null. */
export function cleanComment(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  // eslint-disable-next-line no-control-regex
  const cleaned = raw.normalize('NFC').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '').trim();
  return cleaned || null;
}

/**
 * Stores a rating (verified residents of the target's community only). A second rating in the
 * same period replaces the first; a changed comment goes back to the moderation queue.
 */
export async function submitRating(db: Db, actor: Actor, input: RatingInput, now: Date, timeZone: string): Promise<SubmitResult> {
  requirePermission(actor, 'rating.submit', input.communityId);
  const target = await targetIn(db, input.communityId, input.targetId);
  if (!target.active) throw new DomainError('ratings.target_inactive');
  if (!isScore(input.overall)) throw new DomainError('ratings.bad_score');
  const community = await db.community.findUniqueOrThrow({ where: { id: input.communityId } });
  const allowed = new Set(dimensionsOf(community));
  const dims: Record<string, number> = {};
  for (const [key, value] of Object.entries(input.dimensions ?? {})) {
    if (!allowed.has(key)) throw new DomainError('ratings.bad_dimension', { dimension: key.slice(0, 20) });
    if (!isScore(value)) throw new DomainError('ratings.bad_score');
    dims[key] = value;
  }
  const comment = cleanComment(input.comment);
  if (comment && [...comment].length > MAX_COMMENT) throw new DomainError('ratings.comment_too_long', { max: MAX_COMMENT, length: [...comment].length });
  const { period } = await ratingPeriod(db, target, now, timeZone);
  const raterKey = raterKeyOf(actor.personId);
  const where = { targetId_period_raterKey: { targetId: target.id, period, raterKey } };

  const write = async (): Promise<SubmitResult> => {
    const before = await db.rating.findUnique({ where });
    const keepStatus = before && comment && before.comment === comment ? before.commentStatus : null;
    const data = {
      overall: input.overall,
      dimensions: Object.keys(dims).length ? JSON.stringify(dims) : null,
      comment,
      commentStatus: keepStatus ?? (comment ? 'pending' : 'none'),
      ...(keepStatus ? {} : { reviewedById: null, reviewedAt: null }),
    };
    if (before) {
      const rating = await db.rating.update({ where, data });
      return { rating, target, period, changed: true };
    }
    const rating = await db.rating.create({ data: { targetId: target.id, period, raterKey, ...data } });
    return { rating, target, period, changed: false };
  };
  try {
    return await write();
  } catch (err) {
    // Two submissions of the same person at once: the second becomes a change of the first.
    if (!isUniqueViolation(err)) throw err;
    return write();
  }
}

/** Comments waiting for a committee member's decision, oldest first. */
export function pendingComments(db: Db, communityId: string, take = 5) {
  return db.rating.findMany({
    where: { commentStatus: 'pending', target: { communityId } },
    include: { target: true },
    orderBy: { updatedAt: 'asc' },
    take,
  });
}

/** Counts pending comments of a community. */
export function countPendingComments(db: Db, communityId: string): Promise<number> {
  return db.rating.count({ where: { commentStatus: 'pending', target: { communityId } } });
}

/** A committee member of the rating's community approves a comment for public summaries, or hides it. Audited. */
export async function reviewComment(db: Db, by: ActingAs, ratingId: string, decision: 'approved' | 'hidden', now: Date): Promise<Rating & { target: RatingTarget }> {
  const rating = await db.rating.findUnique({ where: { id: ratingId }, include: { target: true } });
  if (!rating || !rating.comment) throw new DomainError('ratings.unknown_comment');
  const communityId = rating.target.communityId;
  requirePermission(by.actor, 'rating.manage', communityId);
  return db.$transaction(async (tx) => {
    const updated = await tx.rating.update({ where: { id: rating.id }, data: { commentStatus: decision, reviewedById: by.actor.personId, reviewedAt: now }, include: { target: true } });
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: `rating.comment.${decision === 'approved' ? 'approve' : 'hide'}`, communityId, targetType: 'rating', targetId: rating.id });
    return updated;
  });
}
