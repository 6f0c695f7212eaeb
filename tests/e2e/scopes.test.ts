/**
 * Scopes end to end, through the real bot against the fake Bot API on a real SQLite file: a
 * community with a register of 3栋 and 5栋, a community-wide group and a 楼栋群 for each building
 * (tagged with /groupscope). A poll scoped to 3栋 from /newpoll: its card reaches the wide group
 * and the 3栋 group only and says 范围：3栋; the electorate counts 3栋's verified households; a
 * 5栋 resident's tap is refused and nothing is stored. A scoped announcement goes to the wide
 * group and the 5栋 group with its scope line. Bad scopes are named back and the scene stays.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyImport } from '../../src/domain/register/apply.ts';
import { unitFromCells } from '../../src/domain/register/units.ts';
import { FEATURES } from '../../src/features.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR } from '../support/fixtures.ts';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.ts';
import { startTestBot, tempDir, testClock, textOf, type TestBot } from '../support/harness.ts';

const WIDE = -100500;
const G3 = -100503;
const G5 = -100505;
const committee = { id: 1, first_name: '居委会小张', language_code: 'zh-CN' };
const in3 = [11, 12].map((id) => ({ id, first_name: `3栋居民${id}`, language_code: 'zh-CN' }));
const in5 = { id: 21, first_name: '5栋居民', language_code: 'zh-CN' };

describe('scopes end to end', () => {
  let fake: FakeBotApi;
  let bot: TestBot;
  let community: Community;
  const clock = testClock(new Date());
  const toasts = () => fake.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => String(c.params.text ?? ''));
  const sendsTo = (chat: number) => fake.messagesTo(chat).filter((m) => m.kind === 'send');
  /** The last messages to the committee member: a refusal comes with the question asked again. */
  const recent = (n = 2) => fake.messagesTo(committee.id).slice(-n).map(textOf).join('\n');
  const group = (id: number, title: string) => ({ id, type: 'supergroup' as const, title });

  beforeAll(async () => {
    fake = await startFakeBotApi();
    bot = await startTestBot({ fake, dbFile: join(tempDir(), 'linli.db'), clock, features: FEATURES });
    community = await makeCommunity(bot.db);
    const rows = [
      ['3', '301'],
      ['3', '302'],
      ['3', '303'],
      ['5', '501'],
    ].map(([building, room], i) => {
      const parts = unitFromCells({ building, room });
      if ('problem' in parts) throw new Error('bad row');
      return { line: i + 2, unit: parts.unit, building: parts.building, group: null, residents: null, kind: null, headName: null };
    });
    await applyImport(bot.db, OPERATOR, 'cli', community.id, { rows, facts: { group: false, residents: false, kind: false, head: false } }, clock());
    await bindTelegramGroup(bot.db, community, WIDE, '巴登社区居民群');
    await bindTelegramGroup(bot.db, community, G3, '3栋楼栋群');
    await bindTelegramGroup(bot.db, community, G5, '5栋楼栋群');
    await grantRole(bot.db, community, committee.id, 'committee');
    await grantRole(bot.db, community, in3[0].id, 'verified', '3栋-301');
    await grantRole(bot.db, community, in3[1].id, 'verified', '3栋-302');
    await grantRole(bot.db, community, in5.id, 'verified', '5栋-501');
  });
  afterAll(async () => {
    await bot.close();
  });

  it('tags the 楼栋群 with /groupscope (committee only, names checked)', async () => {
    await bot.say(in3[0], '/groupscope 3栋', group(G3, '3栋楼栋群'));
    expect(textOf(bot.last(G3))).toContain('权限');
    await bot.say(committee, '/groupscope 7栋', group(G3, '3栋楼栋群'));
    expect(textOf(bot.last(G3))).toContain('没有“7栋”');
    await bot.say(committee, '/groupscope ３栋', group(G3, '3栋楼栋群'));
    expect(textOf(bot.last(G3))).toContain('3栋的楼栋群');
    await bot.say(committee, '/groupscope 5号楼', group(G5, '5栋楼栋群'));
    const tagged = await bot.db.chatGroup.findMany({ where: { scope: { not: null } }, orderBy: { chatId: 'asc' } });
    expect(tagged.map((g) => g.chatId).sort()).toEqual([String(G3), String(G5)].sort());
  });

  it('creates a poll scoped to 3栋 in /newpoll, refusing an unknown building first', async () => {
    await bot.say(committee, '/newpoll');
    await bot.say(committee, '是否同意3栋楼顶加装太阳能热水器？');
    await bot.press(committee, bot.last(committee.id), '跳过');
    await bot.press(committee, bot.last(committee.id), '赞成／反对／弃权');
    await bot.press(committee, bot.last(committee.id), '本社区已认证居民');
    expect(textOf(bot.last(committee.id))).toContain('哪些楼栋');
    await bot.say(committee, '3栋、9栋');
    expect(recent()).toContain('没有“9栋”');
    await bot.say(committee, '３栋');
    await bot.say(committee, '现在');
    await bot.press(committee, bot.last(committee.id), '3天');
    await bot.press(committee, bot.last(committee.id), '跳过');
    await bot.press(committee, bot.last(committee.id), '得票超过实际投票人数的半数');
    await bot.press(committee, bot.last(committee.id), '不记名，截止前可改票');
    await bot.press(committee, bot.last(committee.id), '投票过程中实时公布');
    expect(textOf(bot.last(committee.id))).toContain('本社区已认证居民（3栋）');
    await bot.press(committee, bot.last(committee.id), '确认发布');
    await bot.flushOutbox();
    const poll = await bot.db.poll.findFirstOrThrow({ where: { communityId: community.id } });
    expect(JSON.parse(poll.scope!).buildings.map((b: { name: string }) => b.name)).toEqual(['3栋']);
    const cardIn = (chat: number) => sendsTo(chat).find((m) => textOf(m).includes('太阳能热水器'));
    expect(textOf(cardIn(WIDE)!)).toContain('范围：3栋');
    expect(cardIn(G3)).toBeDefined();
    expect(cardIn(G5)).toBeUndefined();
  });

  it('counts 3栋 only and refuses a 5栋 resident’s tap with a clear answer', async () => {
    const card = sendsTo(WIDE).find((m) => textOf(m).includes('太阳能热水器'))!;
    const poll = await bot.db.poll.findFirstOrThrow({ where: { communityId: community.id } });
    await bot.press(in5, card, '赞成');
    expect(toasts().at(-1)).toContain('仅限3栋');
    expect(toasts().at(-1)).toContain('5栋-501');
    expect(await bot.db.pollParticipation.count({ where: { pollId: poll.id } })).toBe(0);
    await bot.press(in3[0], card, '赞成');
    expect(toasts().at(-1)).toContain('已投票');
    clock.set(new Date(poll.closesAt.getTime() + 1000));
    await bot.linli.scheduler.run('polls-tick');
    const closed = await bot.db.poll.findUniqueOrThrow({ where: { id: poll.id } });
    // Two verified residents live in 3栋; the one in 5栋 is not in this poll's electorate.
    expect(closed.electorateSize).toBe(2);
  });

  it('sends an announcement scoped to 5栋 to the wide group and the 5栋 group, with its scope line', async () => {
    await bot.say(committee, '/announce');
    await bot.say(committee, '5栋本周六上午停水检修，请提前储水。');
    await bot.press(committee, bot.last(committee.id), '不配图');
    expect(textOf(bot.last(committee.id))).toContain('哪些楼栋');
    await bot.say(committee, 'x'.repeat(600));
    expect(recent()).toContain('过长');
    await bot.say(committee, '5栋');
    await bot.press(committee, bot.last(committee.id), '本社区全部群');
    await bot.press(committee, bot.last(committee.id), '立即发布');
    await bot.press(committee, bot.last(committee.id), '不置顶');
    const preview = textOf(bot.last(committee.id));
    expect(preview).toContain('（2个）');
    expect(preview).toContain('5栋');
    await bot.press(committee, bot.last(committee.id), /确认/);
    await bot.flushOutbox();
    const notice = (chat: number) => sendsTo(chat).find((m) => textOf(m).includes('停水检修'));
    expect(textOf(notice(WIDE)!)).toContain('范围：5栋');
    expect(notice(G5)).toBeDefined();
    expect(notice(G3)).toBeUndefined();
  });
});
