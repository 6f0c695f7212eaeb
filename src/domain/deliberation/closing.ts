/**
 * The committee's closing statement on a subject (Loomio's outcome): what was decided and why,
 * in the committee's words, published with the result and kept in the digest. One per subject;
 * it is a public record, so it is not edited afterwards.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/client.ts';
import type { ClosingStatement } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { ActorRef } from '../polls/polls.ts';
import { cleanMultiline, DELIBERATION_LIMITS as L, lengthOf } from './limits.ts';
import { requireSubject, type ResolvedSubject, type Subject } from './subjects.ts';

/** Checks a statement's text; returns it cleaned. */
export function checkStatementText(raw: string): string {
  const text = cleanMultiline(raw);
  if (lengthOf(text) < 2) throw new DomainError('deliberation.statement_empty');
  if (lengthOf(text) > L.statementMax) throw new DomainError('deliberation.statement_too_long', { max: L.statementMax, n: lengthOf(text) });
  return text;
}

/** The subject, checked for a statement by this committee member. */
export async function statementSubject(db: Db, by: ActorRef, subject: Subject): Promise<ResolvedSubject> {
  const found = await requireSubject(db, subject);
  requirePermission(by.actor, 'deliberation.manage', found.communityId);
  if (found.kind === 'poll' && found.status === 'cancelled') throw new DomainError('deliberation.subject_closed', { subject: found.title });
  if (await statementOf(db, found)) throw new DomainError('deliberation.statement_exists');
  return found;
}

/** Posts the statement (committee); refused when the subject has one already. */
export async function postStatement(db: Db, by: ActorRef, subject: Subject, raw: string, now: Date): Promise<{ statement: ClosingStatement; subject: ResolvedSubject }> {
  const found = await statementSubject(db, by, subject);
  const text = checkStatementText(raw);
  try {
    const statement = await db.$transaction(async (tx) => {
      const row = await tx.closingStatement.create({ data: { communityId: found.communityId, subjectKind: found.kind, subjectId: found.id, text, authorId: by.actor.personId, createdAt: now } });
      await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: 'deliberation.statement', communityId: found.communityId, targetType: found.kind, targetId: found.id, details: { length: lengthOf(text) } });
      return row;
    });
    return { statement, subject: found };
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError('deliberation.statement_exists');
    throw err;
  }
}

/** The statement of a subject, if posted. */
export function statementOf(db: Db, subject: Subject): Promise<ClosingStatement | null> {
  return db.closingStatement.findUnique({ where: { subjectKind_subjectId: { subjectKind: subject.kind, subjectId: subject.id } } });
}

/** Statements posted in a community within a window (digest). */
export function weekStatements(db: Db, communityId: string, from: Date, to: Date): Promise<ClosingStatement[]> {
  return db.closingStatement.findMany({ where: { communityId, createdAt: { gte: from, lt: to } }, orderBy: { createdAt: 'asc' }, take: 10 });
}
