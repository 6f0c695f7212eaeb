/**
 * What residents and the committee do with proposals: submit, second (附议), take into review,
 * shortlist, reject, merge, set a budget and an implementer, report progress, complete. Each
 * function checks permissions itself (a button is only an offer) and returns what changed, so
 * the chat layer can publish and notify after the transaction committed.
 */
import { DomainError, isDomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/client.ts';
import type { Proposal } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { move, withProposal, TX_OPTIONS, type MoveBy, type MoveResult, type Tx } from './lifecycle.ts';
import {
  cleanText,
  communityCategories,
  costToFen,
  DUPLICATE_TITLE_WINDOW_MS,
  MAX_DESCRIPTION,
  MAX_IMPLEMENTER,
  MAX_LOCATION,
  MAX_PHOTOS,
  MAX_REASON,
  MAX_TITLE,
  MIN_DESCRIPTION,
  MIN_TITLE,
  titleKey,
} from './rules.ts';
import { FINAL_STATUSES, SECONDABLE_STATUSES, type ProposalStatus } from './states.ts';

/** A person acting through a platform. */
export interface Acting {
  actor: Actor;
  via: string;
  now: Date;
}

const person = (a: Acting): MoveBy => ({ kind: 'person', actor: a.actor, via: a.via });

/** A photo attached to a draft, by platform reference. */
export interface DraftPhoto {
  platform: string;
  fileRef: string;
  kind: 'photo' | 'document';
}

/** What the /propose scene collected. */
export interface Draft {
  title: string;
  category: string;
  description: string;
  location: string;
  /** Estimated cost in yuan (as typed), or null. */
  costYuan: number | null;
  photos: DraftPhoto[];
}

/** The voter key of a person: one second per person and proposal, kept after /forgetme. */
export function voterKey(personId: string): string {
  return `p:${personId}`;
}

/**
 * Refuses a title the same person already used within a day in this community (a double tap
 * on "confirm" or the same idea sent twice).
 */
export async function assertNoRecentDuplicate(db: Db | Tx, communityId: string, authorId: string, title: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - DUPLICATE_TITLE_WINDOW_MS);
  const recent = await db.proposal.findMany({
    where: { communityId, authorId, createdAt: { gte: since } },
    select: { title: true, number: true },
  });
  const key = titleKey(title);
  const same = recent.find((p) => titleKey(p.title) === key);
  if (same) throw new DomainError('proposals.duplicate_title', { number: same.number });
}

/** Validates a draft against the community's rules; returns the cleaned fields. */
export function validateDraft(community: { proposalCategories: string | null; proposalCostCapFen: number }, draft: Draft) {
  const title = cleanText(draft.title, 'title', MIN_TITLE, MAX_TITLE);
  const description = cleanText(draft.description, 'description', MIN_DESCRIPTION, MAX_DESCRIPTION);
  const location = cleanText(draft.location, 'location', 2, MAX_LOCATION);
  if (!communityCategories(community).includes(draft.category)) throw new DomainError('proposals.unknown_category');
  const costFen = draft.costYuan === null || draft.costYuan === undefined ? null : costToFen(draft.costYuan, community.proposalCostCapFen);
  if (draft.photos.length > MAX_PHOTOS) throw new DomainError('proposals.too_many_photos', { max: MAX_PHOTOS });
  return { title, description, location, category: draft.category, costFen };
}

/** What a submission did. */
export interface Submitted {
  proposal: Proposal;
  /** Set when the community needs no seconds: the proposal went straight to review. */
  review: MoveResult | null;
}

/** Submits a proposal (draft → submitted). The author must be a verified resident. */
export async function submitProposal(db: Db, acting: Acting, communityId: string, authorName: string, draft: Draft): Promise<Submitted> {
  requirePermission(acting.actor, 'proposal.create', communityId);
  const community = await db.community.findUnique({ where: { id: communityId } });
  if (!community) throw new DomainError('errors.no_community');
  const fields = validateDraft(community, draft);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        await assertNoRecentDuplicate(tx, communityId, acting.actor.personId, fields.title, acting.now);
        const last = await tx.proposal.findFirst({ where: { communityId }, orderBy: { number: 'desc' }, select: { number: true } });
        const draftRow = await tx.proposal.create({
          data: {
            communityId,
            number: (last?.number ?? 0) + 1,
            authorId: acting.actor.personId,
            authorName,
            ...fields,
            status: 'draft',
            createdAt: acting.now,
            photos: { create: draft.photos.map((p) => ({ platform: p.platform, fileRef: p.fileRef, kind: p.kind, createdAt: acting.now })) },
          },
        });
        const submitted = await move(tx, draftRow, 'submitted', person(acting), { now: acting.now, data: { submittedAt: acting.now } });
        let review: MoveResult | null = null;
        if (community.secondsThreshold <= 0) {
          review = await move(tx, submitted.proposal, 'under_review', { kind: 'system', mover: 'system:seconds' }, { now: acting.now, details: { seconds: 0 } });
        }
        return { proposal: review?.proposal ?? submitted.proposal, review };
      }, TX_OPTIONS);
    } catch (err) {
      // Two proposals of one community numbered at the same moment: take the next number.
      if (isUniqueViolation(err) && attempt < 5) continue;
      throw err;
    }
  }
}

/** What a second did. */
export interface Seconded {
  proposal: Proposal;
  seconds: number;
  threshold: number;
  /** Set when this second reached the threshold and moved the proposal to review. */
  review: MoveResult | null;
}

/**
 * Seconds (附议) a proposal: verified residents of its community, once each, not their own,
 * only while it is open for seconds. Reaching the threshold moves it to review in the same
 * transaction, so exactly one second makes that move however many arrive at once.
 */
export async function secondProposal(db: Db, acting: Acting, proposalId: string): Promise<Seconded> {
  try {
    return await withProposal(db, proposalId, async (tx, proposal) => {
      requirePermission(acting.actor, 'proposal.second', proposal.communityId);
      if (proposal.authorId === acting.actor.personId) throw new DomainError('proposals.second_own');
      if (!SECONDABLE_STATUSES.has(proposal.status as ProposalStatus)) {
        throw new DomainError('proposals.second_closed', { status: proposal.status });
      }
      await tx.proposalSecond.create({ data: { proposalId, personId: acting.actor.personId, voterKey: voterKey(acting.actor.personId), createdAt: acting.now } });
      const seconds = await tx.proposalSecond.count({ where: { proposalId } });
      const community = await tx.community.findUniqueOrThrow({ where: { id: proposal.communityId } });
      let review: MoveResult | null = null;
      if (proposal.status === 'submitted' && seconds >= community.secondsThreshold) {
        review = await move(tx, proposal, 'under_review', { kind: 'system', mover: 'system:seconds', via: acting.via }, { now: acting.now, details: { seconds } });
      }
      return { proposal: review?.proposal ?? proposal, seconds, threshold: community.secondsThreshold, review };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('proposals.already_seconded');
    throw err;
  }
}

/**
 * Runs a committee deliberation move. A refusal because the member wrote the proposal (回避) is
 * audited after the refused transaction rolled back, so the attempt stays on record.
 */
async function deliberation(db: Db, acting: Acting, proposalId: string, to: ProposalStatus, run: () => Promise<MoveResult>): Promise<MoveResult> {
  try {
    return await run();
  } catch (err) {
    if (isDomainError(err) && err.key === 'proposals.recused') {
      const p = await db.proposal.findUnique({ where: { id: proposalId }, select: { communityId: true, number: true } });
      await recordAudit(db, {
        actorId: acting.actor.personId,
        via: acting.via,
        action: 'proposal.recused',
        communityId: p?.communityId ?? null,
        targetType: 'proposal',
        targetId: proposalId,
        details: { number: p?.number, attempted: to },
      });
    }
    throw err;
  }
}

/** The committee takes a proposal into review before it has all its seconds. */
export function startReview(db: Db, acting: Acting, proposalId: string): Promise<MoveResult> {
  return deliberation(db, acting, proposalId, 'under_review', () => withProposal(db, proposalId, (tx, p) => move(tx, p, 'under_review', person(acting), { now: acting.now })));
}

/** The committees put a proposal on the shortlist for the residents' decision. */
export function shortlistProposal(db: Db, acting: Acting, proposalId: string, note?: string): Promise<MoveResult> {
  const reason = note ? cleanText(note, 'reason', 1, MAX_REASON) : null;
  return deliberation(db, acting, proposalId, 'shortlisted', () =>
    withProposal(db, proposalId, (tx, p) => move(tx, p, 'shortlisted', person(acting), { now: acting.now, reason, data: { decidedAt: acting.now } })),
  );
}

/** The committees reject a proposal with a public reason. */
export function rejectProposal(db: Db, acting: Acting, proposalId: string, reason: string): Promise<MoveResult> {
  const clean = reason?.trim() ? cleanText(reason, 'reason', 2, MAX_REASON) : '';
  return deliberation(db, acting, proposalId, 'rejected', () =>
    withProposal(db, proposalId, (tx, p) => move(tx, p, 'rejected', person(acting), { now: acting.now, reason: clean, data: { decidedAt: acting.now } })),
  );
}

/** Merges a proposal into another one of the same community (duplicates of one idea). */
export function mergeProposal(db: Db, acting: Acting, proposalId: string, targetId: string): Promise<MoveResult> {
  return deliberation(db, acting, proposalId, 'merged', () => mergeInto(db, acting, proposalId, targetId));
}

function mergeInto(db: Db, acting: Acting, proposalId: string, targetId: string): Promise<MoveResult> {
  return withProposal(db, proposalId, async (tx, p) => {
    if (targetId === p.id) throw new DomainError('proposals.merge_self');
    const target = await tx.proposal.findUnique({ where: { id: targetId } });
    if (!target || target.communityId !== p.communityId) throw new DomainError('proposals.not_found');
    if (FINAL_STATUSES.has(target.status as ProposalStatus) || target.status === 'draft') {
      throw new DomainError('proposals.merge_target_closed', { number: target.number, status: target.status });
    }
    return move(tx, p, 'merged', person(acting), {
      now: acting.now,
      data: { mergedIntoId: target.id, decidedAt: acting.now },
      details: { into: target.id, intoNumber: target.number },
    });
  });
}

/** Sets the approved budget and the implementer of an approved project. */
export async function setBudget(db: Db, acting: Acting, proposalId: string, budgetYuan: number, implementer: string): Promise<Proposal> {
  const name = cleanText(implementer, 'implementer', 2, MAX_IMPLEMENTER);
  return withProposal(db, proposalId, async (tx, p) => {
    requirePermission(acting.actor, 'proposal.review', p.communityId);
    if (p.status !== 'approved' && p.status !== 'in_progress') throw new DomainError('proposals.budget_wrong_status', { status: p.status });
    const community = await tx.community.findUniqueOrThrow({ where: { id: p.communityId } });
    if (!Number.isFinite(budgetYuan) || Math.round(budgetYuan * 100) <= 0) throw new DomainError('proposals.cost_not_positive');
    if (Math.round(budgetYuan * 100) > community.proposalCostCapFen) throw new DomainError('proposals.budget_over_cap', { fen: community.proposalCostCapFen });
    const fen = costToFen(budgetYuan, community.proposalCostCapFen);
    const updated = await tx.proposal.update({ where: { id: p.id }, data: { approvedBudgetFen: fen, implementer: name } });
    await recordAudit(tx, {
      actorId: acting.actor.personId,
      via: acting.via,
      action: 'proposal.budget',
      communityId: p.communityId,
      targetType: 'proposal',
      targetId: p.id,
      details: { number: p.number, budgetFen: fen, implementer: name, previousFen: p.approvedBudgetFen },
    });
    return updated;
  });
}

/** What a progress report did. */
export interface ProgressPosted {
  proposal: Proposal;
  /** Set when the first report started the project (approved → in_progress). */
  started: MoveResult | null;
}

/** Reports progress (percent, a note, an optional photo); the first report starts the project. */
export async function postProgress(
  db: Db,
  acting: Acting,
  proposalId: string,
  input: { percent: number; note: string; photo?: { platform: string; fileRef: string } | null },
): Promise<ProgressPosted> {
  if (!Number.isInteger(input.percent) || input.percent < 0 || input.percent > 100) throw new DomainError('proposals.bad_percent');
  const note = cleanText(input.note, 'note', 2, MAX_REASON);
  return withProposal(db, proposalId, async (tx, p) => {
    requirePermission(acting.actor, 'proposal.review', p.communityId);
    let started: MoveResult | null = null;
    let current = p;
    if (p.status === 'approved') {
      started = await move(tx, p, 'in_progress', person(acting), { now: acting.now });
      current = started.proposal;
    } else if (p.status !== 'in_progress') {
      throw new DomainError('proposals.progress_wrong_status', { status: p.status });
    }
    if (input.percent < current.progressPercent) throw new DomainError('proposals.progress_backwards', { current: current.progressPercent });
    await tx.proposalProgress.create({
      data: { proposalId, percent: input.percent, note, photoRef: input.photo?.fileRef ?? null, photoPlatform: input.photo?.platform ?? null, actorId: acting.actor.personId, at: acting.now },
    });
    const proposal = await tx.proposal.update({ where: { id: proposalId }, data: { progressPercent: input.percent } });
    await recordAudit(tx, {
      actorId: acting.actor.personId,
      via: acting.via,
      action: 'proposal.progress',
      communityId: p.communityId,
      targetType: 'proposal',
      targetId: p.id,
      details: { number: p.number, percent: input.percent, photo: Boolean(input.photo) },
    });
    return { proposal, started };
  });
}

/** Marks a project completed (in_progress → completed). */
export function completeProposal(db: Db, acting: Acting, proposalId: string, note?: string): Promise<MoveResult> {
  const reason = note ? cleanText(note, 'note', 1, MAX_REASON) : null;
  return withProposal(db, proposalId, (tx, p) =>
    move(tx, p, 'completed', person(acting), { now: acting.now, reason, data: { completedAt: acting.now, progressPercent: 100 } }),
  );
}
