/**
 * Residents' comments on a subject: who may post (verified residents of the subject's
 * community), what a comment may be (length, not the same text twice), whether it waits for
 * approval (the community's setting), moderation with a reason, and the pages residents read.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Comment } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { ActorRef } from '../polls/polls.ts';
import { cleanLine, cleanMultiline, DELIBERATION_LIMITS as L, lengthOf } from './limits.ts';
import { preModeration } from './settings.ts';
import { requireOpenSubject, requireSubject, type ResolvedSubject, type Subject } from './subjects.ts';

/** pending (awaiting approval) | published | rejected */
export type CommentStatus = 'pending' | 'published' | 'rejected';

/**
 * Checks a comment's text; throws with the limit (and the length written) when it does not fit.
 * Returns the cleaned text.
 */
export function checkCommentText(raw: string): string {
  const text = cleanMultiline(raw);
  const n = lengthOf(text);
  if (n < L.commentMin) throw new DomainError('deliberation.comment_empty', { min: L.commentMin });
  if (n > L.commentMax) throw new DomainError('deliberation.comment_too_long', { max: L.commentMax, n });
  return text;
}

/** What may comment: checks the person and the subject (for the scene before it asks). */
export async function commentableSubject(db: Db, by: ActorRef, subject: Subject): Promise<ResolvedSubject> {
  const found = await requireSubject(db, subject);
  requirePermission(by.actor, 'comment.create', found.communityId);
  if (!found.open) throw new DomainError('deliberation.subject_closed', { subject: found.title });
  return found;
}

/**
 * Posts a comment: published at once, or pending when the community pre-moderates. The same
 * text from the same person on the same subject is refused (a repeated submit), unless it was
 * rejected before.
 */
export async function postComment(db: Db, by: ActorRef, subject: Subject, raw: string, authorName: string, now: Date): Promise<Comment> {
  const found = await requireOpenSubject(db, subject);
  requirePermission(by.actor, 'comment.create', found.communityId);
  const text = checkCommentText(raw);
  const same = await db.comment.findFirst({
    where: { subjectKind: found.kind, subjectId: found.id, authorId: by.actor.personId, text, status: { in: ['pending', 'published'] } },
    select: { id: true },
  });
  if (same) throw new DomainError('deliberation.comment_repeated');
  const status: CommentStatus = (await preModeration(db, found.communityId)) ? 'pending' : 'published';
  return db.$transaction(async (tx) => {
    const comment = await tx.comment.create({
      data: { communityId: found.communityId, subjectKind: found.kind, subjectId: found.id, authorId: by.actor.personId, authorName: cleanLine(authorName).slice(0, 40) || '—', text, status, createdAt: now },
    });
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: 'comment.post', communityId: found.communityId, targetType: 'comment', targetId: comment.id, details: { subject: `${found.kind}:${found.id}`, status } });
    return comment;
  });
}

/** The outcome of a moderation. */
export interface Moderated {
  comment: Comment;
  subject: ResolvedSubject;
}

/**
 * Approves or rejects a pending comment (committee of the comment's community); a rejection
 * needs a reason, which the author is told. A comment already decided is refused (two
 * moderators tapping at once: the second learns it was done).
 */
export async function moderateComment(db: Db, by: ActorRef, commentId: string, decision: 'approve' | 'reject', rawReason: string | null, now: Date): Promise<Moderated> {
  const comment = await db.comment.findUnique({ where: { id: commentId } });
  if (!comment) throw new DomainError('deliberation.comment_unknown');
  requirePermission(by.actor, 'comment.moderate', comment.communityId);
  const reason = rawReason === null ? null : cleanLine(rawReason);
  if (decision === 'reject') {
    if (!reason || lengthOf(reason) < 2) throw new DomainError('deliberation.reject_reason_needed');
    if (lengthOf(reason) > L.moderationReasonMax) throw new DomainError('deliberation.reason_too_long', { max: L.moderationReasonMax, n: lengthOf(reason) });
  }
  const status: CommentStatus = decision === 'approve' ? 'published' : 'rejected';
  const updated = await db.$transaction(async (tx) => {
    const claimed = await tx.comment.updateMany({
      where: { id: commentId, status: 'pending' },
      data: { status, moderatorId: by.actor.personId, moderationReason: reason || null, moderatedAt: now },
    });
    if (claimed.count === 0) throw new DomainError('deliberation.already_moderated');
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: `comment.${decision}`, communityId: comment.communityId, targetType: 'comment', targetId: commentId, details: reason ? { reason } : {} });
    return tx.comment.findUniqueOrThrow({ where: { id: commentId } });
  });
  return { comment: updated, subject: await requireSubject(db, { kind: updated.subjectKind as Subject['kind'], id: updated.subjectId }) };
}

/** How many comments a subject shows (published ones). */
export function publishedCount(db: Db, subject: Subject): Promise<number> {
  return db.comment.count({ where: { subjectKind: subject.kind, subjectId: subject.id, status: 'published' } });
}

/** One page of a subject's discussion, newest first. */
export interface CommentPage {
  comments: Comment[];
  total: number;
  offset: number;
  /** Offset of the next (older) page, or null at the end. */
  older: number | null;
  /** Offset of the previous (newer) page, or null at the start. */
  newer: number | null;
}

/** A page of published comments, newest first; `offset` counts from the newest. */
export async function commentPage(db: Db, subject: Subject, offset: number, size: number = L.pageSize): Promise<CommentPage> {
  const where = { subjectKind: subject.kind, subjectId: subject.id, status: 'published' };
  const total = await db.comment.count({ where });
  const start = Math.max(0, Math.min(Math.floor(offset) || 0, Math.max(0, total - 1)));
  const comments = await db.comment.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: start, take: size });
  return { comments, total, offset: start, older: start + size < total ? start + size : null, newer: start > 0 ? Math.max(0, start - size) : null };
}

/** The person's own comments awaiting approval on a subject (they see theirs, marked). */
export function ownPending(db: Db, personId: string, subject: Subject): Promise<number> {
  return db.comment.count({ where: { subjectKind: subject.kind, subjectId: subject.id, authorId: personId, status: 'pending' } });
}

/** The oldest pending comments of the communities the actor moderates, and how many wait. */
export async function moderationQueue(db: Db, by: ActorRef, communityId: string, take: number = L.queueSize): Promise<{ comments: Comment[]; waiting: number }> {
  requirePermission(by.actor, 'comment.moderate', communityId);
  const where = { communityId, status: 'pending' };
  const [comments, waiting] = await Promise.all([db.comment.findMany({ where, orderBy: { createdAt: 'asc' }, take }), db.comment.count({ where })]);
  return { comments, waiting };
}

/** Comments published in a community within a window, per subject (digest). */
export async function weekComments(db: Db, communityId: string, from: Date, to: Date): Promise<{ subjectKind: string; subjectId: string; n: number }[]> {
  const rows = await db.comment.groupBy({
    by: ['subjectKind', 'subjectId'],
    where: { communityId, status: 'published', createdAt: { gte: from, lt: to } },
    _count: { _all: true },
  });
  return rows.map((r) => ({ subjectKind: r.subjectKind, subjectId: r.subjectId, n: r._count._all })).sort((a, b) => b.n - a.n);
}
