/**
 * Announcements end to end: a committee member walks through /announce in a private chat (text,
 * photo, groups, time, pin, preview), the groups receive it through the outbox, a scheduled one
 * goes out once when its time comes, and residents cannot announce.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community } from '../../src/generated/prisma/client.ts';
import { cancelYes } from '../../src/features/announcements/actions.ts';
import { bindTelegramGroup, grantRole, makeCommunity } from '../support/fixtures.ts';
import { buttonsOf, startTestBot, testClock, textOf, type TestBot } from '../support/harness.ts';

const committee = { id: 5001, first_name: '李主任', language_code: 'zh-hans' };
const resident = { id: 5002, first_name: '张阿姨', language_code: 'zh-hans' };
const G1 = -1005001;
const G2 = -1005002;
const G3 = -1005003;

describe('announcements end to end', () => {
  let bot: TestBot;
  let community: Community;
  const clock = testClock('2026-11-22T02:00:00Z'); // Sunday 10:00 in Shanghai

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, G1, '1栋居民群');
    await bindTelegramGroup(bot.db, community, G2, '2栋居民群');
    await bindTelegramGroup(bot.db, community, G3, 'English group');
    await bot.db.chatGroup.update({ where: { platform_chatId: { platform: 'telegram', chatId: String(G3) } }, data: { locale: 'en' } });
    await grantRole(bot.db, community, committee.id, 'committee');
    await grantRole(bot.db, community, resident.id, 'verified');
  });
  afterAll(() => bot.close());

  const press = (label: string | RegExp) => bot.press(committee, bot.last(committee.id), label);

  it('sends an announcement with a photo to all groups now, audited, each group in its language', async () => {
    await bot.say(committee, '/announce');
    expect(textOf(bot.last(committee.id))).toContain('公告正文');
    await bot.say(committee, '本周六上午9点在社区党群服务中心召开居民议事会，欢迎居民代表参加。');
    bot.fake.sendPhoto({ from: committee, content: Buffer.from('PNG-BYTES-OF-A-POSTER') });
    await bot.settle();
    await press('本社区全部群');
    await press('立即发布');
    await press('置顶');
    const preview = bot.last(committee.id);
    expect(textOf(preview)).toContain('【公告预览】');
    expect(textOf(preview)).toContain('本社区全部群（3个）');
    await press('确认发布');
    expect(textOf(bot.last(committee.id))).toContain('公告已提交发布');
    await bot.flushOutbox();
    for (const g of [G1, G2, G3]) {
      const sent = bot.fake.messagesTo(g).filter((m) => m.kind === 'send');
      expect(sent).toHaveLength(1);
      expect(sent[0].method).toBe('sendPhoto');
      expect(sent[0].file?.bytes?.toString()).toBe('PNG-BYTES-OF-A-POSTER');
    }
    expect(textOf(bot.last(G1))).toMatch(/^【巴登社区公告】\n本周六上午9点/);
    expect(textOf(bot.last(G3))).toMatch(/^Announcement from 巴登社区\n本周六/);
    const pins = bot.fake.calls.filter((c) => c.method === 'pinChatMessage');
    expect(pins).toHaveLength(3);
    const audit = await bot.db.auditEntry.findMany({ where: { action: 'announcement.create' } });
    expect(audit).toHaveLength(1);
  });

  it('schedules an announcement for chosen groups and sends it once when the time comes', async () => {
    await bot.say(committee, '/announce');
    await bot.say(committee, '明天起小区东门施工，请绕行北门。');
    await press('不配图');
    await press('指定群');
    await press(/2栋居民群/);
    expect(buttonsOf(bot.last(committee.id))).toContain('☑ 2栋居民群');
    await press('完成选择');
    await press('定时发布');
    await bot.say(committee, '昨天 9:00');
    expect(textOf(bot.fake.messagesTo(committee.id).at(-2)!)).toContain('没能识别');
    await bot.say(committee, '09:00');
    expect(textOf(bot.fake.messagesTo(committee.id).at(-2)!)).toContain('已经过去');
    await bot.say(committee, '明天 9:00');
    await press('不置顶');
    expect(textOf(bot.last(committee.id))).toContain('2栋居民群（1个）');
    await press('确认发布');
    expect(textOf(bot.last(committee.id))).toContain('将于');
    const before = bot.fake.messagesTo(G2).length;
    await bot.linli.scheduler.run('announcements-scheduled');
    await bot.flushOutbox();
    expect(bot.fake.messagesTo(G2)).toHaveLength(before);

    clock.set('2026-11-23T01:00:30Z'); // Monday 09:00:30 Shanghai
    await bot.linli.scheduler.run('announcements-scheduled');
    await bot.linli.scheduler.run('announcements-scheduled');
    await bot.flushOutbox();
    expect(bot.fake.messagesTo(G2).map(textOf).filter((t) => t.includes('东门施工'))).toHaveLength(1);
    expect(bot.fake.messagesTo(G1).map(textOf).filter((t) => t.includes('东门施工'))).toHaveLength(0);
    const a = await bot.db.announcement.findFirst({ where: { text: { contains: '东门' } } });
    expect(a).toMatchObject({ status: 'sent', pin: false });
  });

  it('lists recent announcements; residents see sent ones only', async () => {
    await bot.say(committee, '/announcements');
    expect(textOf(bot.last(committee.id))).toContain('本周六上午9点');
    await bot.say(resident, '/announcements');
    expect(textOf(bot.last(resident.id))).toContain('【巴登社区近期公告】');
  });

  it('refuses /announce to a resident and does not post anything', async () => {
    const count = bot.fake.sent.length;
    await bot.say(resident, '/announce');
    expect(textOf(bot.last(resident.id))).toMatch(/权限|居委会/);
    expect(bot.fake.sent.length).toBe(count + 1);
    expect(await bot.db.sceneSession.count({ where: { scene: 'announce' } })).toBe(0);
  });

  it('re-asks for an empty text and lets the member go back from the preview', async () => {
    await bot.say(committee, '/announce');
    await bot.say(committee, 'x');
    expect(textOf(bot.fake.messagesTo(committee.id).at(-2)!)).toMatch(/至少|2/);
    await bot.say(committee, '测试公告内容');
    await press('不配图');
    await press('本社区全部群');
    await press('立即发布');
    await press('不置顶');
    await press('返回修改');
    expect(textOf(bot.last(committee.id))).toContain('公告正文');
    await bot.say(committee, '/cancel');
    expect(await bot.db.announcement.count({ where: { text: '测试公告内容' } })).toBe(0);
  });
  it('lets a committee member withdraw a scheduled announcement before it goes out; residents cannot', async () => {
    const { createAnnouncement } = await import('../../src/features/announcements/publishing.ts');
    const { loadActor } = await import('../../src/domain/residents/people.ts');
    const person = await bot.db.person.findFirstOrThrow({ where: { identities: { some: { platformUserId: String(committee.id) } } } });
    const sendAt = new Date(clock().getTime() + 2 * 86_400_000);
    const a = await createAnnouncement(bot.linli.services, await loadActor(bot.db, person), 'test', { communityId: community.id, text: '下周二停电检修通知', pin: false, sendAt, groupIds: null });
    await bot.say(committee, '/announcements');
    const list = bot.last(committee.id);
    expect(buttonsOf(list)).toContain('撤销：下周二停电检修通知');
    // A resident forging the confirmation is refused and nothing changes.
    bot.fake.pressButton({ from: resident, messageId: 1, data: cancelYes.pack({ announcement: a.id }), force: true });
    await bot.settle();
    expect(String(bot.fake.callbackAnswers.at(-1)?.text ?? '')).toContain('权限');
    expect((await bot.db.announcement.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('scheduled');
    await bot.press(committee, list, '撤销：下周二停电检修通知');
    expect(textOf(bot.last(committee.id))).toContain('确定撤销');
    await bot.press(committee, bot.last(committee.id), '确定撤销');
    expect(textOf(bot.last(committee.id))).toContain('已撤销公告');
    expect((await bot.db.announcement.findUniqueOrThrow({ where: { id: a.id } })).status).toBe('cancelled');
    expect(await bot.db.auditEntry.count({ where: { action: 'announcement.cancel', targetId: a.id } })).toBe(1);
    // Its time comes: nothing is sent.
    clock.set(new Date(sendAt.getTime() + 60_000));
    await bot.linli.scheduler.run('announcements-scheduled');
    await bot.flushOutbox();
    for (const g of [G1, G2, G3]) expect(bot.fake.messagesTo(g).some((m) => textOf(m).includes('停电检修'))).toBe(false);
  });
});
