/**
 * The refusal a household hears when it already voted: when, and how (online, on paper, at a
 * meeting) — the same words for a tap after a paper ballot, a paper ballot after a tap, and a
 * meeting attendee who voted before.
 */
import { DomainError } from '../errors.ts';

/** "1栋-1单元-101已于12月1日 10:00以纸质选票方式投票。每户只计一票…" (每人只计一票 in per-person polls). */
export function alreadyVotedByHand(existing: { source: string; castAt: Date; voterKey: string }, unit?: string): DomainError {
  const how = existing.source === 'paper' || existing.source === 'inperson' ? existing.source : 'online';
  // Any key but a household's (p: a member, a: an invited member, x: an erased one) is a person's
  // own, in a residents' or council poll: 每人只计一票, and, named by unit (a meeting's attendee
  // list), a resident of that unit rather than the household.
  const personal = !existing.voterKey.startsWith('h:');
  const whose = unit ? (personal ? 'member' : 'household') : personal ? 'person' : 'you';
  return new DomainError(`ballots.${whose}_already_voted_${how}`, { unit: unit ?? '', when: existing.castAt });
}
