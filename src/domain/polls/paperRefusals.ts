/**
 * The refusal a household hears when it already voted: when, and how (online, on paper, at a
 * meeting) — the same words for a tap after a paper ballot, a paper ballot after a tap, and a
 * meeting attendee who voted before.
 */
import { DomainError } from '../errors.ts';

/** "1栋-1单元-101 已于12月1日 10:00 以纸质选票投票". */
export function alreadyVotedByHand(existing: { source: string; castAt: Date; voterKey: string }, unit?: string): DomainError {
  const how = existing.source === 'paper' || existing.source === 'inperson' ? existing.source : 'online';
  // A person's own key (residents' and council polls): the refusal speaks of them, not their household.
  const whose = unit ? 'household' : existing.voterKey.startsWith('p:') ? 'person' : 'you';
  return new DomainError(`ballots.${whose}_already_voted_${how}`, { unit: unit ?? '', when: existing.castAt });
}
