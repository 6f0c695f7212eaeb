/**
 * Test fixtures built through the real domain code: communities, bound groups and people with
 * roles. A verified resident is made by issuing and redeeming a real code.
 */
import type { Db } from '../../src/db/client.ts';
import { createCommunity } from '../../src/domain/residents/communities.ts';
import { resolvePerson } from '../../src/domain/residents/people.ts';
import type { Role } from '../../src/domain/residents/roles.ts';
import { issueCodes, redeemCode } from '../../src/domain/residents/verification.ts';
import type { Community, Person } from '../../src/generated/prisma/client.ts';

/** The operator actor the CLI uses. */
export const OPERATOR = { personId: 'test-operator', isAdmin: true, grants: [] };

/** Creates a community. */
export function makeCommunity(db: Db, slug = 'badeng', name = '巴登社区', createdAt = new Date('2026-01-05T00:00:00Z')): Promise<Community> {
  // A fixed date well before any test clock, so tests behave the same whatever day they run.
  return createCommunity(db, { slug, name, street: '南园街道', district: '福田区' }, { actorId: null, via: 'cli' }, createdAt);
}

/** Binds a Telegram group to a community directly (the /bind flow has its own tests). */
export async function bindTelegramGroup(db: Db, community: Community, chatId: number, title = '巴登社区居民群'): Promise<void> {
  await db.chatGroup.upsert({
    where: { platform_chatId: { platform: 'telegram', chatId: String(chatId) } },
    create: { platform: 'telegram', chatId: String(chatId), title, communityId: community.id, boundAt: new Date() },
    update: { communityId: community.id, active: true },
  });
}

/** A Telegram person (created as the router would on first contact). */
export function telegramPerson(db: Db, userId: number, name = `居民${userId}`): Promise<Person> {
  return resolvePerson(db, { platform: 'telegram', userId: String(userId), displayName: name }, []);
}

/**
 * Gives a Telegram user a role in a community by issuing and redeeming a real code. `verified`
 * needs a unit; other roles may come with one (a council member who is also a resident).
 */
export async function grantRole(db: Db, community: Community, userId: number, role: Role, unit?: string): Promise<Person> {
  const person = await telegramPerson(db, userId);
  const [code] = await issueCodes(db, OPERATOR, 'cli', {
    communityId: community.id,
    role,
    unit: unit ?? (role === 'verified' ? `${userId % 50}栋-1单元-${userId}` : null),
    count: 1,
    expiresInMs: 86_400_000,
  });
  await redeemCode(db, person, { platform: 'telegram', userId: String(userId) }, code);
  return person;
}
