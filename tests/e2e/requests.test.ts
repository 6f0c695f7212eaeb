/**
 * Residents' requests (民意诉求) end to end through the fake Bot API: an unverified resident
 * reports a broken light (photo first, then the sentence asked for), it reaches the committee,
 * is assigned, answered in time by the assignee and rated with one tap; a safety hazard misses
 * its deadline under a moved clock and is reminded, then escalated to the committee head only;
 * the month's figures in the digest section, the ratings report and the export; /mydata and
 * /forgetme. Bad input on the way: /report in a group, empty and 5,000-character text, a
 * reply to a closed request, assigning someone not allowed, a resident acting on another's
 * request, repeated taps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Community, Person } from '../../src/generated/prisma/client.ts';
import { startFakeBotApi, type FakeBotApi, type SentMessage } from '../support/fakeBotApi.ts';
import { buttonsOf, startTestBot, testClock, textOf, type TestBot } from '../support/harness.ts';
import { bindTelegramGroup, grantRole, makeCommunity, telegramPerson } from '../support/fixtures.ts';
import { assignTo, rateRequestAction, replyAction, viewRequest } from '../../src/features/requests/actions.ts';
import { runDeadlines } from '../../src/features/requests/deadlines.ts';
import { requestsDigest } from '../../src/features/requests/digest.ts';
import { requestSheets } from '../../src/features/requests/export.ts';
import { setHead } from '../../src/domain/requests/rules.ts';
import { writeTableToBuffer } from '../../src/export/table.ts';
import { sendDigest } from '../../src/features/digest/digest.ts';
import { parseIsoWeek } from '../../src/domain/digest/isoWeek.ts';

const GROUP = { id: -100777, type: 'supergroup' as const, title: '巴登社区居民群' };
const resident = { id: 3001, first_name: '王阿姨', language_code: 'zh-CN' };
const neighbour = { id: 3002, first_name: '张叔', language_code: 'zh-CN' };
const head = { id: 3009, first_name: '李主任', language_code: 'zh-CN' };
const worker = { id: 3010, first_name: '陈委员', language_code: 'zh-CN' };
// Monday 2 November 2026, 10:00 in Shanghai.
const clock = testClock('2026-11-02T02:00:00Z');

let fake: FakeBotApi;
let bot: TestBot;
let community: Community;
let residentPerson: Person;
let neighbourPerson: Person;
let workerPerson: Person;

function lastToast(): string {
  const calls = fake.calls.filter((c) => c.method === 'answerCallbackQuery' && c.params.text);
  return String(calls[calls.length - 1]?.params.text ?? '');
}

/** The latest message to a chat with a button of that label. */
function withButton(chatId: number, label: string | RegExp): SentMessage {
  const list = fake.messagesTo(chatId).filter((m) => buttonsOf(m).some((b) => (typeof label === 'string' ? b === label : label.test(b))));
  if (!list.length) throw new Error(`no message with button ${label} in ${chatId}: ${fake.messagesTo(chatId).map(textOf).slice(-3).join(' | ')}`);
  return list[list.length - 1];
}

/** Every text a chat received, joined. */
const allTo = (chatId: number) => fake.messagesTo(chatId).map(textOf).join('\n');
/** The message before the last one (the refusal before a question asked again). */
const beforeLast = (chatId: number) => fake.messagesTo(chatId).slice(-2).map(textOf)[0];

async function forge(from: typeof resident, data: string): Promise<void> {
  fake.pressButton({ from, messageId: 1, data, force: true });
  await bot.settle();
}

beforeAll(async () => {
  fake = await startFakeBotApi();
  bot = await startTestBot({ fake, clock });
  community = await makeCommunity(bot.db);
  await bindTelegramGroup(bot.db, community, GROUP.id);
  residentPerson = await telegramPerson(bot.db, resident.id, resident.first_name);
  neighbourPerson = await grantRole(bot.db, community, neighbour.id, 'verified');
  const headPerson = await grantRole(bot.db, community, head.id, 'committee');
  workerPerson = await grantRole(bot.db, community, worker.id, 'committee');
  await bot.db.person.update({ where: { id: workerPerson.id }, data: { displayName: worker.first_name } });
  await setHead(bot.db, community.id, headPerson.id);
});
afterAll(async () => {
  await bot.stop();
  await fake.close();
});

describe('a broken light, reported, assigned, answered in time and rated', () => {
  let requestId = '';

  it('points from the group to the private chat, showing nothing there', async () => {
    await bot.say(resident, '/report', GROUP);
    const pointer = bot.last(GROUP.id);
    expect(textOf(pointer)).toContain('请在与邻里的私聊中办理');
    const url = (pointer.replyMarkup as { inline_keyboard: { url?: string }[][] }).inline_keyboard[0][0].url!;
    expect(url).toBe(`https://t.me/linli_test_bot?start=rq-${community.id}`);
    expect(await bot.db.sceneSession.count()).toBe(0);
  });

  it('takes a photo first, asks for the sentence, refuses empty and 5,000-character text, and files it', async () => {
    // Not verified, so no community in a private chat: a bare /report says where to start.
    await bot.say(resident, '/report');
    expect(textOf(bot.last(resident.id))).toContain('请在所在社区的居民群里发送 /report');
    await bot.say(resident, `/start rq-${community.id}`);
    expect(textOf(bot.last(resident.id))).toContain('问题类别');
    await bot.press(resident, bot.last(resident.id), '设施维修');
    fake.sendPhoto({ from: resident });
    await bot.settle();
    // Only a photo: the photo is kept and a sentence is asked for.
    expect(textOf(bot.last(resident.id))).toContain('照片已收到。请再用一两句话说明');
    await bot.say(resident, '   ');
    expect(beforeLast(resident.id)).toContain('不能为空');
    await bot.say(resident, '灯'.repeat(5000));
    expect(beforeLast(resident.id)).toContain('内容过长（5000字）');
    await bot.say(resident, '3栋1单元楼道灯坏了一周，晚上上下楼很黑。');
    expect(textOf(bot.last(resident.id))).toContain('具体地点');
    await bot.say(resident, '3栋1单元楼道');
    const preview = textOf(bot.last(resident.id));
    expect(preview).toContain('类别：设施维修');
    expect(preview).toContain('照片：1张');
    await bot.press(resident, bot.last(resident.id), '提交');
    expect(textOf(bot.last(resident.id))).toContain('诉求第1号');
    // A repeated tap on the old confirm button files nothing more.
    const confirm = fake.messagesTo(resident.id).filter((m) => buttonsOf(m).includes('提交')).pop()!;
    await bot.press(resident, confirm, '提交');
    const rows = await bot.db.residentRequest.findMany();
    expect(rows).toHaveLength(1);
    const r = rows[0];
    requestId = r.id;
    expect(r.requesterId).toBe(residentPerson.id);
    expect(r.status).toBe('received');
    expect(r.photo?.length).toBeGreaterThan(0);
    expect(r.location).toBe('3栋1单元楼道');
    // Received Monday: three working days (Tue, Wed, Thu) end at Friday 00:00 in Shanghai.
    expect(r.dueAt.toISOString()).toBe('2026-11-05T16:00:00.000Z');
  });

  it('tells every committee member, privately; the group never sees the words', async () => {
    await bot.flushOutbox();
    expect(allTo(head.id)).toContain('【新诉求】第1号 · 设施维修');
    expect(allTo(worker.id)).toContain('3栋1单元楼道灯坏了一周');
    expect(allTo(GROUP.id)).not.toContain('楼道灯坏了');
  });

  it('refuses what is not allowed: another resident, a non-handler as assignee, the resident answering', async () => {
    await forge(neighbour, viewRequest.pack({ request: requestId }));
    expect(lastToast() + allTo(neighbour.id)).toContain('没有找到这条诉求');
    await forge(neighbour, rateRequestAction.pack({ request: requestId, rating: 'dissatisfied' }));
    expect(lastToast() + allTo(neighbour.id)).toContain('只有反映诉求的居民本人');
    await forge(head, assignTo.pack({ request: requestId, person: neighbourPerson.id }));
    expect(lastToast() + allTo(head.id)).toContain('只能指派给本社区的居委会成员或楼栋长');
    await forge(resident, assignTo.pack({ request: requestId, person: workerPerson.id }));
    expect(lastToast() + allTo(resident.id)).toContain('没有办理此事项的权限');
    await forge(resident, replyAction.pack({ request: requestId }));
    expect(lastToast() + allTo(resident.id)).toContain('由居委会或承办人答复');
    expect((await bot.db.residentRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe('received');
  });

  it('lets the committee assign it from /requests; the assignee and the resident are told', async () => {
    await bot.say(head, '/requests');
    expect(textOf(bot.last(head.id))).toContain('待办诉求（1件');
    await bot.press(head, bot.last(head.id), '查看诉求第1号');
    await bot.press(head, withButton(head.id, '指派承办人'), '指派承办人');
    await bot.press(head, bot.last(head.id), '陈委员（居委会成员）');
    expect(lastToast()).toContain('已指派');
    // The same tap again is refused, not a second assignment.
    await bot.press(head, withButton(head.id, '陈委员（居委会成员）'), '陈委员（居委会成员）');
    expect(lastToast() + textOf(bot.last(head.id))).toContain('已指派给这位承办人');
    expect(await bot.db.residentRequestEvent.count({ where: { requestId, kind: 'assign' } })).toBe(1);
    await bot.flushOutbox();
    expect(allTo(worker.id)).toContain('【诉求交办】第1号');
    expect(allTo(resident.id)).toContain('已由居委会指派专人办理');
  });

  it('is answered by the assignee the next day, within the deadline, and rated with one tap', async () => {
    clock.advance(24 * 3_600_000);
    await bot.press(worker, withButton(worker.id, '查看诉求第1号'), '查看诉求第1号');
    await bot.press(worker, withButton(worker.id, '答复居民'), '答复居民');
    await bot.say(worker, '已安排物业电工今天下午更换灯管，现已恢复照明。');
    await bot.press(worker, bot.last(worker.id), '发送答复');
    expect(textOf(bot.last(worker.id))).toContain('在时限内');
    await bot.flushOutbox();
    const answer = withButton(resident.id, '满意');
    expect(textOf(answer)).toContain('已安排物业电工');
    expect(buttonsOf(answer)).toEqual(['满意', '基本满意', '不满意']);
    await bot.press(resident, answer, '满意');
    expect(lastToast()).toContain('已评价：满意');
    await bot.press(resident, answer, '不满意');
    expect(lastToast()).toContain('已评价过');
    const r = await bot.db.residentRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(r.status).toBe('closed');
    expect(r.satisfaction).toBe('satisfied');
    expect(r.repliedAt!.getTime()).toBeLessThanOrEqual(r.dueAt.getTime());
  });

  it('refuses a reply to the closed request and shows the progress in /myreports', async () => {
    await forge(head, replyAction.pack({ request: requestId }));
    expect(lastToast() + allTo(head.id)).toContain('诉求第1号已办结，不能再答复');
    await bot.say(resident, '/myreports');
    expect(textOf(bot.last(resident.id))).toContain('诉求第1号 · 设施维修 · 已办结 满意');
    await bot.press(resident, bot.last(resident.id), '查看诉求第1号');
    const page = textOf(bot.last(resident.id));
    expect(page).toContain('答复居民');
    expect(page).toContain('居民评价：满意');
    // The resident's page does not name the handler.
    expect(page).not.toContain('陈委员');
  });
});

describe('a safety hazard that misses its deadline', () => {
  let requestId = '';

  it('is due at the end of the next working day (a Friday report: Monday)', async () => {
    clock.set('2026-11-06T02:00:00Z'); // Friday 10:00
    await bot.say(neighbour, '/report');
    await bot.press(neighbour, bot.last(neighbour.id), '安全隐患');
    // A caption that describes the problem is taken as the sentence.
    fake.sendPhoto({ from: neighbour, caption: '5栋楼下井盖松动，有小孩经过很危险' });
    await bot.settle();
    expect(textOf(bot.last(neighbour.id))).toContain('具体地点');
    await bot.say(neighbour, '跳过');
    await bot.press(neighbour, bot.last(neighbour.id), '提交');
    const r = await bot.db.residentRequest.findFirstOrThrow({ where: { number: 2 } });
    requestId = r.id;
    expect(r.text).toBe('5栋楼下井盖松动，有小孩经过很危险');
    expect(r.dueAt.toISOString()).toBe('2026-11-09T16:00:00.000Z');
  });

  it('reminds the committee on its last day, once', async () => {
    clock.set('2026-11-09T01:00:00Z'); // Monday 09:00
    await bot.flushOutbox();
    const before = allTo(worker.id).split('【办理提醒】').length;
    expect(await runDeadlines(bot.linli.services, clock())).toEqual({ reminded: 1, escalated: 0 });
    expect(await runDeadlines(bot.linli.services, clock())).toEqual({ reminded: 0, escalated: 0 });
    await bot.flushOutbox();
    expect(allTo(worker.id).split('【办理提醒】').length).toBe(before + 1);
  });

  it('escalates to the committee head only once the deadline passed unanswered', async () => {
    clock.set('2026-11-10T01:00:00Z'); // Tuesday 09:00
    expect(await runDeadlines(bot.linli.services, clock())).toEqual({ reminded: 0, escalated: 1 });
    expect(await runDeadlines(bot.linli.services, clock())).toEqual({ reminded: 0, escalated: 0 });
    await bot.flushOutbox();
    expect(allTo(head.id)).toContain('【超期督办】诉求第2号（安全隐患）');
    expect(allTo(worker.id)).not.toContain('【超期督办】');
    const r = await bot.db.residentRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(r.escalatedAt?.toISOString()).toBe('2026-11-10T01:00:00.000Z');
    await bot.say(head, '/requests');
    expect(textOf(bot.last(head.id))).toContain('已超期');
  });

  it('answered late, it counts as answered but not in time', async () => {
    await bot.press(head, bot.last(head.id), '查看诉求第2号');
    await bot.press(head, withButton(head.id, '答复居民'), '答复居民');
    await bot.say(head, '已通知物业加固井盖并设置警示标志。');
    await bot.press(head, bot.last(head.id), '发送答复');
    expect(textOf(bot.last(head.id))).toContain('已超过答复时限');
    await bot.flushOutbox();
    await bot.press(neighbour, withButton(neighbour.id, '基本满意'), '基本满意');
  });
});

describe("the month's figures", () => {
  it('are in the digest section, the ratings report and the export', async () => {
    // A third request, still open and overdue at the end of the month.
    clock.set('2026-11-20T02:00:00Z');
    await bot.say(resident, '/report');
    await bot.press(resident, bot.last(resident.id), '环境卫生');
    await bot.press(resident, bot.last(resident.id), '不拍照');
    await bot.say(resident, '小区垃圾桶三天没有清运了。');
    await bot.say(resident, '跳过');
    await bot.press(resident, bot.last(resident.id), '提交');
    clock.set('2026-11-30T02:00:00Z');

    const section = await requestsDigest(bot.linli.services, { communityId: community.id, from: new Date('2026-11-22T16:00:00Z'), to: new Date('2026-11-29T16:00:00Z'), locale: 'zh-CN' });
    const text = section!.lines.join('\n');
    // #1 answered after 1 working day, #2 after Fri 10:00 → Tue 09:05 (14h + 24h + 9h05 of working time), #3 open.
    expect(text).toContain('2026年11月：受理3件，已答复2件，其中按时答复1件');
    expect(text).toContain('超期未答复1件');
    expect(text).toContain('满意率100%（评价2件：满意1、基本满意1、不满意0）');
    const mean = Number(/平均答复用时([\d.]+)个工作日/.exec(text)![1]);
    expect(mean).toBeGreaterThan(1.4);
    expect(mean).toBeLessThan(1.6);
    expect(text).not.toContain('垃圾桶');
    // The same section in the digest the group receives, with numbers only.
    // The week #2 was answered in (a week with nothing new is a quiet digest without sections).
    await sendDigest(bot.linli.services, community.id, parseIsoWeek('2026-W46')!);
    await bot.flushOutbox();
    const digest = fake.messagesTo(GROUP.id).map(textOf).find((m) => m.includes('本周受理诉求'))!;
    expect(digest).toContain('本周受理诉求0件，答复1件');
    expect(digest).toContain('受理3件，已答复2件，其中按时答复1件');
    expect(digest).not.toMatch(/垃圾桶|井盖|楼道灯/);

    await bot.say(head, '/ratings 2026Q4');
    expect(allTo(head.id)).toContain('民意诉求办理情况');

    const t = bot.linli.services.i18n.bind('zh-CN');
    const csv = (await writeTableToBuffer({ format: 'csv', timeZone: 'Asia/Shanghai', sheets: requestSheets(bot.db, t, community.id, 'Asia/Shanghai', clock()) })).toString('utf8');
    expect(csv).not.toContain('井盖');
    const lines = csv.split(/\r\n/);
    const nov = parse(lines.find((l) => l.startsWith('2026-11'))!)[0];
    expect(nov.slice(0, 5)).toEqual(['2026-11', '3', '2', '1', '1']);
  });
});

describe('privacy', () => {
  it('lists requests in /mydata and erases their words on /forgetme, keeping the figures', async () => {
    await bot.say(resident, '/mydata');
    expect(allTo(resident.id)).toContain('我的诉求（2件）');
    await bot.say(resident, '/forgetme');
    await bot.press(resident, bot.last(resident.id), /确认/);
    const mine = await bot.db.residentRequest.findMany({ where: { number: { in: [1, 3] }, communityId: community.id } });
    expect(mine.every((r) => r.requesterId === null && r.text === '' && r.photo === null && r.erasedAt)).toBe(true);
    expect(await bot.db.residentRequest.count({ where: { communityId: community.id } })).toBe(3);
  });
});
