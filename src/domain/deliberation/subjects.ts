/**
 * What residents discuss: a subject is `{ kind, id }` — a proposal, a poll or a meeting's agenda
 * item — resolved here to its community, its public name and whether it is still open for
 * comments. Comments, periods and statements store only the pair, so a new kind of subject needs
 * a resolver here and nothing else.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { agendaItemById } from '../meetings/meetings.ts';

/** The kinds of thing a comment can be about. */
export const SUBJECT_KINDS = ['proposal', 'poll', 'agenda_item'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** A commented thing. */
export interface Subject {
  kind: SubjectKind;
  id: string;
}

/** A subject as the discussion shows it. */
export interface ResolvedSubject extends Subject {
  communityId: string;
  /** The number residents know it by (#12), or null (agenda items). */
  number: number | null;
  title: string;
  /** Comments are taken (the thing is still being decided). */
  open: boolean;
  /** Polls: the status and, while scheduled, when voting opens. */
  status: string;
}

/** Proposal statuses still under discussion: from submission until the decision. */
const OPEN_PROPOSAL = new Set(['submitted', 'under_review', 'shortlisted', 'voting']);
/** Poll statuses still under discussion: the deliberation period and the vote. */
const OPEN_POLL = new Set(['scheduled', 'open']);
/** Agenda items open for comments: their meeting is still to be held. */
const OPEN_AGENDA = new Set(['scheduled']);

export function isSubjectKind(value: string): value is SubjectKind {
  return (SUBJECT_KINDS as readonly string[]).includes(value);
}

/** An agenda item of a meeting (src/domain/meetings): open for comments until its meeting is held. */
async function agendaItem(db: Db, id: string): Promise<ResolvedSubject | null> {
  const row = await agendaItemById(db, id);
  if (!row) return null;
  const status = row.meeting.status;
  return { kind: 'agenda_item', id, communityId: row.meeting.communityId, number: null, title: row.title, open: OPEN_AGENDA.has(status), status };
}

/** The subject, or null when nothing has this id. */
export async function findSubject(db: Db, subject: Subject): Promise<ResolvedSubject | null> {
  switch (subject.kind) {
    case 'proposal': {
      const p = await db.proposal.findUnique({ where: { id: subject.id }, select: { id: true, communityId: true, number: true, title: true, status: true } });
      return p && { kind: 'proposal', id: p.id, communityId: p.communityId, number: p.number, title: p.title, open: OPEN_PROPOSAL.has(p.status), status: p.status };
    }
    case 'poll': {
      const p = await db.poll.findUnique({ where: { id: subject.id }, select: { id: true, communityId: true, number: true, question: true, status: true } });
      return p && { kind: 'poll', id: p.id, communityId: p.communityId, number: p.number, title: p.question, open: OPEN_POLL.has(p.status), status: p.status };
    }
    case 'agenda_item':
      return agendaItem(db, subject.id);
    default:
      return null;
  }
}

/** The subject or a localized "no such thing". */
export async function requireSubject(db: Db, subject: Subject): Promise<ResolvedSubject> {
  const found = isSubjectKind(subject.kind) ? await findSubject(db, subject) : null;
  if (!found) throw new DomainError('deliberation.subject_unknown');
  return found;
}

/** The subject, refusing one that is decided, closed or withdrawn. */
export async function requireOpenSubject(db: Db, subject: Subject): Promise<ResolvedSubject> {
  const found = await requireSubject(db, subject);
  if (!found.open) throw new DomainError('deliberation.subject_closed', { subject: found.title });
  return found;
}
