/**
 * Meetings end to end through the fake Bot API: a committee member schedules a council meeting
 * in /meeting, the groups get the notice and the day-before reminder through the outbox, members
 * sign in by tapping, by the QR code's deep link and by the secretary's roll call; the secretary
 * records minutes and decisions (an in-person vote naming the attendees, a poll for the
 * residents), publishes the minutes as a 居务 disclosure, corrects them with a reason, and the
 * week's digest shows the meeting. Bad input gets a clear answer and loses nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community } from '../../src/generated/prisma/client.ts';
import { verifyChain } from '../../src/domain/disclosures/chain.ts';
import { bindTelegramGroup, grantRole, makeCommunity, telegramPerson } from '../support/fixtures.ts';
import { buttonsOf, startTestBot, testClock, textOf, type TestBot } from '../support/harness.ts';

const secretary = { id: 7001, first_name: '王书记', language_code: 'zh-hans' };
const resident = { id: 7002, first_name: '张阿姨', language_code: 'zh-hans' };
const members = [
  { id: 7011, first_name: '陈委员', language_code: 'zh-hans' },
  { id: 7012, first_name: '刘委员', language_code: 'zh-hans' },
  { id: 7013, first_name: '赵委员', language_code: 'zh-hans' },
];
const visitor = { id: 7020, first_name: '周先生', language_code: 'zh-hans' };
const G1 = -1007001;

describe('meetings end to end', () => {
  let bot: TestBot;
  let community: Community;
  // Monday 7 December 2026, 10:00 in Shanghai.
  const clock = testClock('2026-12-07T02:00:00Z');

  const lastText = (id: number) => textOf(bot.last(id));
  const press = (who: { id: number }, label: string | RegExp) => bot.press(who as never, bot.last(who.id), label);
  const toasts = () => bot.fake.callbackAnswers.map((a) => String(a.text ?? ''));

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, G1, '巴登社区居民群');
    await grantRole(bot.db, community, secretary.id, 'committee');
    await grantRole(bot.db, community, resident.id, 'verified');
    for (const m of members) await grantRole(bot.db, community, m.id, 'council');
    // The names attendance is recorded under.
    for (const who of [...members, visitor]) {
      const person = await telegramPerson(bot.db, who.id);
      await bot.db.person.update({ where: { id: person.id }, data: { displayName: who.first_name } });
    }
    // Everyone has talked to the bot privately (so private notices reach them).
    for (const who of [secretary, resident, ...members, visitor]) await bot.say(who, '/start');
  });
  afterAll(() => bot.close());

  it('refuses a resident who tries to schedule a meeting', async () => {
    await bot.say(resident, '/meeting');
    expect(lastText(resident.id)).toContain('您没有办理此事项的权限');
    expect(await bot.db.meeting.count()).toBe(0);
  });

  it('schedules a council meeting, refusing a past time, and posts the notice with a sign-in button', async () => {
    await bot.say(secretary, '/meeting');
    expect(lastText(secretary.id)).toContain('召开哪类会议');
    await press(secretary, '居民议事会');
    await bot.say(secretary, '2026-12-01 19:00');
    expect(textOf(bot.fake.messagesTo(secretary.id).at(-2)!)).toContain('已经过去');
    await bot.say(secretary, '12月9日 19:00');
    await bot.say(secretary, '社区党群服务中心三楼会议室');
    await press(secretary, '跳过');
    await press(secretary, '添加议题（文字）');
    await bot.say(secretary, '小区东门加装门禁');
    await press(secretary, '添加议题（文字）');
    await bot.say(secretary, '2027年民生微实事项目征集安排');
    await press(secretary, '议题已列完');
    const preview = lastText(secretary.id);
    expect(preview).toContain('【会议通知预览】');
    expect(preview).toContain('1. 小区东门加装门禁');
    await press(secretary, '确认发通知');
    expect(lastText(secretary.id)).toContain('会议已安排（第1号）');
    await bot.flushOutbox();
    const notice = bot.last(G1);
    expect(textOf(notice)).toContain('【巴登社区会议通知】');
    expect(textOf(notice)).toContain('居民议事会');
    expect(textOf(notice)).toContain('一、小区东门加装门禁');
    expect(buttonsOf(notice)).toEqual(['签到']);
    const meeting = await bot.db.meeting.findFirstOrThrow({ include: { agenda: true } });
    expect(meeting.startsAt.toISOString()).toBe('2026-12-09T11:00:00.000Z');
    expect(meeting.agenda).toHaveLength(2);
    expect(await bot.db.auditEntry.count({ where: { action: 'meeting.schedule' } })).toBe(1);
  });

  it('reminds the groups and each council member the day before, once', async () => {
    clock.set('2026-12-08T12:00:00Z');
    await bot.linli.scheduler.run('meeting-reminders');
    await bot.linli.scheduler.run('meeting-reminders');
    await bot.flushOutbox();
    const reminders = bot.fake.messagesTo(G1).filter((m) => textOf(m).includes('会议提醒'));
    expect(reminders).toHaveLength(1);
    for (const m of members) expect(bot.fake.messagesTo(m.id).filter((x) => textOf(x).includes('会议提醒'))).toHaveLength(1);
    expect(bot.fake.messagesTo(resident.id).filter((x) => textOf(x).includes('会议提醒'))).toHaveLength(0);
  });

  it('refuses a sign-in the day before the meeting', async () => {
    const notice = bot.fake.messagesTo(G1).find((m) => textOf(m).includes('会议通知'))!;
    await bot.press(members[0], notice, '签到');
    expect(toasts().at(-1)).toContain('签到只在会议当天开放');
    expect(await bot.db.meetingAttendance.count()).toBe(0);
  });

  it('signs members in by tap, QR deep link and roll call, once each, and counts the quorum', async () => {
    clock.set('2026-12-09T10:45:00Z');
    const notice = bot.fake.messagesTo(G1).find((m) => textOf(m).includes('会议通知'))!;
    await bot.press(members[0], notice, '签到');
    expect(toasts().at(-1)).toContain('签到成功');
    await bot.press(members[0], notice, '签到');
    expect(toasts().at(-1)).toContain('无需重复签到');
    const meeting = await bot.db.meeting.findFirstOrThrow();
    await bot.say(members[1], `/start mtg-${meeting.id}`);
    expect(lastText(members[1].id)).toContain('签到成功');
    await bot.say(members[1], `/start mtg-${meeting.id}`);
    expect(lastText(members[1].id)).toContain('无需重复签到');
    // A visitor signs in as an observer (列席), not counted for the quorum.
    await bot.say(visitor, `/start mtg-${meeting.id}`);
    expect(lastText(visitor.id)).toContain('列席');

    await bot.say(secretary, '/meetings');
    await press(secretary, /管理：第1号/);
    expect(lastText(secretary.id)).toContain('应到成员3人，实到2人，列席1人；达到法定人数（须2人）');
    await press(secretary, '点名签到');
    expect(buttonsOf(bot.last(secretary.id))).toContain('☐ 赵委员');
    await press(secretary, '☐ 赵委员');
    expect(buttonsOf(bot.last(secretary.id))).toContain('☑ 赵委员');
    const rows = await bot.db.meetingAttendance.findMany({ orderBy: { at: 'asc' } });
    expect(rows.map((r) => [r.name, r.method, r.member])).toEqual([
      ['陈委员', 'tap', true],
      ['刘委员', 'qr', true],
      ['周先生', 'qr', false],
      ['赵委员', 'secretary', true],
    ]);
  });

  it('refuses minutes before the meeting began and a huge text, then records minutes with a vote and a poll', async () => {
    await bot.say(secretary, '/meetings');
    await press(secretary, /管理：第1号/);
    await press(secretary, '记录纪要');
    expect(lastText(secretary.id)).toContain('会议尚未开始');

    clock.set('2026-12-09T11:40:00Z');
    await bot.say(secretary, '/meetings');
    await press(secretary, /管理：第1号/);
    await press(secretary, '记录纪要');
    await press(secretary, /1\. 小区东门加装门禁/);
    await bot.say(secretary, '很'.repeat(3001));
    expect(lastText(secretary.id)).toMatch(/3000/);
    await bot.say(secretary, '与会成员认为东门夜间无人值守，同意加装门禁，费用从民生微实事资金列支。');
    await press(secretary, '形成决议');
    await bot.say(secretary, '同意在小区东门加装门禁系统。');
    await bot.say(secretary, '5 0 0');
    expect(lastText(secretary.id)).toContain('超过了已签到的参会成员3人');
    expect(await bot.db.meetingDecision.count()).toBe(0);
    await bot.say(secretary, '3 0 0');
    let card = lastText(secretary.id);
    expect(card).toContain('决议：同意在小区东门加装门禁系统。');
    expect(card).toContain('参加表决3人：陈委员、刘委员、赵委员');

    await press(secretary, '记录纪要');
    await press(secretary, /2\. 2027年/);
    await bot.say(secretary, '讨论了征集时间和方式，决定交居民投票确定征集截止日期。');
    await press(secretary, '交居民投票');
    await bot.say(secretary, '7');
    card = lastText(secretary.id);
    expect(card).toContain('交居民投票：2027年民生微实事项目征集安排');
    await bot.flushOutbox();
    const poll = await bot.db.poll.findFirstOrThrow();
    expect(poll.question).toBe('2027年民生微实事项目征集安排');
    expect(bot.fake.messagesTo(G1).some((m) => textOf(m).includes('2027年民生微实事项目征集安排') && buttonsOf(m).length > 1)).toBe(true);
    const decisions = await bot.db.meetingDecision.findMany({ orderBy: { at: 'asc' } });
    expect(decisions.map((d) => d.kind)).toEqual(['resolution', 'poll']);
    expect(JSON.parse(decisions[0].voters!).map((v: { name: string }) => v.name)).toEqual(['陈委员', '刘委员', '赵委员']);
  });

  it('publishes the minutes as a 居务 disclosure in the hash chain, then only corrects them with a reason', async () => {
    await bot.say(secretary, '/meetings');
    await press(secretary, /管理：第1号/);
    await press(secretary, '公开纪要');
    await press(secretary, '确认公开');
    expect(lastText(secretary.id)).toContain('居务公开第1号');
    const d = await bot.db.disclosure.findFirstOrThrow({ include: { versions: true } });
    expect(d.category).toBe('affairs');
    expect(d.versions[0].body).toContain('出席：陈委员、刘委员、赵委员');
    expect(d.versions[0].body).toContain('列席：周先生');
    expect(d.versions[0].body).toContain('现场表决：赞成3票，反对0票，弃权0票');
    await bot.flushOutbox();
    expect(bot.fake.messagesTo(G1).some((m) => textOf(m).includes('会议纪要'))).toBe(true);

    // Signing in after publication is refused; the record stays as it was.
    const notice = bot.fake.messagesTo(G1).find((m) => textOf(m).includes('会议通知'))!;
    await bot.press(resident, notice, '签到');
    expect(toasts().at(-1)).toContain('签到已结束');
    expect(await bot.db.meetingAttendance.count()).toBe(4);

    await bot.say(secretary, '/meetings');
    await press(secretary, /管理：第1号/);
    expect(buttonsOf(bot.last(secretary.id))).toEqual(['更正纪要', '列席人员登记为成员']);
    await press(secretary, '更正纪要');
    expect(lastText(secretary.id)).toContain('只能更正');
    await press(secretary, /1\. 小区东门加装门禁/);
    await bot.say(secretary, '与会成员认为东门夜间无人值守，同意加装门禁，费用从社区党群服务经费列支。');
    await bot.say(secretary, '经费来源记录有误');
    const versions = await bot.db.disclosureVersion.findMany({ where: { disclosureId: d.id }, orderBy: { version: 'asc' } });
    expect(versions).toHaveLength(2);
    expect(versions[1].reason).toBe('经费来源记录有误');
    expect(versions[1].body).toContain('社区党群服务经费');
    expect(versions[0].body).toContain('民生微实事资金');
    const [report] = await verifyChain(bot.db, community.id);
    expect(report.problems).toEqual([]);
  });

  it('shows the meeting in the next weekly digest', async () => {
    clock.set('2026-12-14T01:30:00Z'); // Monday 9:30 in Shanghai
    await bot.linli.scheduler.run('weekly-digest');
    await bot.flushOutbox();
    const digest = bot.fake.messagesTo(G1).filter((m) => textOf(m).includes('居民议事会') && textOf(m).includes('签到4人')).at(-1);
    expect(digest && textOf(digest)).toContain('纪要见居务公开第1号');
  });

  it('lets the committee list observers as members and set a body’s frequency in chat; not a resident', async () => {
    await bot.say(secretary, '/meetings');
    await press(secretary, /管理：第1号/);
    await press(secretary, '列席人员登记为成员');
    expect(lastText(secretary.id)).toContain('已将1位列席人员登记为居民议事会成员：周先生');
    await bot.say(secretary, '/meetingbody council 每年 12 每季 3');
    const listing = lastText(secretary.id);
    expect(listing).toContain('居民议事会（council）：全年不少于12次，每季度不少于3次，签到成员超过50%为达到法定人数；成员4人：陈委员、刘委员、赵委员、周先生');
    expect(listing).toContain('居民（代表）会议（assembly）：全年不少于2次');
    await bot.say(secretary, '/meetingbody council 很多次');
    expect(lastText(secretary.id)).toContain('请按“/meetingbody council 每年 6 每季 1 法定 0.5”的格式设置');
    await bot.say(secretary, '/meetingbody council 每年 99');
    expect(lastText(secretary.id)).toContain('0至52');
    expect((await bot.db.meetingBody.findFirstOrThrow({ where: { kind: 'council' } })).perYear).toBe(12);
    await bot.say(resident, '/meetingbody council 每年 1');
    expect(lastText(resident.id)).toContain('您没有办理此事项的权限');
    expect(await bot.db.auditEntry.count({ where: { action: 'meeting.body' } })).toBe(1);
  });
});
