/**
 * The weekly digest end to end: sections from every feature's contributor for the ISO week that
 * ended in Asia/Shanghai, a chart, buttons, each group's language, exactly once — also when the
 * job runs again, when the bot was down on Monday, and when the CLI sends it by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { digestPreviewCommand, digestSendCommand } from '../../src/cli/commands/digest.ts';
import type { CliEnv } from '../../src/cli/command.ts';
import type { Feature } from '../../src/features/feature.ts';
import { showAnnouncements } from '../../src/features/announcements/actions.ts';
import { FEATURES } from '../../src/features.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { cliEnv } from '../support/cliRun.ts';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.ts';
import { bindTelegramGroup, makeCommunity } from '../support/fixtures.ts';
import { buttonsOf, startTestBot, tempDir, testClock, textOf, type TestBot } from '../support/harness.ts';

/** Stands in for the proposals feature, built in parallel: a section with buttons. */
const proposalsStandIn: Feature = {
  name: 'proposals-stand-in',
  digest: async (services, q) => {
    const t = (zh: string, en: string) => (q.locale === 'en' ? en : zh);
    return {
      title: t('新提议', 'New proposals'),
      lines: [t('3号楼加装扶手（附议 8/10）', 'Handrails for building 3 (8/10 seconds)')],
      items: 2,
      buttons: [
        { label: t('去附议', 'Second'), action: 'prop:second:abc' },
        { label: 'too long', action: `prop:${'x'.repeat(70)}` },
      ],
    };
  },
};
/** A contributor that fails must not stop the digest. */
const broken: Feature = {
  name: 'broken',
  digest: async () => {
    throw new Error('section exploded');
  },
};
const features = [...FEATURES, proposalsStandIn, broken];

const G_ZH = -1007001;
const G_EN = -1007002;
const QUIET_NONE = -1007101;
const QUIET_SHORT = -1007201;
const QUIET_FRESH = -1007202;

describe('weekly digest end to end', () => {
  let fake: FakeBotApi;
  let bot: TestBot;
  let badeng: Community;
  const dbFile = join(tempDir(), 'digest.db');
  const clock = testClock('2026-11-23T00:30:00Z'); // Monday 08:30 in Shanghai

  beforeAll(async () => {
    fake = await startFakeBotApi();
    bot = await startTestBot({ fake, dbFile, clock, features });
    badeng = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, badeng, G_ZH, '巴登居民群');
    await bindTelegramGroup(bot.db, badeng, G_EN, 'Badeng expats');
    await bot.db.chatGroup.update({ where: { platform_chatId: { platform: 'telegram', chatId: String(G_EN) } }, data: { locale: 'en' } });
    // Sunday 23:30 in Shanghai belongs to W47; Monday 00:10 (still Sunday in UTC) to W48.
    await bot.db.announcement.create({ data: { communityId: badeng.id, text: '周日晚间停水通知\n详情见公告栏', sendAt: new Date('2026-11-22T15:30:00Z'), status: 'sent' } });
    await bot.db.announcement.create({ data: { communityId: badeng.id, text: '周一凌晨的公告', sendAt: new Date('2026-11-22T16:10:00Z'), status: 'sent' } });
  });
  afterAll(async () => {
    await bot.stop();
    await fake.close();
  });

  it('sends nothing before Monday 09:00 Shanghai', async () => {
    await bot.linli.scheduler.run('weekly-digest');
    await bot.flushOutbox();
    expect(fake.messagesTo(G_ZH)).toHaveLength(0);
  });

  it('after downtime over Monday, sends the missed digest once when the bot comes back on Wednesday', async () => {
    await bot.stop();
    clock.set('2026-11-25T02:00:00Z'); // Wednesday 10:00
    bot = await startTestBot({ fake, dbFile, clock, features });
    await bot.linli.scheduler.run('weekly-digest');
    await bot.linli.scheduler.run('weekly-digest');
    await bot.flushOutbox();
    const zh = fake.messagesTo(G_ZH);
    expect(zh).toHaveLength(1);
    expect(zh[0].method).toBe('sendPhoto');
    const text = textOf(zh[0]);
    expect(text).toContain('【社区周报｜巴登社区】');
    // Read on the Wednesday after it, the week is 上周, named by its dates; no key, no week number.
    expect(text).toContain('上周（11月16日—22日）');
    expect(text).not.toMatch(/第\d+周|W47/);
    expect(text).toContain('3号楼加装扶手');
    expect(text).toContain('周日晚间停水通知');
    expect(text).not.toContain('周一凌晨的公告');
    expect(buttonsOf(zh[0])).toEqual(['查看公告', '去附议']); // feature order; the 70-byte action is dropped
    const en = fake.messagesTo(G_EN);
    expect(en).toHaveLength(1);
    expect(textOf(en[0])).toContain('巴登社区 weekly digest');
    expect(textOf(en[0])).toContain('Last week (16–22 Nov)');
    expect(textOf(en[0])).toContain('Handrails for building 3');
    expect(buttonsOf(en[0])).toEqual(['Announcements', 'Second']);
    const keys = (await bot.db.outboxMessage.findMany({ where: { refType: 'digest' } })).map((r) => r.key).sort();
    expect(keys).toEqual([`digest:${badeng.id}:2026-W47:telegram:${G_ZH}`, `digest:${badeng.id}:2026-W47:telegram:${G_EN}`]);
    expect(await bot.db.jobRun.count({ where: { job: 'digest', key: `${badeng.id}:2026-W47` } })).toBe(1);
  });

  it('lets the digest button open the announcements list privately, not in the group', async () => {
    const user = { id: 7777, first_name: '居民', language_code: 'zh-hans' };
    const inGroup = fake.messagesTo(G_ZH).length;
    await bot.press(user, fake.messagesTo(G_ZH)[0], '查看公告');
    expect(textOf(bot.last(user.id))).toContain('【巴登社区近期公告】');
    expect(textOf(bot.last(user.id))).toContain('周日晚间停水通知');
    expect(fake.messagesTo(G_ZH)).toHaveLength(inGroup);
  });

  it('sends a short digest for a quiet week, or none, per community', async () => {
    // These two have no announcements and no proposals of their own… but the stand-in reports
    // for every community, so remove it for this check.
    await bot.stop();
    bot = await startTestBot({ fake, dbFile, clock, features: FEATURES });
    const none = await makeCommunity(bot.db, 'quiet-none', '安静社区');
    await bot.db.community.update({ where: { id: none.id }, data: { digestQuietMode: 'none' } });
    await bindTelegramGroup(bot.db, none, QUIET_NONE);
    const short = await makeCommunity(bot.db, 'quiet-short', '平安社区');
    await bindTelegramGroup(bot.db, short, QUIET_SHORT);
    // A community set up this week has no past week to report on.
    const fresh = await makeCommunity(bot.db, 'brand-new', '新建社区', clock());
    await bindTelegramGroup(bot.db, fresh, QUIET_FRESH);
    await bot.linli.scheduler.run('weekly-digest');
    await bot.flushOutbox();
    expect(fake.messagesTo(QUIET_NONE)).toHaveLength(0);
    expect(fake.messagesTo(QUIET_FRESH)).toHaveLength(0);
    expect(await bot.db.jobRun.findUnique({ where: { job_key: { job: 'digest', key: `${none.id}:2026-W47` } } })).toMatchObject({ result: 'quiet, 0 enqueued' });
    const quiet = fake.messagesTo(QUIET_SHORT);
    expect(quiet).toHaveLength(1);
    expect(quiet[0].method).toBe('sendMessage');
    expect(textOf(quiet[0])).toContain('这一周社区平稳');
  });

  it('previews exactly what is sent and sends by hand only once (CLI)', async () => {
    const lines: string[] = [];
    const env: CliEnv = cliEnv(bot.config, bot.db, lines);
    expect(await digestPreviewCommand.run(env, { values: { community: 'badeng', week: '2026-W47' }, positionals: [] })).toBe(0);
    const out = lines.join('\n');
    expect(out).toContain('2026-W47 · zh-CN · 1 group(s)');
    expect(out).toContain('周日晚间停水通知');
    // The CLI previews an old week on the real clock: its dates, not 上周.
    expect(out).toContain('【社区周报｜巴登社区】\n11月16日—22日');
    expect(out).toContain(`[查看公告 → ${showAnnouncements.pack({})}]`);
    expect(out).toContain('2026-W47 · en · 1 group(s)');
    expect(out).toMatch(/\[image digest-2026-W47\.png, \d+ bytes\]/);
    lines.length = 0;
    expect(await digestSendCommand.run(env, { values: { community: 'badeng', week: '2026-W47' }, positionals: [] })).toBe(0);
    expect(lines.join('\n')).toContain('0 message(s) enqueued');
    await expect(digestPreviewCommand.run(env, { values: { community: 'badeng', week: '2026-W60' }, positionals: [] })).rejects.toThrow(/cli\.digest\.bad_week/);
    // A new week by hand: W48 has the Monday-night announcement.
    lines.length = 0;
    expect(await digestSendCommand.run(env, { values: { community: 'badeng', week: '2026-W48' }, positionals: [] })).toBe(0);
    expect(lines.join('\n')).toContain('2 message(s) enqueued');
    // The CLI runs on the real clock, the bot on the test clock: make the CLI's messages due now.
    await bot.db.outboxMessage.updateMany({ where: { status: 'pending' }, data: { nextAttemptAt: clock() } });
    await bot.flushOutbox();
    expect(textOf(fake.messagesTo(G_ZH).filter((m) => m.kind === 'send').at(-1)!)).toContain('周一凌晨的公告');
  });
});
