/**
 * Residents end to end through the fake Bot API: binding groups, the committee's code scene
 * and code list (revoke, re-issue), redemption by /verify and by deep link, throttling of
 * guessed codes, /members, /mydata and /forgetme keeping every tally intact — and no unit or
 * real name ever posted in a group.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCodes } from '../../src/domain/residents/verification.ts';
import { memberRemoveYes } from '../../src/features/residents/actions.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import type { SentMessage } from '../support/fakeBotApi.ts';
import { OPERATOR, grantRole, makeCommunity } from '../support/fixtures.ts';
import { buttonsOf, startTestBot, testClock, textOf, type TestBot } from '../support/harness.ts';

const CODE = /[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/g;

const admin = { id: 9001, first_name: 'Ops', language_code: 'zh-CN' };
const committee = { id: 9002, first_name: '周', last_name: '主任', language_code: 'zh-CN' };
const stranger = { id: 9003, first_name: '路人', language_code: 'zh-CN' };
const residentA = { id: 9011, first_name: '张', last_name: '伟', language_code: 'zh-CN' };
const residentB = { id: 9012, first_name: '李', last_name: '娜', language_code: 'zh-CN' };
const guesser = { id: 9013, first_name: '王', last_name: '强', language_code: 'zh-CN' };
const englishResident = { id: 9014, first_name: 'Anna', last_name: 'Smith', language_code: 'en' };

const groupOne = { id: -100201, type: 'supergroup' as const, title: '巴登社区一群' };
const groupTwo = { id: -100202, type: 'supergroup' as const, title: '巴登社区二群' };
const strangerGroup = { id: -100203, type: 'supergroup' as const, title: '某群' };

const UNIT_A = '5栋-1单元-302';
const UNIT_B = '5栋-1单元-303';

describe('residents end to end', () => {
  const clock = testClock(new Date());
  let bot: TestBot;
  let community: Community;
  let codes: string[] = [];

  const texts = (chatId: number) => bot.fake.messagesTo(chatId).map(textOf);
  const lastText = (chatId: number) => textOf(bot.last(chatId));
  const personOf = async (userId: number) =>
    (await bot.db.identity.findUniqueOrThrow({ where: { platform_platformUserId: { platform: 'telegram', platformUserId: String(userId) } } })).personId;

  beforeAll(async () => {
    bot = await startTestBot({ clock, env: { LINLI_ADMINS: `telegram:${admin.id}` } });
    community = await makeCommunity(bot.db);
    await grantRole(bot.db, community, committee.id, 'committee');
  });
  afterAll(async () => {
    await bot?.close();
  });

  describe('binding groups', () => {
    it('lets an admin from LINLI_ADMINS bind a group', async () => {
      await bot.say(admin, '/bind badeng', groupOne);
      expect(lastText(groupOne.id)).toContain('本群已关联至巴登社区');
      const group = await bot.db.chatGroup.findUniqueOrThrow({ where: { platform_chatId: { platform: 'telegram', chatId: String(groupOne.id) } } });
      expect(group.communityId).toBe(community.id);
    });

    it('lets a committee member bind a group, and audits it', async () => {
      await bot.say(committee, '/bind BADENG', groupTwo);
      expect(lastText(groupTwo.id)).toContain('本群已关联至巴登社区');
      const entries = await bot.db.auditEntry.findMany({ where: { action: 'group.bind', communityId: community.id } });
      expect(entries).toHaveLength(2);
      expect(entries[1].actorId).toBe(await personOf(committee.id));
    });

    it('refuses a non-member and leaves the group unbound', async () => {
      await bot.say(stranger, '/bind badeng', strangerGroup);
      expect(lastText(strangerGroup.id)).toContain('您没有办理此事项的权限');
      const group = await bot.db.chatGroup.findUniqueOrThrow({ where: { platform_chatId: { platform: 'telegram', chatId: String(strangerGroup.id) } } });
      expect(group.communityId).toBeNull();
      await bot.say(stranger, '/bind', strangerGroup);
      expect(lastText(strangerGroup.id)).toContain('您没有办理此事项的权限');
      await bot.say(committee, '/bind nowhere', strangerGroup);
      expect(lastText(strangerGroup.id)).toContain('您所在的居委会中没有社区代码“nowhere”');
    });

    it('is no loudspeaker: a stranger’s 3,000 characters get a short refusal that repeats none of them', async () => {
      const shout = `快来买${'广告推广'.repeat(750)}`.slice(0, 3000);
      const before = bot.fake.messagesTo(strangerGroup.id).length;
      for (const text of [`/bind ${shout}`, '/bind badeng', '/bind nowhere', '/bind']) await bot.say(stranger, text, strangerGroup);
      const answers = texts(strangerGroup.id).slice(before);
      // The same refusal whatever was typed: nothing tells whether a community code exists.
      expect(answers).toHaveLength(4);
      expect(new Set(answers).size).toBe(1);
      expect(answers[0]).toContain('您没有办理此事项的权限');
      expect(answers[0]).not.toContain('广告');
      expect(answers[0].length).toBeLessThan(100);
    });

    it('is no oracle: a committee member hears the same for an unknown code and another community’s, quoted short', async () => {
      await makeCommunity(bot.db, 'xiangmihu', '香蜜湖社区');
      const before = bot.fake.messagesTo(strangerGroup.id).length;
      await bot.say(committee, '/bind xiangmihu', strangerGroup);
      await bot.say(committee, '/bind nosuchplace', strangerGroup);
      const [other, unknown] = texts(strangerGroup.id).slice(before);
      expect(other.replace('xiangmihu', 'X')).toBe(unknown.replace('nosuchplace', 'X'));
      expect(other).not.toContain('香蜜湖');
      await bot.say(committee, `/bind ${'广告推广'.repeat(750)}`, strangerGroup);
      const long = lastText(strangerGroup.id);
      expect(long).toContain(`“${'广告推广'.repeat(5).slice(0, 19)}…”`);
      expect([...(/“(.*)”/.exec(long)![1])].length).toBe(20);
      expect(long.length).toBeLessThan(80);
      const group = await bot.db.chatGroup.findUniqueOrThrow({ where: { platform_chatId: { platform: 'telegram', chatId: String(strangerGroup.id) } } });
      expect(group.communityId).toBeNull();
      // An administrator may bind anywhere, so for them an unknown code is simply unknown.
      await bot.say(admin, '/bind nosuchplace', strangerGroup);
      expect(lastText(strangerGroup.id)).toContain('未找到社区代码“nosuchplace”');
    });
  });

  describe('codes', () => {
    it('creates codes in the scene, re-asking on bad answers, and prints them privately', async () => {
      await bot.say(committee, '/codes');
      const list = bot.last(committee.id);
      // Only the code the committee member was verified with so far.
      expect(textOf(list)).toContain('共1个');
      expect(textOf(list)).toContain('居委会成员｜已使用');
      await bot.press(committee, list, '生成新认证码');
      const rolePrompt = bot.last(committee.id);
      // A committee member may hand out resident, council and invited codes, not committee/staff.
      expect(buttonsOf(rolePrompt)).toEqual(['已认证居民', '居民议事会成员', '特邀委员']);
      await bot.press(committee, rolePrompt, '已认证居民');
      expect(lastText(committee.id)).toContain('楼栋-单元-房号');
      await bot.say(committee, '跳过');
      expect(texts(committee.id).slice(-2)[0]).toContain('房号格式有误');
      await bot.say(committee, '5栋'.repeat(30));
      expect(texts(committee.id).slice(-2)[0]).toContain('内容过长');
      await bot.say(committee, '5栋 1单元 302');
      expect(lastText(committee.id)).toContain('数量');
      await bot.say(committee, '很多');
      expect(texts(committee.id).slice(-2)[0]).toContain('未能识别为数字');
      await bot.say(committee, '0');
      expect(texts(committee.id).slice(-2)[0]).toContain('不能小于1');
      await bot.say(committee, '51');
      expect(texts(committee.id).slice(-2)[0]).toContain('不能大于50');
      await bot.say(committee, '２'); // full-width digit
      await bot.press(committee, bot.last(committee.id), '14天');
      const confirm = bot.last(committee.id);
      expect(textOf(confirm)).toContain(UNIT_A);
      expect(textOf(confirm)).toContain('2个认证码');
      await bot.press(committee, confirm, '确认生成');
      const created = lastText(committee.id);
      codes = [...new Set(created.match(CODE) ?? [])];
      expect(codes).toHaveLength(2);
      expect(created).toContain(`https://t.me/linli_test_bot?start=${codes[0]}`);
      expect(await bot.db.verificationCode.count({ where: { communityId: community.id, unit: UNIT_A } })).toBe(2);
      // Only hashes are stored.
      const stored = await bot.db.verificationCode.findMany();
      expect(stored.some((c) => codes.some((code) => c.codeHash.includes(code.replace('-', ''))))).toBe(false);
    });

    it('redeems a code with /verify and refuses a second redemption', async () => {
      await bot.say(residentA, `/verify ${codes[0].toLowerCase()}`);
      expect(lastText(residentA.id)).toContain(`认证成功！您已认证为巴登社区${UNIT_A}住户`);
      await bot.say(residentB, `/verify ${codes[0]}`);
      expect(lastText(residentB.id)).toContain('该认证码已被使用');
      await bot.say(residentA, `/verify ${codes[0]}`);
      expect(lastText(residentA.id)).toContain('无需重复认证');
    });

    it('redeems a code through the deep link /start <code>', async () => {
      await bot.say(residentB, `/start ${codes[1]}`);
      expect(lastText(residentB.id)).toContain('认证成功');
      const b = await personOf(residentB.id);
      expect(await bot.db.membership.count({ where: { personId: b, communityId: community.id, role: 'verified' } })).toBe(1);
    });

    it('refuses a code typed in a group without redeeming it', async () => {
      const [code] = await issueCodes(bot.db, OPERATOR, 'cli', { communityId: community.id, unit: UNIT_B, role: 'verified', count: 1, expiresInMs: 86_400_000 }, clock());
      await bot.say(englishResident, `/verify ${code}`, groupOne);
      expect(lastText(groupOne.id)).toContain("don't send codes in a group");
      expect(await bot.db.verificationCode.count({ where: { redeemedAt: { not: null }, unit: UNIT_B } })).toBe(0);
    });

    it('lists codes with status, withdraws one and re-issues another', async () => {
      const [toRevoke, toReissue] = await issueCodes(bot.db, OPERATOR, 'cli', { communityId: community.id, role: 'council', count: 2, expiresInMs: 7 * 86_400_000 }, clock());
      await bot.say(committee, '/codes');
      const list = bot.last(committee.id);
      const text = textOf(list);
      expect(text).toContain('共6个');
      expect(text.match(/已使用/g)).toHaveLength(3);
      expect(text.match(/未使用/g)).toHaveLength(3);
      expect(text).toContain(`尾号${toRevoke.slice(-2)}`);
      expect(text).not.toContain(toRevoke); // never the code itself
      // Newest first: the two council codes are lines 1 and 2 (same time; order by id desc).
      const lineOf = (code: string) => text.split('\n').find((l) => l.includes(`尾号${code.slice(-2)}｜不绑定住户`))!;
      const nRevoke = /^(\d+)\./.exec(lineOf(toRevoke))![1];
      await bot.press(committee, list, `作废 ${nRevoke}`);
      await bot.press(committee, bot.last(committee.id), '确认作废');
      expect(lastText(committee.id)).toContain('已作废');
      await bot.say(englishResident, `/verify ${toRevoke}`);
      expect(lastText(englishResident.id)).toContain('withdrawn by the committee');

      await bot.say(committee, '/codes');
      const list2 = bot.last(committee.id);
      expect(textOf(list2).match(/已作废/g)).toHaveLength(1);
      const nReissue = /^(\d+)\./.exec(textOf(list2).split('\n').find((l) => l.includes(`尾号${toReissue.slice(-2)}｜不绑定住户`))!)![1];
      await bot.press(committee, list2, `重发 ${nReissue}`);
      const ask = bot.last(committee.id);
      await bot.press(committee, ask, '确认重发');
      const fresh = [...new Set(lastText(committee.id).match(CODE))];
      expect(fresh).toHaveLength(1);
      expect(fresh[0]).not.toBe(toReissue);
      // A second tap on the same confirmation does not mint another code.
      const before = await bot.db.verificationCode.count();
      await bot.press(committee, ask, '确认重发');
      const answers = bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery');
      expect(String(answers[answers.length - 1].params.text)).toContain('无法再次重发');
      expect(await bot.db.verificationCode.count()).toBe(before);
      await bot.say(englishResident, `/verify ${toReissue}`);
      expect(lastText(englishResident.id)).toContain('withdrawn');
      await bot.say(englishResident, `/verify ${fresh[0]}`);
      expect(lastText(englishResident.id)).toContain('Done! You are now');
      const actions = (await bot.db.auditEntry.findMany({ where: { communityId: community.id } })).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['code.issue', 'code.revoke', 'code.reissue', 'code.redeem']));
    });

    it('throttles twenty wrong codes, and a right one only works after the window', async () => {
      const [right] = await issueCodes(bot.db, OPERATOR, 'cli', { communityId: community.id, unit: '9栋-9单元-909', role: 'verified', count: 1, expiresInMs: 86_400_000 }, clock());
      for (let i = 0; i < 20; i++) await bot.say(guesser, `/verify AAAA-${String(2222 + i).replace(/[01]/g, '3')}`);
      const answers = texts(guesser.id);
      expect(answers.slice(0, 5).every((t) => t.includes('认证码无效'))).toBe(true);
      expect(answers.slice(5).every((t) => t.includes('输错次数过多'))).toBe(true);
      await bot.say(guesser, `/verify ${right}`);
      expect(lastText(guesser.id)).toContain('输错次数过多');
      clock.advance(14 * 60_000);
      await bot.say(guesser, `/start ${right}`);
      expect(lastText(guesser.id)).toContain('输错次数过多');
      clock.advance(2 * 60_000);
      await bot.say(guesser, `/verify ${right}`);
      expect(lastText(guesser.id)).toContain('认证成功');
    });

    it('throttles wrong codes per community too, across several accounts', async () => {
      // Out of every earlier window.
      clock.advance(11 * 60_000);
      const [right] = await issueCodes(bot.db, OPERATOR, 'cli', { communityId: community.id, unit: '9栋-9单元-910', role: 'verified', count: 1, expiresInMs: 86_400_000 }, clock());
      const crowd = Array.from({ length: 4 }, (_, i) => ({ id: 9100 + i, first_name: `新号${i}`, language_code: 'zh-CN' }));
      // Each account stays under its own limit of 5; together they make 20 wrong tries.
      for (const [n, account] of crowd.entries()) {
        for (let i = 0; i < 5; i++) await bot.say(account, `/verify BBBB-${String(2222 + n * 10 + i).replace(/[01]/g, '3')}`);
        expect(texts(account.id).every((t) => t.includes('认证码无效'))).toBe(true);
      }
      const fresh = { id: 9110, first_name: '新号', language_code: 'zh-CN' };
      // A fresh account, even with a right code, is held back — and hears nothing about the code.
      await bot.say(fresh, `/verify ${right}`);
      expect(lastText(fresh.id)).toContain('认证暂停受理，请10分钟后再试');
      await bot.say(fresh, '/verify CCCC-2345');
      expect(lastText(fresh.id)).toBe(texts(fresh.id)[0]);
      expect((await bot.db.verificationCode.findFirstOrThrow({ where: { unit: '9栋-9单元-910' } })).redeemedAt).toBeNull();
      // A resident of the community is counted in the community's own window, not the strangers'.
      await bot.say(residentB, '/verify DDDD-2345');
      expect(lastText(residentB.id)).toContain('认证码无效');
      clock.advance(10 * 60_000 + 1000);
      await bot.say(fresh, `/verify ${right}`);
      expect(lastText(fresh.id)).toContain('认证成功');
      clock.advance(11 * 60_000);
    });
  });

  describe('members', () => {
    it('lists members with units in private and removes a verification after confirming', async () => {
      await bot.say(committee, '/members');
      const list = bot.last(committee.id);
      const text = textOf(list);
      expect(text).toContain('张 伟｜已认证居民｜5栋-1单元-302');
      expect(text).toContain('居民9002｜居委会成员');
      // Buttons name the member (a bare number would read "1. 1" in WeChat's numbered options).
      expect(buttonsOf(list).filter((b) => /^\d+$/.test(b))).toEqual([]);
      await bot.press(committee, list, '王 强');
      const detail = bot.last(committee.id);
      expect(textOf(detail)).toContain('9栋-9单元-909');
      expect(buttonsOf(detail)).toContain('撤销居民认证');
      await bot.press(committee, detail, '撤销居民认证');
      await bot.press(committee, bot.last(committee.id), '确认');
      expect(lastText(committee.id)).toContain('已撤销“王 强”的居民认证');
      const g = await personOf(guesser.id);
      expect(await bot.db.membership.count({ where: { personId: g } })).toBe(0);
      const audit = await bot.db.auditEntry.findFirstOrThrow({ where: { action: 'verification.remove', targetId: g } });
      expect(audit.actorId).toBe(await personOf(committee.id));
      expect(audit.details).not.toContain('9栋');
      // The same confirmation again finds nothing to remove.
      await bot.press(committee, bot.fake.messagesTo(committee.id).slice(-2)[0], '确认');
      const answers = bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery');
      expect(String(answers[answers.length - 1].params.text)).toContain('没有此项身份');
    });

    it('does not let a committee member remove a committee role', async () => {
      const me = await personOf(committee.id);
      bot.fake.pressButton({ from: committee, messageId: bot.last(committee.id).messageId, data: memberRemoveYes.pack({ person: me, role: 'committee' }), force: true });
      await bot.settle();
      const answers = bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery');
      expect(String(answers[answers.length - 1].params.text)).toContain('需由系统管理员调整');
      expect(await bot.db.membership.count({ where: { personId: me, role: 'committee' } })).toBe(1);
    });
  });

  describe('privacy', () => {
    /** A named vote as the bot stores it: who voted (participation) and the ballot that points to it. Returns the participation's id. */
    const castNamed = async (pollId: string, voterKey: string, personId: string, voterName: string | null, optionId: string) =>
      (
        await bot.db.pollParticipation.create({
          data: { id: randomUUID(), pollId, voterKey, personId, voterName, castAt: clock(), updatedAt: clock(), ballot: { create: { id: randomUUID(), pollId, choices: { create: [{ optionId }] } } } },
        })
      ).id;
    let pollId: string;
    let householdBallotId: string;
    let proposalId: string;

    it('sends /mydata privately, with a JSON file', async () => {
      const a = await personOf(residentA.id);
      const poll = await bot.db.poll.create({
        data: { communityId: community.id, number: 1, shortId: 'rs1', question: '是否加装电梯', electorate: 'residents', opensAt: clock(), closesAt: new Date(clock().getTime() + 86_400_000), options: { create: [{ position: 1, label: '同意' }, { position: 2, label: '反对' }] } },
        include: { options: true },
      });
      pollId = poll.id;
      const household = await bot.db.household.findFirstOrThrow({ where: { unit: UNIT_A } });
      await castNamed(pollId, `p:${a}`, a, '张 伟', poll.options[0].id);
      const b = await personOf(residentB.id);
      await castNamed(pollId, `p:${b}`, b, null, poll.options[1].id);
      const poll2 = await bot.db.poll.create({
        data: { communityId: community.id, number: 2, shortId: 'rs2', question: '绿化改造', electorate: 'households', opensAt: clock(), closesAt: new Date(clock().getTime() + 86_400_000), options: { create: [{ position: 1, label: '同意' }] } },
        include: { options: true },
      });
      householdBallotId = await castNamed(poll2.id, `h:${household.id}`, a, null, poll2.options[0].id);
      const proposal = await bot.db.proposal.create({
        data: { communityId: community.id, number: 1, authorId: a, authorName: '张 伟', title: '修缮单车棚', category: 'repair', description: '单车棚顶棚漏雨', location: '5栋旁', status: 'submitted' },
      });
      proposalId = proposal.id;
      await bot.db.proposalEvent.create({ data: { proposalId, toStatus: 'submitted', actorId: a } });
      await bot.db.proposalSecond.create({ data: { proposalId, personId: a, voterKey: `p:${a}` } });
      await bot.db.proposalSecond.create({ data: { proposalId, personId: b, voterKey: `p:${b}` } });

      await bot.say(residentA, '/mydata', groupOne);
      expect(lastText(groupOne.id)).toContain('请在与“邻里”的私聊中办理');
      await bot.say(residentA, '/mydata');
      const msgs = bot.fake.messagesTo(residentA.id).slice(-2);
      const summary = textOf(msgs[0]);
      expect(summary).toContain('张 伟');
      expect(summary).toContain(`巴登社区｜已认证居民｜房号：${UNIT_A}`);
      expect(summary).toContain(`Telegram账号 ${residentA.id}`);
      expect(summary).toContain('我的提议（1项）');
      expect(summary).toContain('#1 修缮单车棚');
      expect(summary).toContain('我的附议（1次）');
      expect(summary).toContain('我的投票（2次）');
      expect(summary).toContain('第1号“是否加装电梯”：同意');
      expect(summary).toMatch(/我的操作记录（审计日志）：[1-9]/);
      expect(msgs[1].method).toBe('sendDocument');
      const json = JSON.parse(msgs[1].file!.bytes!.toString('utf8'));
      expect(json.person.id).toBe(a);
      expect(json.memberships[0].unit).toBe(UNIT_A);
      expect(json.ballots).toHaveLength(2);
      expect(json.audit.map((e: { action: string }) => e.action)).toContain('code.redeem');
    });

    it('refuses an expired /forgetme confirmation, and "keep" changes nothing', async () => {
      await bot.say(residentA, '/forgetme');
      const ask = bot.last(residentA.id);
      clock.advance(11 * 60_000);
      await bot.press(residentA, ask, '确认删除');
      const answers = bot.fake.calls.filter((c) => c.method === 'answerCallbackQuery');
      expect(String(answers[answers.length - 1].params.text)).toContain('已失效');
      await bot.press(residentA, ask, '暂不删除');
      expect(lastText(residentA.id)).toContain('未作任何改动');
      expect(await bot.db.identity.count({ where: { platformUserId: String(residentA.id) } })).toBe(1);
    });

    it('erases the person in /forgetme while every tally stays the same', async () => {
      const a = await personOf(residentA.id);
      const choicesBefore = await bot.db.ballotChoice.groupBy({ by: ['optionId'], _count: { _all: true }, orderBy: { optionId: 'asc' } });
      const ballotsBefore = await bot.db.ballot.count();
      const secondsBefore = await bot.db.proposalSecond.count({ where: { proposalId } });
      await bot.say(residentA, '/forgetme');
      await bot.press(residentA, bot.last(residentA.id), '确认删除');
      expect(lastText(residentA.id)).toContain('您的个人信息已删除');

      // Tallies unchanged.
      expect(await bot.db.ballotChoice.groupBy({ by: ['optionId'], _count: { _all: true }, orderBy: { optionId: 'asc' } })).toEqual(choicesBefore);
      expect(await bot.db.ballot.count()).toBe(ballotsBefore);
      expect(await bot.db.proposalSecond.count({ where: { proposalId } })).toBe(secondsBefore);
      // Nothing links back.
      const ballots = await bot.db.pollParticipation.findMany({ where: { pollId } });
      expect(ballots.filter((x) => x.voterKey.startsWith('x:'))).toHaveLength(1);
      expect(ballots.some((x) => x.personId === a || x.voterKey.includes(a) || x.voterName)).toBe(false);
      const householdBallot = await bot.db.pollParticipation.findUniqueOrThrow({ where: { id: householdBallotId } });
      expect(householdBallot.voterKey).toMatch(/^h:/);
      expect(householdBallot.personId).toBeNull();
      const seconds = await bot.db.proposalSecond.findMany({ where: { proposalId } });
      expect(seconds.some((s) => s.personId === a || s.voterKey.includes(a))).toBe(false);
      const proposal = await bot.db.proposal.findUniqueOrThrow({ where: { id: proposalId } });
      expect(proposal.authorId).toBeNull();
      expect(proposal.authorName).toBe('已注销居民');
      expect(await bot.db.proposalEvent.count({ where: { actorId: a } })).toBe(0);
      // Personal data gone.
      const person = await bot.db.person.findUniqueOrThrow({ where: { id: a } });
      expect(person.displayName).toBe('已注销居民');
      expect(person.erasedAt).not.toBeNull();
      expect(await bot.db.identity.count({ where: { personId: a } })).toBe(0);
      expect(await bot.db.membership.count({ where: { personId: a } })).toBe(0);
      expect(await bot.db.sceneSession.count({ where: { personId: a } })).toBe(0);
      expect(await bot.db.redemptionAttempt.count({ where: { platformUserId: String(residentA.id) } })).toBe(0);
      expect(await bot.db.verificationCode.count({ where: { redeemedById: a } })).toBe(0);
      expect(await bot.db.auditEntry.count({ where: { action: 'person.forget', actorId: a } })).toBe(1);
      // The same account now meets Linli as a new, unverified person.
      await bot.say(residentA, '/whoami');
      expect(lastText(residentA.id)).toContain('尚未认证');
      expect(await personOf(residentA.id)).not.toBe(a);
    });
  });

  it('never posts a unit number or a real name in a group', async () => {
    const groupTexts = [groupOne, groupTwo, strangerGroup].flatMap((g) => bot.fake.messagesTo(g.id)).map((m: SentMessage) => textOf(m));
    expect(groupTexts.length).toBeGreaterThan(3);
    const forbidden = [UNIT_A, UNIT_B, '9栋-9单元-909', '5栋', '张 伟', '李 娜', '王 强', '周 主任', 'Anna Smith'];
    for (const t of groupTexts) for (const f of forbidden) expect(t).not.toContain(f);
  });
});
