/**
 * The figures of a community's dashboard, each from the domain function the chat uses for the
 * same figure: open polls with their current turnout (currentResult), proposals per status, this
 * quarter's satisfaction per target (targetSummary, verdict, trend), the latest disclosures and
 * the chain check (verifyChain), and how the outbox is doing for the community's groups.
 */
import type { Db } from '../../../db/client.ts';
import type { ChainCheckCache } from '../../../domain/disclosures/chainCache.ts';
import { registerProgress, type RegisterProgress } from '../../../domain/register/progress.ts';
import { can } from '../../../domain/residents/permissions.ts';
import type { Actor } from '../../../domain/residents/roles.ts';
import { currentResult, type PollResult, type PollWithOptions } from '../../../domain/polls/polls.ts';
import { REVIEW_QUEUE_STATUSES, STATUSES, type ProposalStatus } from '../../../domain/proposals/states.ts';
import { periodOf } from '../../../domain/ratings/periods.ts';
import { dimensionsOf } from '../../../domain/ratings/ratings.ts';
import { ruleOf, targetSummary, trend, verdict, type RatingSummary, type ThresholdRule, type ThresholdVerdict, type TrendPoint } from '../../../domain/ratings/reports.ts';
import { listTargets } from '../../../domain/ratings/targets.ts';
import type { Community, Disclosure, DisclosureVersion, RatingTarget } from '../../../generated/prisma/client.ts';

/** An open or scheduled poll with its turnout so far. */
export interface OpenPoll {
  poll: PollWithOptions;
  current: PollResult | null;
}

/** One rated target this quarter. */
export interface TargetFigures {
  target: RatingTarget;
  summary: RatingSummary;
  verdict: ThresholdVerdict;
  trend: TrendPoint[];
}

/** Everything the dashboard shows. */
export interface Dashboard {
  polls: OpenPoll[];
  proposals: { status: ProposalStatus; n: number }[];
  awaitingReview: number;
  period: string;
  rule: ThresholdRule;
  ratings: TargetFigures[];
  disclosures: (DisclosureVersion & { disclosure: Disclosure })[];
  chain: { links: number; problems: number };
  outbox: { pending: number; failed: number; sentToday: number; oldestPending: Date | null };
  groups: { active: number; inactive: number };
  register: { verifiedPeople: number; verifiedHouseholds: number; households: number };
  /** The register's verified share (registerProgress, as /register shows it), or null without a register or the permission. */
  registerProgress: RegisterProgress | null;
}

const withOptions = { options: { orderBy: { position: 'asc' as const } } };
/** How far back the dashboard counts sent group messages (its label names this window). */
export const SENT_WINDOW_MS = 86_400_000;

/** Reads the dashboard of a community, as the actor may see it; the chain check comes from the bot's cache. */
export async function readDashboard(db: Db, community: Community, now: Date, timeZone: string, actor: Actor, chainChecks: ChainCheckCache): Promise<Dashboard> {
  const polls = await db.poll.findMany({ where: { communityId: community.id, status: { in: ['open', 'scheduled'] } }, orderBy: { closesAt: 'asc' }, take: 10, include: withOptions });
  const open = await Promise.all(polls.map(async (poll) => ({ poll, current: poll.status === 'open' ? await currentResult(db, poll) : null })));

  const byStatus = await db.proposal.groupBy({ by: ['status'], where: { communityId: community.id, status: { not: 'draft' } }, _count: { _all: true } });
  const count = (s: string) => byStatus.find((r) => r.status === s)?._count._all ?? 0;
  const proposals = STATUSES.filter((s) => s !== 'draft').map((status) => ({ status, n: count(status) }));

  const period = periodOf(now, timeZone);
  const rule = ruleOf(community);
  const keys = dimensionsOf(community);
  const targets = await listTargets(db, community.id, { activeOnly: true });
  const ratings = await Promise.all(
    targets.map(async (target) => {
      const summary = await targetSummary(db, target.id, period, keys);
      return { target, summary, verdict: verdict(summary, rule), trend: await trend(db, target.id, period, 4) };
    }),
  );

  const disclosures = await db.disclosureVersion.findMany({ where: { communityId: community.id }, orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }], take: 5, include: { disclosure: true } });
  const report = await chainChecks.check(community.id);
  const progress = can(actor, 'register.building', community.id) ? await registerProgress(db, actor, community.id) : null;

  const outboxRows = await db.outboxMessage.groupBy({ by: ['status'], where: { communityId: community.id }, _count: { _all: true } });
  const outboxCount = (s: string) => outboxRows.find((r) => r.status === s)?._count._all ?? 0;
  const [sentToday, oldest, groups, verifiedPeople, verifiedHouseholds, households] = await Promise.all([
    db.outboxMessage.count({ where: { communityId: community.id, status: 'sent', sentAt: { gte: new Date(now.getTime() - SENT_WINDOW_MS) } } }),
    db.outboxMessage.findFirst({ where: { communityId: community.id, status: 'pending' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
    db.chatGroup.groupBy({ by: ['active'], where: { communityId: community.id }, _count: { _all: true } }),
    db.membership.count({ where: { communityId: community.id, role: 'verified' } }),
    db.membership.findMany({ where: { communityId: community.id, role: 'verified', householdId: { not: null } }, distinct: ['householdId'], select: { householdId: true } }),
    db.household.count({ where: { communityId: community.id } }),
  ]);
  return {
    polls: open,
    proposals,
    awaitingReview: REVIEW_QUEUE_STATUSES.reduce((n, s) => n + count(s), 0),
    period,
    rule,
    ratings,
    disclosures,
    chain: { links: report?.links ?? 0, problems: report?.problems.length ?? 0 },
    outbox: { pending: outboxCount('pending'), failed: outboxCount('failed'), sentToday, oldestPending: oldest?.createdAt ?? null },
    groups: { active: groups.find((g) => g.active)?._count._all ?? 0, inactive: groups.find((g) => !g.active)?._count._all ?? 0 },
    register: { verifiedPeople, verifiedHouseholds: verifiedHouseholds.length, households },
    registerProgress: progress && progress.households > 0 ? progress : null,
  };
}
