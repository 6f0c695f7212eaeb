/** Shared setup of the proposals domain tests: a community, residents and a committee member. */
import type { Db } from '../../../../src/db/client.ts';
import { submitProposal, type Draft } from '../../../../src/domain/proposals/proposals.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import type { Actor, Role } from '../../../../src/domain/residents/roles.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { grantRole, telegramPerson } from '../../../support/fixtures.ts';

/** An actor for a Telegram user with a role (or none). */
export async function actorFor(db: Db, community: Community, userId: number, role?: Role): Promise<Actor> {
  const person = role ? await grantRole(db, community, userId, role) : await telegramPerson(db, userId);
  return loadActor(db, person);
}

/** A valid draft; override fields to test bad input. */
export function draft(over: Partial<Draft> = {}): Draft {
  return {
    title: '更换3栋楼道照明灯',
    category: 'facilities',
    description: '3栋1单元楼道灯坏了两个月，老人晚上上下楼很不方便，希望更换为声控节能灯。',
    location: '3栋1单元楼道',
    costYuan: 3000,
    photos: [],
    ...over,
  };
}

/** Submits a draft as the actor. */
export function submit(db: Db, actor: Actor, community: Community, now: Date, over: Partial<Draft> = {}) {
  return submitProposal(db, { actor, via: 'telegram', now }, community.id, '王阿姨', draft(over));
}
