/**
 * The one private reminder of a poll that closes within a day: who gets it (eligible people who
 * have not voted and have not opted out), marking the poll reminded, and the opt-out itself.
 * Participation says who has voted; no ballot is read.
 */
import { householdScopeWhere, readScope } from '../register/scope.ts';
import type { Db } from '../../db/client.ts';
import type { PollWithOptions } from './polls.ts';

/** Someone to remind, with the accounts their private chats are on. */
export interface Remindee {
  personId: string;
  locale: string | null;
  identities: { platform: string; platformUserId: string }[];
}

/** Eligible people in a poll's electorate who have not voted (a household counts as voted when a member did). */
export async function nonVoters(db: Db, poll: Pick<PollWithOptions, 'id' | 'communityId' | 'electorate' | 'scope'>): Promise<Remindee[]> {
  // Only members whose household is in a scoped poll's scope are reminded.
  const inScope = householdScopeWhere(readScope(poll.scope));
  const role = poll.electorate === 'council' ? 'council' : 'verified';
  const households = poll.electorate === 'households';
  const [members, voted] = await Promise.all([
    db.membership.findMany({
      where: { communityId: poll.communityId, role, person: { erasedAt: null, remindersOff: false }, ...(households ? { householdId: { not: null } } : {}), ...(inScope ? { household: inScope } : {}) },
      select: { personId: true, householdId: true, person: { select: { locale: true, identities: { select: { platform: true, platformUserId: true } } } } },
    }),
    db.pollParticipation.findMany({ where: { pollId: poll.id, advisory: false }, select: { voterKey: true } }),
  ]);
  const keys = new Set(voted.map((v) => v.voterKey));
  return members
    .filter((m) => !keys.has(households ? `h:${m.householdId}` : `p:${m.personId}`))
    .map((m) => ({ personId: m.personId, locale: m.person.locale, identities: m.person.identities }));
}

/** The community's name and language, for the reminder's words. */
export function reminderCommunity(db: Db, communityId: string): Promise<{ locale: string | null; name: string } | null> {
  return db.community.findUnique({ where: { id: communityId }, select: { locale: true, name: true } });
}

/** Records that a poll's reminder went out (it goes once). */
export async function markReminded(db: Db, pollId: string, now: Date): Promise<void> {
  await db.poll.update({ where: { id: pollId }, data: { remindedAt: now } });
}

/** A person's choice to receive reminders or not (the button under each reminder). */
export async function setRemindersOff(db: Db, personId: string, off: boolean): Promise<void> {
  await db.person.update({ where: { id: personId }, data: { remindersOff: off } });
}
