/**
 * Earlier versions stay readable: a corrected disclosure's page offers every earlier version,
 * which opens as it was published with the reason it was replaced; a statement (a ledger) is
 * corrected only by a statement again — line items whose totals are checked — never by a
 * sentence; and the export carries the line items of each version exported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctDisclosure, publishDisclosure } from '../../src/domain/disclosures/disclosures.ts';
import { readDisclosureFile } from '../../src/domain/disclosures/files.ts';
import type { Statement } from '../../src/domain/disclosures/statement.ts';
import { loadActor } from '../../src/domain/residents/people.ts';
import { disclosureSheets } from '../../src/features/disclosures/export.ts';
import type { TableRow } from '../../src/export/table.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { bindTelegramGroup, grantRole, makeCommunity } from '../support/fixtures.ts';
import { buttonsOf, startTestBot, testClock, textOf, type TestBot } from '../support/harness.ts';

const GROUP = { id: -100777, type: 'supergroup' as const, title: '巴登社区居民群' };
const committee = { id: 4501, first_name: '王主任', language_code: 'zh-hans' };
const resident = { id: 4502, first_name: '李阿姨', language_code: 'zh-hans' };

const ledger = (repair: string, closing: string) =>
  [
    '日期,项目,收支,金额（元）,资金来源',
    '期初余额,,,2000.00,',
    '10月8日,区财政拨付,收入,"10,000.00",民生微实事资金',
    `10月12日,路灯维修,支出,${repair},民生微实事资金`,
    '10月20日,重阳节慰问品,支出,800.50,福彩公益金',
    `期末余额,,,${closing},`,
  ].join('\n');
const FIRST = ledger('1200', '9999.50');
const CORRECTED = ledger('1100', '10099.50');

describe('disclosure versions', () => {
  const clock = testClock('2026-10-25T02:00:00Z');
  let bot: TestBot;
  let community: Community;
  let disclosureId: string;
  const texts = (chatId: number) => bot.fake.messagesTo(chatId).map(textOf);

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, GROUP.id);
    const person = await grantRole(bot.db, community, committee.id, 'committee');
    await grantRole(bot.db, community, resident.id, 'verified');
    const content = await readDisclosureFile({ name: '四季度.csv', mimeType: 'text/csv', bytes: Buffer.from(FIRST) }, 2026);
    const { disclosure } = await publishDisclosure(
      bot.db,
      await loadActor(bot.db, person),
      'telegram',
      community.id,
      { category: 'finance', period: '2026年第四季度', title: '四季度经费收支', body: '', statement: (content as { statement: Statement }).statement },
      clock(),
    );
    disclosureId = disclosure.id;
  });
  afterAll(() => bot.close());

  it('corrects a statement only with a statement: no typed text offered, a sentence refused by the domain', async () => {
    await bot.say(committee, '/correct 1');
    const ask = bot.last(committee.id);
    expect(textOf(ask)).toContain('这份公开是收支明细表');
    expect(buttonsOf(ask)).toEqual([expect.stringContaining('上传文件')]);
    await bot.press(committee, ask, buttonsOf(ask)[0]);
    // A text file is not a statement.
    bot.fake.sendDocument({ from: committee, fileName: '更正.md', content: Buffer.from('# 更正\n路灯维修实际支出1100元。') });
    await bot.settle();
    expect(texts(committee.id).slice(-2)[0]).toContain('不能以文字文件代替');
    // The corrected ledger's arithmetic is checked again: a wrong closing balance is refused.
    bot.fake.sendDocument({ from: committee, fileName: '四季度更正.csv', content: Buffer.from(ledger('1100', '9999.50')) });
    await bot.settle();
    expect(texts(committee.id).slice(-2)[0]).toContain('期末余额');
    bot.fake.sendDocument({ from: committee, fileName: '四季度更正.csv', content: Buffer.from(CORRECTED) });
    await bot.settle();
    await bot.say(committee, '跳过');
    await bot.say(committee, '路灯维修发票金额核对有误，实际支出1100元');
    const preview = bot.last(committee.id);
    expect(textOf(preview)).toContain('10月12日 路灯维修 支出 ¥1,100.00');
    await bot.press(committee, preview, '确认更正');
    expect(textOf(bot.last(committee.id))).toContain('现为第2版');

    // The domain refuses a sentence in place of the ledger, whoever calls it.
    const person = await bot.db.person.findFirstOrThrow({ where: { identities: { some: { platformUserId: String(committee.id) } } } });
    await expect(
      correctDisclosure(bot.db, await loadActor(bot.db, person), 'cli', disclosureId, { body: '路灯维修实际支出1100元，特此更正。', statement: null, reason: '更正金额' }, clock()),
    ).rejects.toMatchObject({ key: 'disclosures.correction_needs_statement' });
    expect(await bot.db.disclosureVersion.count({ where: { disclosureId } })).toBe(2);
  });

  it('opens every earlier version from the page, as published, with the reason it was replaced', async () => {
    await bot.say(resident, `/start d-${disclosureId}`);
    const page = bot.last(resident.id);
    expect(textOf(page)).toContain('路灯维修 支出 ¥1,100.00');
    expect(textOf(page)).toContain('更正原因：路灯维修发票金额核对有误');
    expect(buttonsOf(page)).toContain('查看第1版');
    await bot.press(resident, page, '查看第1版');
    const first = textOf(bot.last(resident.id));
    expect(first).toContain('【历史版本】以下是第1版发布时的原文，现行为第2版。第2版的更正原因：路灯维修发票金额核对有误');
    expect(first).toContain('10月12日 路灯维修 支出 ¥1,200.00');
    expect(first).toContain('期末余额 ¥9,999.50');
    expect(buttonsOf(bot.last(resident.id))).toContain('查看现行第2版');
    await bot.press(resident, bot.last(resident.id), '查看现行第2版');
    expect(textOf(bot.last(resident.id))).toContain('期末余额 ¥10,099.50');
  });

  it('exports each version with its own line items', async () => {
    const [versions, items] = await disclosureSheets(bot.db, bot.linli.services.i18n, 'zh-CN', community.id);
    const rowsOf = (sheet: typeof versions) => [...(sheet.rows as Iterable<TableRow>)];
    expect(rowsOf(versions).map((r) => [r.version, r.items, r.closing])).toEqual([
      [1, 3, 9999.5],
      [2, 3, 10099.5],
    ]);
    const repair = rowsOf(items).filter((r) => r.item === '路灯维修').map((r) => [r.version, r.amount]);
    expect(repair).toEqual([
      [1, 1200],
      [2, 1100],
    ]);
  });
});
