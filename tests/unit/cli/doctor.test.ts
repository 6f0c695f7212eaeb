/**
 * `linli doctor` lists the groups Linli no longer reaches and every message that was dropped or
 * failed, with why, newest first and capped. The outbox rows are made by the real worker against
 * the fake Bot API (a 403 for a group that removed the bot, a 400 for a chat that is gone); the
 * command runs in-process on the same database file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { moveGroup } from '../../../src/domain/residents/groupMove.ts';
import { DOCTOR_MESSAGE_LIMIT } from '../../../src/cli/commands/doctorDelivery.ts';
import { bindTelegramGroup, makeCommunity } from '../../support/fixtures.ts';
import { startTestBot, type TestBot } from '../../support/harness.ts';
import { linli } from '../../support/cliRun.ts';

const KICKED = -100601;
const GONE = -100602;
const FINE = -100603;
const UPGRADED = -100604;
const BROKEN = -100605;

describe('linli doctor: inactive groups and undelivered messages', () => {
  let bot: TestBot | undefined;
  afterAll(async () => {
    await bot?.close();
  });

  it('is all good on a fresh database', async () => {
    bot = await startTestBot();
    const r = await linli(bot.dbFile, ['doctor']);
    expect(r.out).not.toContain('已失效');
    expect(r.out).not.toContain('未送达');
    expect(r.out).toContain('✔ 配置有效');
    expect(r.out).toContain('一切正常');
    expect(r.code).toBe(0);
  });

  it('lists inactive groups with community and since when, and every dropped or failed message with its reason', async () => {
    const db = bot!.db;
    const community = await makeCommunity(db);
    await bindTelegramGroup(db, community, KICKED, '巴登社区三群');
    await bindTelegramGroup(db, community, GONE, '巴登社区四群');
    await bindTelegramGroup(db, community, FINE, '巴登社区一群');
    await bindTelegramGroup(db, community, UPGRADED, '巴登社区老群');
    await bindTelegramGroup(db, community, BROKEN, '巴登社区五群');
    // The upgraded supergroup was bound already, so the old row is retired (inactive).
    await bindTelegramGroup(db, community, -1009990604, '巴登社区新群');
    await moveGroup(db, 'telegram', String(UPGRADED), '-1009990604', new Date('2026-11-02T03:04:05Z'));

    bot!.fake.failNext({ method: 'sendMessage', chatId: KICKED, errorCode: 403 });
    bot!.fake.failNext({ method: 'sendMessage', chatId: GONE, errorCode: 400 });
    // A message Telegram refuses for good (the group stays active; the message fails).
    bot!.fake.failNext({ method: 'sendMessage', chatId: BROKEN, errorCode: 400, description: "Bad Request: can't parse entities", times: DOCTOR_MESSAGE_LIMIT + 5 });
    const outbox = bot!.linli.services.outbox;
    await outbox.publishToCommunity(community.id, 'notice:first', () => ({ text: '第一条通知' }));
    for (let i = 0; i < DOCTOR_MESSAGE_LIMIT + 4; i++) {
      await outbox.enqueue({ key: `notice:broken:${i}`, platform: 'telegram', chatId: String(BROKEN), communityId: community.id, message: { text: `通知${i}` } });
    }
    await bot!.flushOutbox();
    const statuses = await db.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } });
    expect(Object.fromEntries(statuses.map((s) => [s.status, s._count._all]))).toMatchObject({ dropped: 2, failed: DOCTOR_MESSAGE_LIMIT + 5 });

    const zh = await linli(bot!.dbFile, ['doctor']);
    expect(zh.out).toContain('! 3个群已失效，邻里不再向其发送消息：');
    expect(zh.out).toContain(`✘ ${DOCTOR_MESSAGE_LIMIT + 7}条消息未送达（失败${DOCTOR_MESSAGE_LIMIT + 5}条，已放弃2条），最新的在前：`);
    expect(zh.out).toContain('……另有7条（见“linli outbox”）');
    const r = await linli(bot!.dbFile, ['doctor'], { LINLI_CLI_LOCALE: 'en' });
    expect(r.out).toContain('! 3 inactive group(s) — Linli no longer posts there:');
    expect(r.out).toContain(`telegram ${GONE} “巴登社区四群” — badeng (巴登社区), since about`);
    expect(r.out).toContain('(Bad Request: chat not found)');
    expect(r.out).toMatch(new RegExp(`telegram ${KICKED} “巴登社区三群” — badeng \\(巴登社区\\), since about \\d{4}-\\d{2}-\\d{2} [\\d:]+Z \\(Forbidden: bot was kicked`));
    // When the move was recorded (the audit entry of the migration).
    expect(r.out).toMatch(new RegExp(`telegram ${UPGRADED} “巴登社区老群” — badeng \\(巴登社区\\), moved to -1009990604 on \\d{4}-\\d{2}-\\d{2} [\\d:]+Z`));
    expect(r.out).not.toContain(`telegram ${FINE} “`);
    expect(r.out).not.toContain(`telegram ${BROKEN} “`);

    expect(r.out).toContain(`✘ ${DOCTOR_MESSAGE_LIMIT + 7} outbox message(s) not delivered (${DOCTOR_MESSAGE_LIMIT + 5} failed, 2 dropped), newest first:`);
    const listed = r.out.split('\n').filter((l) => /^ {4}#\d+ (dropped|failed) /.test(l));
    expect(listed).toHaveLength(DOCTOR_MESSAGE_LIMIT);
    // Newest first: the last message queued heads the list.
    expect(listed[0]).toContain(`failed telegram ${BROKEN} notice:broken:${DOCTOR_MESSAGE_LIMIT + 3}`);
    expect(listed[0]).toContain("Bad Request: can't parse entities");
    const ids = listed.map((l) => Number(/#(\d+)/.exec(l)![1]));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(r.out).toContain(`    … and 7 more (see "linli outbox")`);
    expect(r.code).toBe(1);
  });
});
