/**
 * Cancelling and moving a meeting end to end through the fake Bot API: a committee member moves
 * a meeting from its card (a past time refused), the groups get the 更改通知 with the reason, the
 * original notice is rewritten, the body's members are told privately and the day-before
 * reminder goes out again for the new date, once; another meeting is cancelled (a huge reason
 * refused), its notice loses the sign-in button, sign-in is refused, a second cancel is refused
 * and the frequency record no longer counts it. Also the CLI's `meeting cancel|reschedule`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Community } from '../../src/generated/prisma/client.ts';
import { cancelMeeting, rescheduleMeeting } from '../../src/domain/meetings/changes.ts';
import { changeBodyMember } from '../../src/domain/meetings/bodies.ts';
import { frequencyOf } from '../../src/domain/meetings/frequency.ts';
import { loadActor } from '../../src/domain/residents/people.ts';
import { scheduleAndAnnounce } from '../../src/features/meetings/recording.ts';
import { linli as linliIn } from '../support/cliRun.ts';
import { bindTelegramGroup, grantRole, makeCommunity, telegramPerson } from '../support/fixtures.ts';
import { buttonsOf, freshDatabase, startTestBot, testClock, textOf, type TestBot } from '../support/harness.ts';

// These tests quote the CLI's English: the operator reads it in English (LINLI_CLI_LOCALE=en).
const linli = (dbFile: string, args: string[]) => linliIn(dbFile, args, { LINLI_CLI_LOCALE: 'en' });

const secretary = { id: 7101, first_name: '王书记', language_code: 'zh-hans' };
const resident = { id: 7102, first_name: '张阿姨', language_code: 'zh-hans' };
const members = [
  { id: 7111, first_name: '陈委员', language_code: 'zh-hans' },
  { id: 7112, first_name: '刘委员', language_code: 'zh-hans' },
];
const G1 = -1007101;

describe('cancelling and moving meetings', () => {
  let bot: TestBot;
  let community: Community;
  // Monday 7 December 2026, 10:00 in Shanghai.
  const clock = testClock('2026-12-07T02:00:00Z');
  const lastText = (id: number) => textOf(bot.last(id));
  const press = (who: { id: number }, label: string | RegExp) => bot.press(who as never, bot.last(who.id), label);
  const inGroup = (words: string) => bot.fake.messagesTo(G1).filter((m) => textOf(m).includes(words));
  const acting = async (who: { id: number }) => {
    const person = await telegramPerson(bot.db, who.id);
    return { actor: await loadActor(bot.db, person), via: 'telegram', now: clock() };
  };
  const openCard = async (number: number) => {
    await bot.say(secretary, '/meetings');
    await press(secretary, new RegExp(`管理：第${number}号`));
  };

  beforeAll(async () => {
    bot = await startTestBot({ clock });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, G1, '巴登社区居民群');
    await grantRole(bot.db, community, secretary.id, 'committee');
    await grantRole(bot.db, community, resident.id, 'verified');
    for (const m of members) await grantRole(bot.db, community, m.id, 'council');
    for (const who of [secretary, resident, ...members]) await bot.say(who, '/start');
    const a = await acting(secretary);
    for (const [startsAt, title] of [['2026-12-09T11:00:00Z', '门禁议事'], ['2026-12-15T11:00:00Z', '停车议事']] as const) {
      await scheduleAndAnnounce(bot.linli.services, a, { communityId: community.id, body: 'council', title, startsAt: new Date(startsAt), place: '党群服务中心三楼', agenda: [{ kind: 'text', title: '议题一' }] });
    }
    await bot.flushOutbox();
  });
  afterAll(() => bot.close());

  it('refuses a resident in the domain, whatever the buttons', async () => {
    const m = await bot.db.meeting.findFirstOrThrow({ where: { number: 1 } });
    await expect(cancelMeeting(bot.db, await acting(resident), m.id, '临时有事')).rejects.toMatchObject({ key: 'errors.forbidden' });
    await expect(rescheduleMeeting(bot.db, await acting(resident), m.id, { place: '别处会议室', reason: '临时有事' })).rejects.toThrow();
    expect((await bot.db.meeting.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('scheduled');
  });

  it('moves a meeting from its card: past time refused, notice with reason, original rewritten, members told, reminder again for the new date once', async () => {
    clock.set('2026-12-08T12:00:00Z');
    await bot.linli.scheduler.run('meeting-reminders');
    await bot.flushOutbox();
    expect(inGroup('会议提醒')).toHaveLength(1);

    await openCard(1);
    await press(secretary, '改期/换地点');
    expect(lastText(secretary.id)).toContain('新的会议时间');
    await bot.say(secretary, '2026-12-01 19:00');
    expect(textOf(bot.fake.messagesTo(secretary.id).at(-2)!)).toContain('已经过去');
    await bot.say(secretary, '12月11日 19:00');
    await press(secretary, '跳过');
    await bot.say(secretary, '会议室临时用于疫苗接种');
    expect(lastText(secretary.id)).toContain('确认更改第1号会议');
    await press(secretary, '确认更改');
    expect(lastText(secretary.id)).toContain('第1号会议已改为');
    const moved = await bot.db.meeting.findFirstOrThrow({ where: { number: 1 } });
    expect(moved.startsAt.toISOString()).toBe('2026-12-11T11:00:00.000Z');
    expect(moved.place).toBe('党群服务中心三楼');
    expect(moved.reminderSentAt).toBeNull();

    await bot.flushOutbox();
    const change = inGroup('会议更改通知');
    expect(change).toHaveLength(1);
    expect(textOf(change[0])).toContain('调整原因：会议室临时用于疫苗接种');
    expect(textOf(change[0])).toContain('现改于');
    expect(textOf(change[0])).not.toContain('会议地点改为');
    expect(buttonsOf(change[0])).toEqual(['签到']);
    const original = inGroup('会议通知').find((m) => textOf(m).includes('门禁议事') && !textOf(m).includes('更改'))!;
    const edited = bot.fake.messageState(G1, original.messageId)!;
    expect((edited as { text?: string }).text).toContain('时间或地点已更改');
    for (const m of members) expect(bot.fake.messagesTo(m.id).filter((x) => textOf(x).includes('会议更改通知'))).toHaveLength(1);
    expect(bot.fake.messagesTo(resident.id).filter((x) => textOf(x).includes('会议更改通知'))).toHaveLength(0);
    expect(await bot.db.auditEntry.count({ where: { action: 'meeting.reschedule' } })).toBe(1);

    // Not reminded again for the old date; reminded once the day before the new one.
    clock.set('2026-12-09T02:00:00Z');
    await bot.linli.scheduler.run('meeting-reminders');
    await bot.flushOutbox();
    expect(inGroup('会议提醒')).toHaveLength(1);
    clock.set('2026-12-10T12:00:00Z');
    await bot.linli.scheduler.run('meeting-reminders');
    await bot.linli.scheduler.run('meeting-reminders');
    await bot.flushOutbox();
    const reminders = inGroup('会议提醒');
    expect(reminders).toHaveLength(2);
    expect(textOf(reminders[1])).toContain('11日');
  });

  it('refuses moving into the past, to the same time and place, and after the meeting began', async () => {
    const m = await bot.db.meeting.findFirstOrThrow({ where: { number: 1 } });
    const a = await acting(secretary);
    await expect(rescheduleMeeting(bot.db, a, m.id, { startsAt: new Date('2026-12-10T00:00:00Z'), reason: '改到昨天' })).rejects.toMatchObject({ key: 'meetings.time_past' });
    await expect(rescheduleMeeting(bot.db, a, m.id, { startsAt: m.startsAt, place: m.place, reason: '没有变化' })).rejects.toMatchObject({ key: 'meetings.change_nothing' });
    clock.set('2026-12-11T11:30:00Z');
    await expect(cancelMeeting(bot.db, await acting(secretary), m.id, '已经开了')).rejects.toMatchObject({ key: 'meetings.change_begun' });
    clock.set('2026-12-11T12:00:00Z');
  });

  it('cancels a meeting from its card: huge reason refused, notice loses its button, sign-in and a second cancel refused, not counted', async () => {
    await openCard(2);
    const card = bot.last(secretary.id);
    await press(secretary, '取消会议');
    await bot.say(secretary, '因'.repeat(201));
    expect(textOf(bot.fake.messagesTo(secretary.id).at(-2)!)).toMatch(/200/);
    await bot.say(secretary, '场地施工，改期另行通知');
    await press(secretary, '确认取消会议');
    expect(lastText(secretary.id)).toContain('第2号会议已取消');
    expect((await bot.db.meeting.findFirstOrThrow({ where: { number: 2 } })).status).toBe('cancelled');
    expect(await bot.db.auditEntry.count({ where: { action: 'meeting.cancel' } })).toBe(1);

    await bot.flushOutbox();
    const cancel = inGroup('会议取消通知');
    expect(cancel).toHaveLength(1);
    expect(textOf(cancel[0])).toContain('取消原因：场地施工，改期另行通知');
    expect(buttonsOf(cancel[0])).toEqual([]);
    const original = inGroup('会议通知').find((m) => textOf(m).includes('停车议事'))!;
    const edited = bot.fake.messageState(G1, original.messageId)! as { text?: string; reply_markup?: unknown };
    expect(edited.text).toContain('本次会议已取消');
    expect(edited.reply_markup).toBeUndefined();
    for (const m of members) expect(bot.fake.messagesTo(m.id).filter((x) => textOf(x).includes('会议取消通知'))).toHaveLength(1);

    // The old card's button: refused, clearly.
    await bot.press(secretary as never, card, '取消会议');
    expect(lastText(secretary.id)).toContain('已经取消');
    await expect(cancelMeeting(bot.db, await acting(secretary), original ? (await bot.db.meeting.findFirstOrThrow({ where: { number: 2 } })).id : '', '再取消一次')).rejects.toMatchObject({ key: 'meetings.already_cancelled' });
    expect(inGroup('会议取消通知')).toHaveLength(1);

    clock.set('2026-12-15T10:50:00Z');
    await bot.say(members[0], '/signin 2');
    expect(lastText(members[0].id)).toContain('已取消，无需签到');
    expect(await bot.db.meetingAttendance.count()).toBe(0);

    const record = await frequencyOf(bot.db, community.id, 2026, clock(), 'Asia/Shanghai');
    const council = record.find((r) => r.body.kind === 'council')!;
    expect(council.held + council.planned).toBe(1);
  });
  it('adds and removes a body member picked in chat, paged, audited; refuses a resident and a non-resident', async () => {
    for (let i = 1; i <= 22; i++) {
      const person = await telegramPerson(bot.db, 7200 + i);
      await bot.db.person.update({ where: { id: person.id }, data: { displayName: `居民${String(i).padStart(2, '0')}` } });
      await grantRole(bot.db, community, 7200 + i, 'verified');
    }
    await bot.say(resident, '/meetingbody');
    expect(lastText(resident.id)).toContain('您没有办理此事项的权限');

    await bot.say(secretary, '/meetingbody');
    await press(secretary, '成员：居民议事会');
    expect(lastText(secretary.id)).toContain('现有成员2人');
    const liu = await telegramPerson(bot.db, members[1].id);
    await press(secretary, new RegExp(`移出 ${(await bot.db.person.findUniqueOrThrow({ where: { id: liu.id } })).displayName}`));
    expect(lastText(secretary.id)).toContain('现有成员1人');
    // The council's implicit list (its role holders) was written out: the other one stays.
    const council = await bot.db.meetingBody.findFirstOrThrow({ where: { communityId: community.id, kind: 'council' } });
    expect((await bot.db.meetingBodyMember.findMany({ where: { bodyId: council.id } })).map((m) => m.personId)).toEqual([(await telegramPerson(bot.db, members[0].id)).id]);
    expect(await bot.db.auditEntry.count({ where: { action: 'meeting.member_remove' } })).toBe(1);

    await press(secretary, '添加成员');
    // 22 residents, 张阿姨 and the removed council member: 24 people, 20 on the first page.
    expect(lastText(secretary.id)).toContain('第1/2页');
    const first = buttonsOf(bot.last(secretary.id));
    expect(first.filter((b) => b.startsWith('＋'))).toHaveLength(20);
    expect(first).toContain('下一页');
    await press(secretary, '下一页');
    expect(lastText(secretary.id)).toContain('第2/2页');
    const second = buttonsOf(bot.last(secretary.id)).filter((b) => b.startsWith('＋'));
    expect(second).toHaveLength(4);
    expect(first.some((b) => second.includes(b))).toBe(false);
    const pickPage = bot.last(secretary.id);
    await bot.press(secretary as never, pickPage, second[0]);
    expect(lastText(secretary.id)).toContain('现有成员2人');
    expect(lastText(secretary.id)).toContain(second[0].slice(2));
    expect(await bot.db.auditEntry.count({ where: { action: 'meeting.member_add' } })).toBe(1);
    // The same button again changes nothing.
    await bot.press(secretary as never, pickPage, second[0]);
    expect(bot.fake.callbackAnswers.at(-1)?.text).toContain('没有变化');
    expect(await bot.db.auditEntry.count({ where: { action: 'meeting.member_add' } })).toBe(1);

    const secretaryPerson = await telegramPerson(bot.db, secretary.id);
    await expect(changeBodyMember(bot.db, (await acting(secretary)).actor, 'telegram', council.id, secretaryPerson.id, true)).rejects.toMatchObject({ key: 'meetings.member_not_candidate' });
    await expect(changeBodyMember(bot.db, (await acting(resident)).actor, 'telegram', council.id, liu.id, true)).rejects.toMatchObject({ key: 'errors.forbidden' });
  });
});

describe('linli meeting cancel|reschedule', () => {
  let file: string;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    file = fresh.file;
    const community = await makeCommunity(fresh.db, 'baden');
    await bindTelegramGroup(fresh.db, community, G1, '巴登社区居民群');
    await fresh.db.$disconnect();
  });

  it('moves and cancels by number, refusing the past, a missing reason and a second cancel', async () => {
    const at = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const created = await linli(file, ['meeting', 'create', '--community', 'baden', '--body', 'council', '--at', at, '--place', '会议室', '--agenda', '议题']);
    expect(created.code).toBe(0);
    const number = created.out.trim();
    const past = await linli(file, ['meeting', 'reschedule', number, '--community', 'baden', '--at', '2020-01-01T19:00+08:00', '--reason', '试试']);
    expect(past.code).not.toBe(0);
    const noReason = await linli(file, ['meeting', 'cancel', number, '--community', 'baden']);
    expect(noReason.code).not.toBe(0);
    const moved = await linli(file, ['meeting', 'reschedule', number, '--community', 'baden', '--place', '二楼活动室', '--reason', '会议室维修']);
    expect(moved.code).toBe(0);
    expect(moved.out).toContain('二楼活动室');
    const cancelled = await linli(file, ['meeting', 'cancel', number, '--community', 'baden', '--reason', '议题已由街道统一安排']);
    expect(cancelled.code).toBe(0);
    const again = await linli(file, ['meeting', 'cancel', number, '--community', 'baden', '--reason', '议题已由街道统一安排']);
    expect(again.code).not.toBe(0);
    expect(again.err).toContain('already been cancelled');
  });
});
