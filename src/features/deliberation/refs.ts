/**
 * Subjects in text: the scene argument a deep link carries (`p-<id>`, `v-<id>`, `a-<id>`:
 * letters, digits and dashes only, as Telegram's start payloads allow) and what a person types
 * after /discuss or /outcome ("投票 3", "提案 12", "poll 3").
 */
import type { Db } from '../../db/client.ts';
import type { Subject, SubjectKind } from '../../domain/deliberation/subjects.ts';

const CODE: Record<SubjectKind, string> = { proposal: 'p', poll: 'v', agenda_item: 'a' };
const KIND: Record<string, SubjectKind> = { p: 'proposal', v: 'poll', a: 'agenda_item' };

/** The scene argument of a subject. */
export function subjectArg(s: Subject): string {
  return `${CODE[s.kind]}-${s.id}`;
}

/** A subject from a scene argument, or null. */
export function parseSubjectArg(arg: string): Subject | null {
  const m = /^([pva])-([A-Za-z0-9_-]{1,40})$/.exec(arg.trim());
  return m ? { kind: KIND[m[1]], id: m[2] } : null;
}

/** A typed reference: kind word and number ("投票 3", "提议#12", "poll 3"), or an argument. */
export async function parseTypedSubject(db: Db, communityId: string, text: string): Promise<Subject | null> {
  const arg = parseSubjectArg(text);
  if (arg) return arg;
  const m = /^(投票|表决|poll|vote|提案|提议|微实事|proposal)\s*[#＃第]?\s*(\d{1,6})\s*号?$/i.exec(text.normalize('NFKC').trim());
  if (!m) return null;
  const number = Number(m[2]);
  if (/^(投票|表决|poll|vote)$/i.test(m[1])) {
    const poll = await db.poll.findUnique({ where: { communityId_number: { communityId, number } }, select: { id: true } });
    return poll && { kind: 'poll', id: poll.id };
  }
  const proposal = await db.proposal.findUnique({ where: { communityId_number: { communityId, number } }, select: { id: true } });
  return proposal && { kind: 'proposal', id: proposal.id };
}
