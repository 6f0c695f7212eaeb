/**
 * A one-line reason with a vote (Loomio-style): the voter explains their choice after casting
 * it. Named polls only — in a secret ballot a reason next to a name would tell what the voter
 * chose, so it is refused, and no reason is ever shown for one.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { voterSlot } from '../polls/voting.ts';
import type { ActorRef } from '../polls/polls.ts';
import { cleanLine, DELIBERATION_LIMITS as L, lengthOf } from './limits.ts';

/** A reason as the result shows it. */
export interface ShownReason {
  voterName: string;
  text: string;
  /** The options the voter's ballot holds, by id. */
  optionIds: string[];
}

/** Checks a reason's text; returns it cleaned. */
export function checkReasonText(raw: string): string {
  const text = cleanLine(raw);
  if (lengthOf(text) < 2) throw new DomainError('deliberation.reason_empty');
  if (lengthOf(text) > L.reasonMax) throw new DomainError('deliberation.reason_too_long', { max: L.reasonMax, n: lengthOf(text) });
  return text;
}

/** The poll, checked to take a reason from this voter: named, still open, and voted in. */
async function reasonSlot(db: Db, by: ActorRef, pollId: string, now: Date) {
  const poll = await db.poll.findUnique({ where: { id: pollId } });
  if (!poll) throw new DomainError('deliberation.subject_unknown');
  if (poll.anonymous) throw new DomainError('deliberation.reason_secret');
  if (poll.status !== 'open' || poll.closesAt <= now) throw new DomainError('deliberation.reason_closed', { number: poll.number });
  const slot = voterSlot(by.actor, poll);
  if ('ineligible' in slot) throw new DomainError(`polls.ineligible_${slot.ineligible}`);
  const voted = await db.pollParticipation.findUnique({ where: { pollId_voterKey: { pollId, voterKey: slot.voterKey } }, select: { id: true } });
  if (!voted) throw new DomainError('deliberation.reason_vote_first', { number: poll.number });
  return { poll, voterKey: slot.voterKey };
}

/** Whether the voter may add a reason now (the private confirmation offers the button then). */
export async function mayGiveReason(db: Db, by: ActorRef, pollId: string, now: Date): Promise<boolean> {
  try {
    await reasonSlot(db, by, pollId, now);
    return true;
  } catch (err) {
    if (err instanceof DomainError) return false;
    throw err;
  }
}

/** Saves (or replaces) the voter's reason. */
export async function giveReason(db: Db, by: ActorRef, pollId: string, raw: string, voterName: string, now: Date): Promise<{ number: number }> {
  const { poll, voterKey } = await reasonSlot(db, by, pollId, now);
  const text = checkReasonText(raw);
  await db.voteReason.upsert({
    where: { pollId_voterKey: { pollId, voterKey } },
    create: { pollId, voterKey, personId: by.actor.personId, voterName: cleanLine(voterName).slice(0, 40) || '—', text, createdAt: now, updatedAt: now },
    update: { text, personId: by.actor.personId, updatedAt: now },
  });
  return { number: poll.number };
}

/**
 * The reasons of a named poll with what each voter chose, for its result. Empty for a secret
 * poll whatever the table holds, and a reason whose vote was withdrawn is left out.
 */
export async function reasonsForResult(db: Db, poll: { id: string; anonymous: boolean }, take = 20): Promise<ShownReason[]> {
  if (poll.anonymous) return [];
  const reasons = await db.voteReason.findMany({ where: { pollId: poll.id }, orderBy: { createdAt: 'asc' }, take });
  if (!reasons.length) return [];
  const participations = await db.pollParticipation.findMany({
    where: { pollId: poll.id, voterKey: { in: reasons.map((r) => r.voterKey) } },
    select: { voterKey: true, ballot: { select: { choices: { select: { optionId: true } } } } },
  });
  const byKey = new Map(participations.map((p) => [p.voterKey, p.ballot?.choices.map((c) => c.optionId) ?? []]));
  return reasons.filter((r) => byKey.has(r.voterKey)).map((r) => ({ voterName: r.voterName, text: r.text, optionIds: byKey.get(r.voterKey)! }));
}
