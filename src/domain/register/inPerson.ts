/**
 * Verifying a neighbour in person: a 楼栋长 (or a committee member) who knows the family makes
 * a short-lived code for their household and shows it (a QR on the phone screen, or the code
 * read aloud); the neighbour redeems it on their own phone. The redemption is audited as
 * `verification.in_person` with the one who vouched as its actor (see redeemCode).
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../residents/roles.ts';
import { writeHouseholdCodes } from '../residents/verification.ts';
import { requireBuildingAccess } from './leads.ts';

/** Long enough to hand over a phone at the door, too short to be passed on. */
export const IN_PERSON_VALIDITY_MS = 30 * 60_000;

/** Makes an in-person code for a household the actor may verify for. */
export async function issueInPersonCode(db: Db, actor: Actor, via: string, householdId: string, now: Date): Promise<{ code: string; unit: string; expiresAt: Date }> {
  const household = await db.household.findUnique({ where: { id: householdId } });
  if (!household || !household.buildingId) throw new DomainError('register.unknown_household');
  await requireBuildingAccess(db, actor, 'register.verify', household.buildingId);
  if (!household.active) throw new DomainError('codes.household_inactive', { unit: household.unit });
  const expiresAt = new Date(now.getTime() + IN_PERSON_VALIDITY_MS);
  const { codes } = await db.$transaction((tx) => writeHouseholdCodes(tx, actor, via, { communityId: household.communityId, households: [household], purpose: 'in_person', expiresAt }, now));
  return { code: codes.get(household.id)!, unit: household.unit, expiresAt };
}
