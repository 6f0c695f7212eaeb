/**
 * Reading proposals: the community's list with filters and pages, one proposal with its
 * history, a person's own, the committee's queue, and the rows of the export and the digest.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Proposal, ProposalEvent, ProposalProgress } from '../../generated/prisma/client.ts';
import { isStatus, REVIEW_QUEUE_STATUSES, type ProposalStatus } from './states.ts';

/** Proposals shown per page of /proposals. */
export const PAGE_SIZE = 8;

/** A proposal with its number of seconds. */
export type ProposalWithSeconds = Proposal & { seconds: number };

/** Filters of the list. */
export interface ListFilter {
  status?: string | null;
  category?: string | null;
  page?: number;
  pageSize?: number;
}

function withSeconds(p: Proposal & { _count: { seconds: number } }): ProposalWithSeconds {
  const { _count, ...rest } = p;
  return { ...rest, seconds: _count.seconds };
}

/** A page of a community's proposals (drafts never show), newest first. */
export async function listProposals(db: Db, communityId: string, filter: ListFilter = {}): Promise<{ items: ProposalWithSeconds[]; total: number; page: number; pages: number }> {
  const pageSize = filter.pageSize ?? PAGE_SIZE;
  const status = filter.status && filter.status !== 'draft' && isStatus(filter.status) ? filter.status : undefined;
  const where = {
    communityId,
    status: status ?? { not: 'draft' },
    ...(filter.category ? { category: filter.category } : {}),
  };
  const total = await db.proposal.count({ where });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(0, filter.page ?? 0), pages - 1);
  const rows = await db.proposal.findMany({
    where,
    orderBy: { number: 'desc' },
    skip: page * pageSize,
    take: pageSize,
    include: { _count: { select: { seconds: true } } },
  });
  return { items: rows.map(withSeconds), total, page, pages };
}

/** One proposal with everything its page shows. */
export interface ProposalDetail {
  proposal: ProposalWithSeconds;
  events: ProposalEvent[];
  progress: ProposalProgress[];
  photos: number;
  mergedInto: Pick<Proposal, 'id' | 'number' | 'title'> | null;
  mergedFrom: Pick<Proposal, 'id' | 'number' | 'title'>[];
  threshold: number;
}

/** Loads a proposal's page. */
export async function proposalDetail(db: Db, id: string): Promise<ProposalDetail> {
  const row = await db.proposal.findUnique({
    where: { id },
    include: {
      _count: { select: { seconds: true, photos: true } },
      events: { orderBy: { at: 'asc' } },
      progress: { orderBy: { at: 'asc' } },
      community: { select: { secondsThreshold: true } },
    },
  });
  if (!row || row.status === 'draft') throw new DomainError('proposals.not_found');
  const { events, progress, community, _count, ...rest } = row;
  const mergedInto = row.mergedIntoId ? await db.proposal.findUnique({ where: { id: row.mergedIntoId }, select: { id: true, number: true, title: true } }) : null;
  const mergedFrom = await db.proposal.findMany({ where: { mergedIntoId: row.id }, select: { id: true, number: true, title: true }, orderBy: { number: 'asc' } });
  return { proposal: { ...rest, seconds: _count.seconds }, events, progress, photos: _count.photos, mergedInto, mergedFrom, threshold: community.secondsThreshold };
}

/** Finds a proposal of a community by its number ("12" or "#12"). */
export async function proposalByNumber(db: Db, communityId: string, ref: string): Promise<Proposal> {
  const n = Number(ref.normalize('NFKC').replace(/^[#＃№]/, '').trim());
  const found = Number.isInteger(n) && n > 0 ? await db.proposal.findUnique({ where: { communityId_number: { communityId, number: n } } }) : null;
  if (!found || found.status === 'draft') throw new DomainError('proposals.not_found_number', { ref });
  return found;
}

/** A person's own proposals in every community, newest first. */
export async function myProposals(db: Db, personId: string, take = 20): Promise<ProposalWithSeconds[]> {
  const rows = await db.proposal.findMany({
    where: { authorId: personId, status: { not: 'draft' } },
    orderBy: { createdAt: 'desc' },
    take,
    include: { _count: { select: { seconds: true } } },
  });
  return rows.map(withSeconds);
}

/** The committee's queue: every proposal waiting for a committee move (see REVIEW_QUEUE_STATUSES). */
export async function reviewQueue(db: Db, communityId: string, take = 20): Promise<ProposalWithSeconds[]> {
  const rows = await db.proposal.findMany({
    where: { communityId, status: { in: [...REVIEW_QUEUE_STATUSES] } },
    orderBy: { number: 'asc' },
    include: { _count: { select: { seconds: true } } },
  });
  // In the order the statuses need the committee (REVIEW_QUEUE_STATUSES), oldest first within.
  const rank = (status: string) => REVIEW_QUEUE_STATUSES.indexOf(status as ProposalStatus);
  return rows.sort((a, b) => rank(a.status) - rank(b.status) || a.number - b.number).slice(0, take).map(withSeconds);
}

/** Proposals a merge can point at: alive ones of the same community. */
export async function mergeTargets(db: Db, proposal: Proposal, take = 10): Promise<Proposal[]> {
  return db.proposal.findMany({
    where: {
      communityId: proposal.communityId,
      id: { not: proposal.id },
      status: { in: ['submitted', 'under_review', 'shortlisted', 'voting', 'approved', 'in_progress'] },
    },
    orderBy: { number: 'desc' },
    take,
  });
}

/** Every proposal of a community for the export, oldest first, in batches. */
export async function* exportRows(db: Db, communityId: string, batch = 500): AsyncGenerator<ProposalWithSeconds> {
  let after = 0;
  for (;;) {
    const rows = await db.proposal.findMany({
      where: { communityId, number: { gt: after }, status: { not: 'draft' } },
      orderBy: { number: 'asc' },
      take: batch,
      include: { _count: { select: { seconds: true } } },
    });
    for (const r of rows) yield withSeconds(r);
    if (rows.length < batch) return;
    after = rows[rows.length - 1].number;
  }
}

/** What happened to proposals in a week, for the digest. */
export interface WeekSummary {
  created: ProposalWithSeconds[];
  moves: (ProposalEvent & { proposal: Pick<Proposal, 'id' | 'number' | 'title'> })[];
  /** The first proposals still collecting seconds; `waitingTotal` counts all of them. */
  waiting: ProposalWithSeconds[];
  waitingTotal: number;
  threshold: number;
}

/** New proposals, moves of the week and proposals still collecting seconds. */
export async function weekSummary(db: Db, communityId: string, from: Date, to: Date): Promise<WeekSummary> {
  const community = await db.community.findUnique({ where: { id: communityId }, select: { secondsThreshold: true } });
  const created = await db.proposal.findMany({
    where: { communityId, submittedAt: { gte: from, lt: to }, status: { not: 'draft' } },
    orderBy: { number: 'asc' },
    include: { _count: { select: { seconds: true } } },
  });
  const moves = await db.proposalEvent.findMany({
    where: { at: { gte: from, lt: to }, proposal: { communityId }, fromStatus: { notIn: ['draft'] } },
    orderBy: { at: 'asc' },
    include: { proposal: { select: { id: true, number: true, title: true } } },
  });
  const waiting = await db.proposal.findMany({
    where: { communityId, status: 'submitted' },
    orderBy: { number: 'asc' },
    take: 5,
    include: { _count: { select: { seconds: true } } },
  });
  const waitingTotal = await db.proposal.count({ where: { communityId, status: 'submitted' } });
  return { created: created.map(withSeconds), moves, waiting: waiting.map(withSeconds), waitingTotal, threshold: community?.secondsThreshold ?? 0 };
}
