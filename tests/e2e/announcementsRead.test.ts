/**
 * Announcements open in full from /announcements: the list shows first lines, and a button per
 * announcement sends the whole text — contacts, phone numbers, a long first line — privately,
 * also when pressed under the list in a group (which is not flooded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community } from '../../src/generated/prisma/client.ts';
import { bindTelegramGroup, grantRole, makeCommunity } from '../support/fixtures.ts';
import { buttonsOf, startTestBot, testClock, textOf, type TestBot } from '../support/harness.ts';

const GROUP = { id: -100888, type: 'supergroup' as const, title: '巴登社区居民群' };
const resident = { id: 4601, first_name: '李阿姨', language_code: 'zh-hans' };
const LONG_FIRST = '关于2026年12月5日（星期六）上午9时至11时在社区党群服务中心二楼多功能厅开展冬季免费义诊活动的通知';
const NOTICE = [LONG_FIRST, '参加对象：本社区60岁以上老人', '联系人：王主任，电话 0755-8888 0000，手机 138 0000 1234', '地址：南园街道巴登社区居委会一楼'].join('\n');

describe('announcements in full', () => {
  let bot: TestBot;
  let community: Community;

  beforeAll(async () => {
    bot = await startTestBot({ clock: testClock('2026-12-01T02:00:00Z') });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP.id);
    await grantRole(bot.db, community, resident.id, 'verified');
    await bot.db.announcement.create({ data: { communityId: community.id, text: NOTICE, sendAt: new Date('2026-11-30T01:00:00Z'), status: 'sent' } });
    await bot.db.announcement.create({ data: { communityId: community.id, text: '停水通知\n12月3日8时至12时停水，咨询电话 0755-1234 5678', sendAt: new Date('2026-11-29T01:00:00Z'), status: 'sent' } });
    await bot.db.announcement.create({ data: { communityId: community.id, text: '尚未发布的公告', sendAt: new Date('2026-12-09T01:00:00Z'), status: 'scheduled' } });
  });
  afterAll(() => bot.close());

  it('lists first lines with a read button each, and opens one in full in the private chat', async () => {
    await bot.say(resident, '/announcements');
    const list = bot.last(resident.id);
    expect(textOf(list)).not.toContain('0755-8888 0000');
    expect(textOf(list)).not.toContain('尚未发布的公告');
    expect(buttonsOf(list)).toHaveLength(2);
    await bot.press(resident, list, /^全文：关于2026年12月5日/);
    const full = textOf(bot.last(resident.id));
    expect(full).toContain(LONG_FIRST);
    expect(full).toContain('联系人：王主任，电话 0755-8888 0000，手机 138 0000 1234');
    expect(full).toContain('地址：南园街道巴登社区居委会一楼');
    expect(full).toMatch(/^【社区公告】2026年11月30日 09:00发布/);
  });

  it('sends the full text privately when the button is pressed under the list in a group', async () => {
    await bot.say(resident, '/announcements', GROUP);
    const list = bot.last(GROUP.id);
    const inGroup = bot.fake.messagesTo(GROUP.id).length;
    await bot.press(resident, list, /^全文：停水通知/);
    expect(textOf(bot.last(resident.id))).toContain('咨询电话 0755-1234 5678');
    expect(bot.fake.messagesTo(GROUP.id)).toHaveLength(inGroup);
  });

  it('does not open an announcement the person may not see (a scheduled one, forged button)', async () => {
    const scheduled = await bot.db.announcement.findFirstOrThrow({ where: { status: 'scheduled' } });
    const { readAnnouncement } = await import('../../src/features/announcements/actions.ts');
    const before = bot.fake.messagesTo(resident.id).length;
    bot.fake.pressButton({ from: resident, messageId: 1, data: readAnnouncement.pack({ announcement: scheduled.id }), force: true });
    await bot.settle();
    expect(bot.fake.messagesTo(resident.id)).toHaveLength(before);
  });
});
