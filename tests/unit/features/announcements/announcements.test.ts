/** The announcement rules at the domain level: who may post, what is refused, idempotency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headline, type NewAnnouncement } from '../../../../src/domain/announcements/announcements.ts';
import { createAnnouncement, publishDueAnnouncements } from '../../../../src/features/announcements/publishing.ts';
import type { Actor } from '../../../../src/domain/residents/roles.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import { bindTelegramGroup, makeCommunity } from '../../../support/fixtures.ts';
import { startTestBot, testClock, type TestBot } from '../../../support/harness.ts';

describe('announcements domain', () => {
  let bot: TestBot;
  let c: Community;
  let other: Community;
  const clock = testClock('2026-11-22T02:00:00Z');
  const committee = (communityId: string): Actor => ({ personId: 'p-committee', isAdmin: false, grants: [{ communityId, role: 'committee', householdId: null }] });
  const resident = (communityId: string): Actor => ({ personId: 'p-res', isAdmin: false, grants: [{ communityId, role: 'verified', householdId: 'h' }] });
  const input = (over: Partial<NewAnnouncement> = {}): NewAnnouncement => ({ communityId: c.id, text: '停水通知', groupIds: null, pin: false, sendAt: clock(), ...over });

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    c = await makeCommunity(bot.db);
    other = await makeCommunity(bot.db, 'other', '别的社区');
    await bindTelegramGroup(bot.db, c, -8001);
    await bindTelegramGroup(bot.db, other, -8002);
  });
  afterAll(() => bot.close());

  const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { key?: string }) => e.key ?? String(e));

  it('refuses people without the committee role, also a committee member of another community', async () => {
    expect(await refusal(createAnnouncement(bot.linli.services, resident(c.id), 'test', input()))).toBe('errors.forbidden');
    expect(await refusal(createAnnouncement(bot.linli.services, committee(other.id), 'test', input()))).toBe('errors.forbidden');
  });

  it('refuses bad input: empty, too long, past, foreign or no groups, huge image', async () => {
    const s = bot.linli.services;
    const a = committee(c.id);
    expect(await refusal(createAnnouncement(s, a, 'test', input({ text: '   ' })))).toBe('announcements.empty');
    expect(await refusal(createAnnouncement(s, a, 'test', input({ text: '字'.repeat(3001) })))).toBe('announcements.too_long');
    expect(await refusal(createAnnouncement(s, a, 'test', input({ sendAt: new Date(clock().getTime() - 3_600_000) })))).toBe('announcements.time_past');
    const foreign = await bot.db.chatGroup.findFirstOrThrow({ where: { communityId: other.id } });
    expect(await refusal(createAnnouncement(s, a, 'test', input({ groupIds: [foreign.id] })))).toBe('announcements.bad_groups');
    expect(await refusal(createAnnouncement(s, a, 'test', input({ groupIds: [] })))).toBe('announcements.no_groups');
    expect(await refusal(createAnnouncement(s, a, 'test', input({ image: { data: Buffer.alloc(6 * 1024 * 1024), name: 'x.jpg' } })))).toBe('announcements.image_too_large');
    expect(await bot.db.announcement.count()).toBe(0);
    expect(await bot.db.auditEntry.count({ where: { action: 'announcement.create' } })).toBe(0);
  });

  it('publishes a scheduled announcement once however often the job runs', async () => {
    const s = bot.linli.services;
    const a = await createAnnouncement(s, committee(c.id), 'test', input({ sendAt: new Date('2026-11-23T01:00:00Z') }));
    expect(a.status).toBe('scheduled');
    expect(await publishDueAnnouncements(s, clock())).toBe(0);
    clock.set('2026-11-23T01:00:00Z');
    await Promise.all([publishDueAnnouncements(s, clock()), publishDueAnnouncements(s, clock())]);
    await publishDueAnnouncements(s, clock());
    await bot.flushOutbox();
    expect(bot.fake.messagesTo(-8001)).toHaveLength(1);
    expect(bot.fake.messagesTo(-8002)).toHaveLength(0);
    expect(await bot.db.auditEntry.count({ where: { action: 'announcement.create', targetId: a.id } })).toBe(1);
  });

  it('cuts headlines by characters, not code units', () => {
    expect(headline('\n\n第一行\n第二行')).toBe('第一行');
    expect(headline('😀'.repeat(50), 10)).toBe(`${'😀'.repeat(9)}…`);
  });
});
