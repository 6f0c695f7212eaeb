/**
 * The household register in chat, end to end through the fake Bot API: a committee member
 * imports the register by sending the file to /register (bad files refused with rows named,
 * nothing stored changing), re-imports with changes, watches the progress per building, prints a
 * building's slips as a PDF; a resident verifies in one tap from a slip's deep link and is asked
 * before a slip moves them; reprinting withdraws old slips; a 楼栋长 sees and prints only their
 * building and verifies a neighbour in person, audited as such.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURES } from '../../../../src/features.ts';
import type { Community } from '../../../../src/generated/prisma/client.ts';
import type { FakeUserInput, SentMessage } from '../../../support/fakeBotApi.ts';
import { grantRole, makeCommunity } from '../../../support/fixtures.ts';
import { buttonsOf, startTestBot, tempDir, testClock, textOf, type TestBot } from '../../../support/harness.ts';
import { registerCsv, registerXlsx } from './files.ts';
import { inkShare, pdfText, renderPage } from './pdf.ts';

const CODE = /[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/g;

const committee = { id: 9102, first_name: '周', last_name: '主任', language_code: 'zh-CN' };
const englishCommittee = { id: 9103, first_name: 'Mary', language_code: 'en' };
const resident = { id: 9111, first_name: '王', last_name: '芳', language_code: 'zh-CN' };
const lead = { id: 9112, first_name: '陈', last_name: '楼长', language_code: 'zh-CN' };
const neighbour = { id: 9113, first_name: '赵', last_name: '阿姨', language_code: 'zh-CN' };
const stranger = { id: 9114, first_name: '路人', language_code: 'zh-CN' };

const REGISTER = () =>
  registerXlsx([
    [1, 1, 101, 3, '户籍', null],
    [1, 1, 102, 2, '租住', null],
    [1, 2, 101, 1, '非户籍', null],
    [null, null, null, null, null, null],
    [2, null, 301, 4, '户籍', null],
    [2, null, 302, 2, '户籍', null],
  ]);

describe('the household register in chat', () => {
  const clock = testClock(new Date('2026-12-01T02:00:00Z'));
  const dir = tempDir('linli-register-chat-');
  let bot: TestBot;
  let community: Community;

  const texts = (chatId: number) => bot.fake.messagesTo(chatId).map(textOf);
  const lastText = (chatId: number) => textOf(bot.last(chatId));
  const sendFile = async (from: FakeUserInput, fileName: string, content: Buffer) => {
    bot.fake.sendDocument({ from, fileName, content });
    await bot.settle();
  };
  const households = () => bot.db.household.findMany({ where: { communityId: community.id }, orderBy: { unit: 'asc' } });
  const personOf = async (userId: number) =>
    (await bot.db.identity.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'telegram', platformUserId: String(userId) } } })).personId;
  const buildingId = async (name: string) => (await bot.db.building.findUniqueOrThrow({ where: { communityId_name: { communityId: community.id, name } } })).id;
  /** The slips PDF the bot sent last to a chat, saved to a file, with its codes by unit (from the PDF's text). */
  const lastSlips = (chatId: number, name: string) => {
    const doc = [...bot.fake.messagesTo(chatId)].reverse().find((m) => m.method === 'sendDocument')!;
    expect(doc.file?.fileName).toMatch(/\.pdf$/);
    const path = join(dir, name);
    writeFileSync(path, doc.file!.bytes!);
    const text = pdfText(path);
    const byUnit = new Map<string, string>();
    // pdftotext lists each row's two units, then their codes: pair them in reading order.
    const units = [...text.matchAll(/\d栋-(?:\d单元-)?\d{3}/g)].map((m) => m[0]);
    const codes = [...text.matchAll(/^([2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4})$/gm)].map((m) => m[1]);
    units.forEach((u, i) => byUnit.set(u, codes[i]));
    return { doc, path, text, byUnit };
  };
  const startPayload = (code: string) => `/start hh-${code.replace('-', '')}`;

  beforeAll(async () => {
    bot = await startTestBot({ clock, features: FEATURES });
    community = await makeCommunity(bot.db);
    await grantRole(bot.db, community, committee.id, 'committee');
    await grantRole(bot.db, community, englishCommittee.id, 'committee');
  });
  afterAll(async () => {
    await bot?.close();
  });

  describe('importing', () => {
    it('offers the import to a committee member before any register exists, and refuses others', async () => {
      await bot.say(committee, '/register');
      const home = bot.last(committee.id);
      expect(textOf(home)).toContain('本社区尚未导入住户名册');
      expect(buttonsOf(home)).toEqual(['导入名册']);
      await bot.say(stranger, '/register');
      expect(lastText(stranger.id)).toMatch(/社区|权限/);
    });

    it('refuses bad files with their rows and columns named, and keeps asking', async () => {
      await bot.press(committee, bot.last(committee.id), '导入名册');
      expect(lastText(committee.id)).toContain('请发送住户名册文件');
      await sendFile(committee, '名册.xls', Buffer.from('old excel'));
      expect(texts(committee.id).at(-2)).toContain('不支持该文件类型（名册.xls）');
      const twice = await registerXlsx([
        [1, 1, 101, 3, '户籍', null],
        [1, 1, 101, 2, '租住', null],
        [1, 1, 103, '很多', '户籍', null],
      ]);
      await sendFile(committee, '名册.xlsx', twice);
      const refusal = texts(committee.id).at(-2)!;
      expect(refusal).toContain('名册未导入：发现2处问题，已存数据没有任何改动。');
      expect(refusal).toContain('第5行：1栋-1单元-101与第4行重复');
      expect(refusal).toContain('第6行D列“常住人数（人）”：“很多”不是0至99之间的整数。');
      await sendFile(committee, '莲花.csv', registerCsv([['社区', '地址'], ['莲花社区', '1-1-101']]));
      expect(texts(committee.id).at(-2)).toContain('这份名册属于“莲花社区”（共1行），不是巴登社区的名册。');
      expect(await households()).toEqual([]);
    });

    it('previews a good file (merged headers, blank rows, an unknown column) and imports it on confirmation', async () => {
      await sendFile(committee, '住户名册.xlsx', await REGISTER());
      const preview = bot.last(committee.id);
      expect(textOf(preview)).toContain('【名册预览】住户名册.xlsx → 巴登社区');
      expect(textOf(preview)).toContain('新增5户，变更0户，不变0户');
      expect(textOf(preview)).toContain('F列“联系电话”（个人敏感信息，不予保存）');
      expect(buttonsOf(preview)).toEqual(['确认导入', '重新选择文件']);
      expect(await households()).toEqual([]);
      await bot.press(committee, preview, '确认导入');
      expect(lastText(committee.id)).toContain('名册已导入巴登社区：新增5户，变更0户，不变0户，0户标为“不在册”。');
      expect((await households()).map((h) => h.unit)).toEqual(['1栋-1单元-101', '1栋-1单元-102', '1栋-2单元-101', '2栋-301', '2栋-302']);
    });

    it('re-imports with changes in English: updates, and marks the missing household inactive', async () => {
      await bot.say(englishCommittee, '/register');
      await bot.press(englishCommittee, bot.last(englishCommittee.id), 'Import register');
      const changed = registerCsv([
        ['楼栋', '单元', '房号', '常住人数', '户别'],
        [1, 1, 101, 4, '户籍'],
        [1, 1, 102, 2, '租住'],
        [1, 2, 101, 1, '非户籍'],
        [2, '', 301, 4, '户籍'],
        [3, 1, 101, 1, '户籍'],
      ]);
      await sendFile(englishCommittee, 'register.csv', changed);
      const preview = bot.last(englishCommittee.id);
      expect(textOf(preview)).toContain('1 added, 1 changed, 3 unchanged; 1 not in the new file');
      expect(textOf(preview)).toContain('· 1栋-1单元-101: residents 3→4');
      expect(textOf(preview)).toContain('Not in the new file (first 1):\n· 2栋-302');
      expect(textOf(preview)).toContain('New buildings: 3栋');
      await bot.press(englishCommittee, preview, 'Import');
      expect(lastText(englishCommittee.id)).toContain('1 added, 1 changed, 3 unchanged, 1 marked no longer in the register');
      const gone = (await households()).find((h) => h.unit === '2栋-302')!;
      expect(gone.active).toBe(false);
    });
  });

  describe('progress, slips and verification from a slip', () => {
    let slips: Map<string, string>;

    it('shows the progress per building and a building’s unverified households', async () => {
      await bot.say(committee, '/register');
      const home = bot.last(committee.id);
      expect(textOf(home)).toContain('在册5户，已认证0户（0%）。');
      expect(textOf(home)).toContain('1栋　3户　已认证0户（0%）');
      expect(textOf(home)).toContain('另有1户已不在册');
      expect(buttonsOf(home)).toEqual(['1栋 0%', '2栋 0%', '3栋 0%', '导入名册', '打印全部认证单']);
      await bot.press(committee, home, '1栋 0%');
      const building = bot.last(committee.id);
      expect(textOf(building)).toContain('【1栋】在册3户，已认证0户（0%）。');
      expect(textOf(building)).toContain('楼栋长：暂无');
      expect(textOf(building)).toContain('尚未认证（3户）：\n1栋-1单元-101、1栋-1单元-102、1栋-2单元-101');
      expect(buttonsOf(building)).toEqual(['打印本楼认证单', '当面认证邻居', '任命楼栋长', '返回名册']);
    });

    it('sends a building’s slips as a PDF whose page is not blank and whose codes verify', async () => {
      await bot.press(committee, bot.last(committee.id), '打印本楼认证单');
      const { doc, path, text, byUnit } = lastSlips(committee.id, 'slips-1.pdf');
      expect(textOf(doc)).toContain('1栋认证单3张（每页6张，沿虚线剪开），有效期至2027年5月30日。');
      expect(text).toContain('巴登社区 · 住户认证单 · 1栋 · 第1/1页');
      expect([...byUnit.keys()]).toEqual(['1栋-1单元-101', '1栋-1单元-102', '1栋-2单元-101']);
      // With the bot on Telegram each slip carries a QR code rather than the WeChat steps.
      expect(text).toContain('① 用手机扫描二维码');
      const page = renderPage(path);
      expect(inkShare(page)).toBeGreaterThan(0.02);
      expect(inkShare(page, { x: 0.3, y: 0.1, w: 0.15, h: 0.1 })).toBeGreaterThan(0.2);
      slips = byUnit;
      expect(await bot.db.verificationCode.count({ where: { communityId: community.id, purpose: 'slip', revokedAt: null } })).toBe(3);
    });

    it('verifies a resident in one tap from the slip’s deep link', async () => {
      await bot.say(resident, startPayload(slips.get('1栋-1单元-101')!));
      expect(lastText(resident.id)).toBe('认证成功！您已认证为巴登社区1栋-1单元-101住户，现在可以参与提议、附议、投票和评议。');
      const membership = await bot.db.membership.findFirstOrThrow({ where: { personId: await personOf(resident.id), role: 'verified' }, include: { household: true } });
      expect(membership).toMatchObject({ source: 'slip' });
      expect(membership.household?.unit).toBe('1栋-1单元-101');
      await bot.say(committee, '/register');
      expect(lastText(committee.id)).toContain('1栋　3户　已认证1户（33.3%）');
    });

    it('asks before a slip of another household moves the resident, and moves only on a second tap', async () => {
      await bot.say(resident, startPayload(slips.get('1栋-1单元-102')!));
      const question = bot.last(resident.id);
      expect(textOf(question)).toContain('您目前认证的住户是1栋-1单元-101。这张认证单属于1栋-1单元-102。');
      expect(buttonsOf(question)).toEqual(['确认改为1栋-1单元-102', '不改，保持原住户']);
      await bot.press(resident, question, '不改，保持原住户');
      expect(lastText(resident.id)).toBe('好的，您仍是1栋-1单元-101住户，这张认证单未被使用。');
      const unused = await bot.db.verificationCode.findFirstOrThrow({ where: { unit: '1栋-1单元-102', purpose: 'slip', revokedAt: null } });
      expect(unused.redeemedAt).toBeNull();

      await bot.say(resident, startPayload(slips.get('1栋-1单元-102')!));
      await bot.press(resident, bot.last(resident.id), '确认改为1栋-1单元-102');
      expect(lastText(resident.id)).toBe('已改为巴登社区1栋-1单元-102住户（原住户1栋-1单元-101的认证已取消）。');
      const membership = await bot.db.membership.findFirstOrThrow({ where: { personId: await personOf(resident.id), role: 'verified' }, include: { household: true } });
      expect(membership.household?.unit).toBe('1栋-1单元-102');
      const audit = await bot.db.auditEntry.findMany({ where: { action: 'code.redeem', actorId: await personOf(resident.id) } });
      expect(audit.map((a) => JSON.parse(a.details!))).toEqual([
        { role: 'verified', purpose: 'slip' },
        { role: 'verified', purpose: 'slip', moved: true },
      ]);
    });

    it('withdraws the earlier slips when a building’s slips are printed again', async () => {
      await bot.say(committee, '/register');
      await bot.press(committee, bot.last(committee.id), /^1栋 /);
      const building = bot.last(committee.id);
      expect(buttonsOf(building)).toContain('只补打未认证住户');
      await bot.press(committee, building, '打印本楼认证单');
      const { doc, byUnit } = lastSlips(committee.id, 'slips-2.pdf');
      // 1-1-101 and 1-1-102 were used; only 1-2-101's slip was still open.
      expect(textOf(doc)).toContain('原先打印、尚未使用的1张认证单已作废');
      await bot.say(neighbour, startPayload(slips.get('1栋-2单元-101')!));
      expect(lastText(neighbour.id)).toContain('该认证码已被居委会作废');
      expect(byUnit.get('1栋-2单元-101')).not.toBe(slips.get('1栋-2单元-101'));
    });
  });

  describe('楼栋长', () => {
    it('is appointed with a one-building code and then sees only that building, without names', async () => {
      await bot.say(committee, '/register');
      await bot.press(committee, bot.last(committee.id), /^1栋 /);
      await bot.press(committee, bot.last(committee.id), '任命楼栋长');
      const codeText = lastText(committee.id);
      expect(codeText).toContain('1栋楼栋长认证码');
      const [code] = codeText.match(CODE)!;
      await bot.say(lead, `/verify ${code}`);
      expect(lastText(lead.id)).toBe('认证成功！您已获得巴登社区“楼栋长”身份。');

      await bot.say(lead, '/register');
      const home = bot.last(lead.id);
      expect(textOf(home)).toContain('【住户名册】巴登社区 · 我负责的楼栋');
      expect(textOf(home)).toContain('1栋　3户　已认证1户');
      expect(textOf(home)).not.toContain('2栋');
      expect(buttonsOf(home)).toEqual(['1栋 33.3%']);
      await bot.press(lead, home, '1栋 33.3%');
      const building = bot.last(lead.id);
      expect(buttonsOf(building)).toEqual(['打印本楼认证单', '只补打未认证住户', '当面认证邻居', '返回名册']);
      expect(textOf(building)).not.toContain('楼栋长：');
    });

    it('cannot act for another building, even with a forged button', async () => {
      const other = await buildingId('2栋');
      bot.fake.pressButton({ from: lead, messageId: bot.last(lead.id).messageId, data: `rg.s:${other}:a`, force: true });
      await bot.settle();
      const answer = bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery').at(-1)!;
      expect(String(answer.params.text)).toContain('您不是2栋的楼栋长');
      expect(await bot.db.verificationCode.count({ where: { purpose: 'slip', household: { buildingId: other } } })).toBe(0);
    });

    it('prints the building’s slips for households not yet verified', async () => {
      await bot.press(lead, bot.last(lead.id), '只补打未认证住户');
      const { byUnit } = lastSlips(lead.id, 'slips-lead.pdf');
      expect([...byUnit.keys()]).toEqual(['1栋-1单元-101', '1栋-2单元-101']);
    });

    it('verifies a neighbour in person, audited with the lead as the one who vouched', async () => {
      await bot.say(lead, '/register');
      await bot.press(lead, bot.last(lead.id), /^1栋 /);
      await bot.press(lead, bot.last(lead.id), '当面认证邻居');
      expect(lastText(lead.id)).toContain('请输入邻居的房号（1栋）');
      await bot.say(lead, '9-909');
      expect(texts(lead.id).at(-2)).toBe('1栋名册中没有这个房号，请核对后重新输入。');
      await bot.say(lead, '2-101');
      const shown = bot.last(lead.id);
      expect(shown.method).toBe('sendPhoto');
      expect(shown.file?.bytes?.subarray(1, 4).toString()).toBe('PNG');
      const [code] = textOf(shown).match(CODE)!;
      expect(textOf(shown)).toContain(`https://t.me/linli_test_bot?start=hh-${code.replace('-', '')}`);
      expect(textOf(shown)).toContain('30分钟内有效');

      await bot.say(neighbour, startPayload(code));
      expect(lastText(neighbour.id)).toContain('认证成功！您已认证为巴登社区1栋-2单元-101住户');
      const vouched = await bot.db.auditEntry.findFirstOrThrow({ where: { action: 'verification.in_person' } });
      expect(vouched.actorId).toBe(await personOf(lead.id));
      expect(JSON.parse(vouched.details!)).toMatchObject({ personId: await personOf(neighbour.id) });
      const membership = await bot.db.membership.findFirstOrThrow({ where: { personId: await personOf(neighbour.id), role: 'verified' } });
      expect(membership.source).toBe('in_person');
    });

    it('is removed by the committee, and then sees nothing', async () => {
      await bot.say(committee, '/register');
      await bot.press(committee, bot.last(committee.id), /^1栋 /);
      const building = bot.last(committee.id);
      expect(textOf(building)).toContain('楼栋长：陈 楼长');
      await bot.press(committee, building, '撤销 陈 楼长');
      await bot.press(committee, bot.last(committee.id), '确认撤销');
      expect(lastText(committee.id)).toBe('已撤销陈 楼长的1栋楼栋长身份。');
      await bot.say(lead, '/register');
      // With the role gone the person holds nothing in the community any more.
      expect(lastText(lead.id)).toContain('您尚未关联任何社区');
    });
  });

  it('keeps units and names of who has not verified out of groups', async () => {
    const group = { id: -100301, type: 'supergroup' as const, title: '巴登社区一群' };
    await bot.db.chatGroup.create({ data: { platform: 'telegram', chatId: String(group.id), communityId: community.id, title: group.title } });
    await bot.say(committee, '/register', group);
    const sent: SentMessage[] = bot.fake.messagesTo(group.id);
    expect(sent.map(textOf).join('\n')).not.toMatch(/栋-/);
  });
});
