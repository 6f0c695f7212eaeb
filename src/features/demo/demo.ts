/**
 * The demo community for the console: on an empty database Linli sets up 巴登社区 (福田区
 * 南园街道) with the console person as a verified resident and a demo group whose notices are
 * printed in the terminal, so a newcomer can try every feature at once.
 */
import type { Db } from '../../db/client.ts';
import { createCommunity } from '../../domain/residents/communities.ts';
import type { Community } from '../../generated/prisma/client.ts';

/** The demo community's slug. */
export const DEMO_SLUG = 'badeng';
/** The console person's demo unit. */
export const DEMO_UNIT = '3栋-2单元-501';

/** Names of the demo community, in the style of the seeds (kept as data, not UI text). */
const DEMO = { slug: DEMO_SLUG, name: '巴登社区', street: '南园街道', district: '福田区' };

/**
 * Creates the demo community when the database has no community at all; returns it (or the
 * existing demo community), or null when the deployment already has real communities.
 */
/** The console's own ids for its one person and its one group. */
export interface ConsoleIds {
  userId: string;
  groupChatId: string;
}

export async function ensureDemoCommunity(db: Db, displayName: string, console: ConsoleIds): Promise<Community | null> {
  const existing = await db.community.findUnique({ where: { slug: DEMO_SLUG } });
  if (existing) return existing;
  if ((await db.community.count()) > 0) return null;
  const community = await createCommunity(db, DEMO, { actorId: null, via: 'console' });
  const household = await db.household.create({ data: { communityId: community.id, unit: DEMO_UNIT } });
  const person = await db.person.create({
    data: {
      displayName,
      activeCommunityId: community.id,
      identities: { create: { platform: 'console', platformUserId: console.userId } },
    },
  });
  await db.membership.create({ data: { personId: person.id, communityId: community.id, role: 'verified', householdId: household.id, source: 'demo' } });
  await db.chatGroup.create({
    data: { platform: 'console', chatId: console.groupChatId, title: DEMO.name, communityId: community.id, boundAt: new Date() },
  });
  return community;
}
