/**
 * A year of meetings under a moved clock: council and residents' meetings scheduled through the
 * feature, signed in by tapping the notice, the quarter-end reminder to committee members when
 * the council has not met in a quarter (and at year end when the yearly count is short), and
 * `linli report meetings` giving the street office's record as XLSX (read back with exceljs)
 * and PDF, plus the other meeting CLI commands.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BodyKind } from '../../src/domain/meetings/bodies.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { scheduleAndAnnounce } from '../../src/features/meetings/recording.ts';
import { linli as linliIn } from '../support/cliRun.ts';
import { inkShare, pdfText, renderPage } from '../unit/features/register/pdf.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR } from '../support/fixtures.ts';
import { startTestBot, tempDir, testClock, textOf, type TestBot } from '../support/harness.ts';

// These tests quote the CLI's English: the operator reads it in English (LINLI_CLI_LOCALE=en).
const linli = (dbFile: string, args: string[]) => linliIn(dbFile, args, { LINLI_CLI_LOCALE: 'en' });

const committee = { id: 7101, first_name: '李主任', language_code: 'zh-hans' };
const councillor = { id: 7111, first_name: '陈委员', language_code: 'zh-hans' };
const G1 = -1007101;

describe('a year of meetings', () => {
  let bot: TestBot;
  let community: Community;
  const clock = testClock('2026-01-05T02:00:00Z');
  const dir = tempDir('linli-meetings-');
  const ids: Record<string, string> = {};

  /** Schedules a meeting three days ahead of `at` (the clock moves there), as a committee member would. */
  async function schedule(body: BodyKind, at: string, title: string) {
    clock.set(new Date(new Date(at).getTime() - 3 * 86_400_000));
    const m = await scheduleAndAnnounce(bot.linli.services, { actor: OPERATOR, via: 'test', now: clock() }, { communityId: community.id, body, title, startsAt: new Date(at), place: '社区党群服务中心', agenda: [{ kind: 'text', title: `${title}议题` }] });
    ids[title] = m.id;
    return m;
  }

  const reminders = () => bot.fake.messagesTo(committee.id).filter((m) => textOf(m).startsWith('【会议提醒】'));

  beforeAll(async () => {
    bot = await startTestBot({ clock, env: { LINLI_TIMEZONE: 'Asia/Shanghai' } });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, G1);
    await grantRole(bot.db, community, committee.id, 'committee');
    const member = await grantRole(bot.db, community, councillor.id, 'council');
    await bot.db.person.update({ where: { id: member.id }, data: { displayName: councillor.first_name } });
    await bot.say(committee, '/start');
    await bot.say(councillor, '/start');
    await schedule('council', '2026-02-10T11:00:00Z', '二月例会');
    await schedule('council', '2026-03-12T11:00:00Z', '三月例会');
    await schedule('assembly', '2026-04-20T06:00:00Z', '上半年居民代表会议');
    await schedule('council', '2026-05-14T11:00:00Z', '五月例会');
    await schedule('joint', '2026-06-01T07:00:00Z', '两委联席会');
    await schedule('council', '2026-10-15T11:00:00Z', '十月例会');
    await bot.flushOutbox();
  });
  afterAll(() => bot.close());

  it('signs in on the meeting day by tapping the notice, and refuses a QR code of another day’s meeting', async () => {
    clock.set('2026-02-10T10:50:00Z');
    const notice = bot.fake.messagesTo(G1).find((m) => textOf(m).includes('二月例会'))!;
    await bot.press(councillor, notice, '签到');
    expect(String(bot.fake.callbackAnswers.at(-1)?.text)).toContain('签到成功');
    await bot.say(councillor, `/start mtg-${ids['三月例会']}`);
    expect(textOf(bot.last(councillor.id))).toContain('签到只在会议当天开放');
    // Typed, as on a platform without deep links: the number is on the sign-in sheet.
    await bot.say(councillor, '签到 1');
    expect(textOf(bot.last(councillor.id))).toContain('无需重复签到');
    await bot.say(councillor, '签到 第一');
    expect(textOf(bot.last(councillor.id))).toContain('请在“签到”后面写上会议编号');
    await bot.say(councillor, '签到 99');
    expect(textOf(bot.last(councillor.id))).toContain('没有找到这次会议');
    expect(await bot.db.meetingAttendance.count()).toBe(1);
  });

  it('is quiet at the end of a quarter in which the council met', async () => {
    clock.set('2026-06-20T01:00:00Z');
    await bot.linli.scheduler.run('meeting-frequency');
    await bot.flushOutbox();
    expect(reminders()).toHaveLength(0);
  });

  it('reminds committee members once when a quarter is ending without a council meeting', async () => {
    clock.set('2026-08-31T01:00:00Z'); // a month before the quarter ends: too early
    await bot.linli.scheduler.run('meeting-frequency');
    clock.set('2026-09-20T01:00:00Z');
    await bot.linli.scheduler.run('meeting-frequency');
    clock.set('2026-09-21T01:00:00Z');
    await bot.linli.scheduler.run('meeting-frequency');
    await bot.flushOutbox();
    const sent = reminders();
    expect(sent).toHaveLength(1);
    expect(textOf(sent[0])).toContain('巴登社区居民议事会：2026年第三季度还有10天结束，本季度已开和已安排0次');
    expect(textOf(sent[0])).toContain('全年已开3次、已安排1次（要求全年不少于6次）');
    expect(bot.fake.messagesTo(councillor.id).filter((m) => textOf(m).startsWith('【会议提醒】'))).toHaveLength(0);
  });

  it('at year end reminds of the bodies short of their yearly count', async () => {
    clock.set('2026-12-20T01:00:00Z');
    await bot.linli.scheduler.run('meeting-frequency');
    await bot.flushOutbox();
    const texts = reminders().slice(1).map(textOf);
    expect(texts).toHaveLength(2);
    expect(texts.some((t) => t.includes('居民议事会') && t.includes('全年已开4次'))).toBe(true);
    expect(texts.some((t) => t.includes('居民（代表）会议') && t.includes('要求全年不少于2次'))).toBe(true);
  });

  it('writes the yearly record as XLSX and PDF, with the configured frequency', async () => {
    const body = await linli(bot.dbFile, ['meeting', 'body', '--community', 'badeng', '--body', 'assembly', '--per-year', '3']);
    expect(body.code).toBe(0);
    expect(body.out).toContain('assembly (居民（代表）会议): ≥3/year');
    const xlsx = join(dir, 'record.xlsx');
    const run = await linli(bot.dbFile, ['report', 'meetings', '--community', 'badeng', '--year', '2026', '--out', xlsx, '--as-of', '2026-12-31T12:00:00+08:00']);
    expect(run.err).toBe('');
    expect(run.out).toContain('6 meetings of 2026');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const [frequency, meetings, decisions] = wb.worksheets;
    expect(wb.worksheets.map((s) => s.name)).toEqual(['会议次数', '会议', '决定事项']);
    const rows = (frequency.getSheetValues() as unknown[][]).slice(2).map((r) => r.slice(1));
    const council = rows.find((r) => r[0] === '居民议事会')!;
    expect(council.slice(1, 9)).toEqual([6, 1, 2, 1, 0, 1, 4, 0]);
    expect(String(council[9])).toContain('未达标：全年尚差2次；不足季度：2026年第三季度');
    const assembly = rows.find((r) => r[0] === '居民（代表）会议')!;
    expect(assembly.slice(1, 8)).toEqual([3, 0, 0, 1, 0, 0, 1]);
    expect(rows.find((r) => r[0] === '两委联席会议')![9]).toBe('无次数要求');
    const listed = (meetings.getSheetValues() as unknown[][]).slice(2).map((r) => r.slice(1));
    expect(listed.map((r) => r[2])).toEqual(['二月例会', '三月例会', '上半年居民代表会议', '五月例会', '两委联席会', '十月例会']);
    // The first council meeting: one member (the council role holder) of one signed in.
    expect(listed[0].slice(5, 9)).toEqual([1, 1, 0, '是']);
    expect(decisions.rowCount).toBe(1);

    const pdf = join(dir, 'record.pdf');
    expect((await linli(bot.dbFile, ['report', 'meetings', '--community', 'badeng', '--year', '2026', '--out', pdf, '--as-of', '2026-12-31T12:00:00+08:00'])).code).toBe(0);
    const text = pdfText(pdf).replace(/\s+/g, '');
    expect(text).toContain('巴登社区2026年会议记录');
    expect(text).toContain('居民议事会：要求全年6次、每季度1次；已开4次');
    expect(text).toContain('第1号会议·居民议事会（二月例会）');
    const bad = await linli(bot.dbFile, ['report', 'meetings', '--community', 'badeng', '--year', '2026', '--out', join(dir, 'x.doc')]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('.xlsx or .pdf');
  });

  it('lists, shows and prints the sign-in sheet of meetings from the CLI, and refuses a past meeting', async () => {
    const list = await linli(bot.dbFile, ['meeting', 'list', '--community', 'badeng', '--year', '2026']);
    expect(list.out.trim().split('\n')).toHaveLength(6);
    const show = await linli(bot.dbFile, ['meeting', 'show', '1', '--community', 'badeng']);
    expect(show.out).toContain('第1号会议 · 居民议事会（二月例会）');
    expect(show.out).toContain('陈委员');
    const png = join(dir, 'qr.png');
    expect((await linli(bot.dbFile, ['meeting', 'sheet', '1', '--community', 'badeng', '--bot', 'linli_bot', '--out', png])).code).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const sheet = join(dir, 'sheet.pdf');
    const printed = await linli(bot.dbFile, ['meeting', 'sheet', '1', '--community', 'badeng', '--bot', 'linli_bot', '--out', sheet]);
    expect(printed.out).toContain(`https://t.me/linli_bot?start=mtg-${ids['二月例会']}`);
    expect(pdfText(sheet).replace(/\s+/g, '')).toContain('会议签到');
    // The QR code fills the middle of the page with ink.
    expect(inkShare(renderPage(sheet), { x: 0.3, y: 0.25, w: 0.4, h: 0.3 })).toBeGreaterThan(0.25);
    const past = await linli(bot.dbFile, ['meeting', 'create', '--community', 'badeng', '--body', 'council', '--at', '2020-01-01T19:00+08:00', '--place', '会议室', '--agenda', '议题']);
    expect(past.code).not.toBe(0);
    expect(past.err).toContain('in the future');
    expect(await bot.db.meeting.count()).toBe(6);
  });
});
