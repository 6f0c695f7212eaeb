/**
 * What residents discuss: a subject is `{ kind, id }` — a proposal, a poll or a meeting's agenda
 * item — resolved here to its community, its public name and whether it is still open for
 * comments. Comments, periods and statements store only the pair, so a new kind of subject needs
 * a resolver here and nothing else.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';

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
/** Agenda items open for comments (the meeting is not over). */
const OPEN_AGENDA = new Set(['scheduled', 'open', 'planned', 'pending', 'draft']);

export function isSubjectKind(value: string): value is SubjectKind {
  return (SUBJECT_KINDS as readonly string[]).includes(value);
}

/**
 * An agenda item, read through the client's `agendaItem` delegate when the meetings schema
 * provides one (id, title and communityId directly or through its meeting; status optional).
 * Until it exists every agenda item is unknown.
 */
async function agendaItem(db: Db, id: string): Promise<ResolvedSubject | null> {
  const delegate = (db as unknown as { agendaItem?: { findUnique(args: unknown): Promise<Record<string, unknown> | null> } }).agendaItem;
  if (!delegate) return null;
  let row: Record<string, unknown> | null;
  try {
    row = await delegate.findUnique({ where: { id }, include: { meeting: true } });
  } catch {
    row = await delegate.findUnique({ where: { id } });
  }
  if (!row) return null;
  const meeting = (row.meeting ?? {}) as Record<string, unknown>;
  const communityId = String(row.communityId ?? meeting.communityId ?? '');
  if (!communityId) return null;
  const status = String(meeting.status ?? row.status ?? 'scheduled');
  return { kind: 'agenda_item', id, communityId, number: null, title: String(row.title ?? row.text ?? ''), open: OPEN_AGENDA.has(status), status };
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
