/**
 * resolveActorIn reads the person, their roles, the group with its community and the person's
 * scene session in the chat in one query (the router's per-event read), and returns each row as
 * Prisma's own model reads return it — or leaves the group to the slower way when it is new,
 * renamed or inactive.
 */
import { describe, expect, it } from 'vitest';
import { resolveActor, resolveActorIn } from '../../../../src/domain/residents/people.ts';
import { bindTelegramGroup, makeCommunity, grantRole } from '../../../support/fixtures.ts';
import { freshDatabase } from '../../../support/harness.ts';

const GROUP = -100777;
const account = { platform: 'telegram', userId: '9101', displayName: '居民乙' };
const groupChat = { platform: 'telegram', chatId: String(GROUP), kind: 'group' as const, title: '巴登社区居民群' };

describe('resolveActorIn', () => {
  it('returns the person, roles, group, community and scene session as the model reads do', async () => {
    const { db } = await freshDatabase();
    const community = await makeCommunity(db);
    await bindTelegramGroup(db, community, GROUP);
    const person = await grantRole(db, community, 9101, 'verified');
    const expiresAt = new Date(Date.now() + 3_600_000);
    await db.sceneSession.create({ data: { personId: person.id, platform: 'telegram', chatId: String(GROUP), scene: 'propose', step: 'title', state: '{"a":1}', version: 3, expiresAt } });

    const found = await resolveActorIn(db, account, [], groupChat);
    const alone = await resolveActor(db, account, []);
    expect(found.person).toEqual(alone.person);
    expect(found.actor).toEqual(alone.actor);
    expect(found.actor.grants).toHaveLength(1);
    const group = await db.chatGroup.findUniqueOrThrow({ where: { platform_chatId: { platform: 'telegram', chatId: String(GROUP) } }, include: { community: true } });
    const { community: groupCommunity, ...groupRow } = group;
    expect(found.group).toEqual({ group: groupRow, community: groupCommunity });
    const scene = await db.sceneSession.findFirstOrThrow({ where: { personId: person.id } });
    expect(found.scene).toEqual(scene);
    expect(found.scene?.expiresAt).toBeInstanceOf(Date);

    // In the private chat: no group read, and no session there.
    const privately = await resolveActorIn(db, account, [], { platform: 'telegram', chatId: '9101', kind: 'private' });
    expect(privately.group).toBeUndefined();
    expect(privately.scene).toBeNull();
  });

  it('creates a new person (no session) and still reads a known group', async () => {
    const { db } = await freshDatabase();
    const community = await makeCommunity(db);
    await bindTelegramGroup(db, community, GROUP);
    const found = await resolveActorIn(db, account, [], groupChat);
    expect(found.person.id).toBe((await db.identity.findFirstOrThrow({ where: { platformUserId: '9101' } })).personId);
    expect(found.scene).toBeNull();
    expect(found.group?.community?.id).toBe(community.id);
  });

  it('leaves a new, renamed or inactive group to groupWithCommunity', async () => {
    const { db } = await freshDatabase();
    const community = await makeCommunity(db);
    expect((await resolveActorIn(db, account, [], groupChat)).group).toBeUndefined();
    await bindTelegramGroup(db, community, GROUP);
    expect((await resolveActorIn(db, account, [], { ...groupChat, title: '新群名' })).group).toBeUndefined();
    await db.chatGroup.updateMany({ data: { active: false } });
    expect((await resolveActorIn(db, account, [], groupChat)).group).toBeUndefined();
  });
});
