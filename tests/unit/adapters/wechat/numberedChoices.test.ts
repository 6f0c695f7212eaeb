/**
 * WeChat has no buttons: a bare number in a room stands for an option of the LAST message with
 * options there. With several polls (or proposals) open, a resident answering an older card
 * would vote in (or second) the wrong one; the bot refuses the bare number privately and points
 * to the unambiguous "投票 <poll> <option>" / "附议 <number>", which then work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoll } from '../../../../src/domain/polls/polls.ts';
import { submitProposal } from '../../../../src/domain/proposals/proposals.ts';
import { loadActor } from '../../../../src/domain/residents/people.ts';
import { publishPoll } from '../../../../src/features/polls/lifecycle.ts';
import { afterSubmit } from '../../../../src/features/proposals/flow.ts';
import { OPERATOR } from '../../../support/fixtures.ts';
import { testClock } from '../../../support/harness.ts';
import { runScenario, type ScenarioGroup, type ScenarioUser } from '../../../scenarios/driver.ts';
import { community } from '../../../scenarios/foundation.ts';
import { countIn, enrol } from '../../../scenarios/proposals.ts';
import { startWechatDriver } from '../../../scenarios/wechatDriver.ts';

const committee: ScenarioUser = { id: 5001, name: '居委会小张' };
const author: ScenarioUser = { id: 5002, name: '王阿姨' };
const voter: ScenarioUser = { id: 5003, name: '居民甲' };
const group: ScenarioGroup = { id: 5, title: '巴登社区居民群' };
const clock = testClock('2026-11-02T02:00:00Z');

let driver: Awaited<ReturnType<typeof startWechatDriver>>;
beforeAll(async () => {
  driver = await startWechatDriver({ clock });
  await runScenario(driver, {
    name: 'setup',
    steps: [enrol(committee, 'committee'), enrol(author, 'verified'), enrol(voter, 'verified'), { say: '/bind badeng', as: committee, in: group }],
  });
});
afterAll(() => driver.close());

const ballotsOf = async (number: number) =>
  (await driver.db.poll.findFirstOrThrow({ where: { number }, include: { ballots: { include: { choices: { include: { option: true } } } } } })).ballots.map((b) => b.choices[0].option.kind);

describe('numbered replies in a WeChat room with several open items', () => {
  it('refuses a bare number when two polls are open, and takes "投票 <poll> <option>"', async () => {
    const services = driver.bot.linli.services;
    const c = await runScenario(driver, { name: 'community', steps: [] }).then((w) => community(w));
    for (const question of ['是否同意在东门增设快递柜？', '是否同意更换中心花园座椅？']) {
      const poll = await createPoll(
        driver.db,
        { actor: OPERATOR, via: 'test' },
        c.id,
        { question, options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: true, allowChange: true, closesAt: new Date(clock().getTime() + 3 * 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false },
        clock(),
      );
      await publishPoll(services, poll);
    }
    await runScenario(driver, {
      name: 'two polls',
      steps: [
        { flushOutbox: true },
        // The voter answers the OLDER card (poll 1): the number would mean poll 2's option.
        { choose: '反对', as: voter, in: group, on: '第1号' },
        { told: voter, contains: ['2项投票正在进行', '投票 2 1'] },
        { silent: group },
        { say: '投票 1 2', as: voter, in: group, mention: true },
        { told: voter, contains: '已投票：反对' },
        { say: '/polls 2 1', as: voter, in: group },
        { told: voter, contains: '已投票：赞成' },
        { silent: group },
      ],
    });
    expect(await ballotsOf(1)).toEqual(['no']);
    expect(await ballotsOf(2)).toEqual(['yes']);
  });

  it('refuses a bare number when two proposals collect seconds, and takes "附议 <number>"', async () => {
    const c = await community({ driver, vars: {} });
    const person = await driver.db.person.findFirstOrThrow({ where: { identities: { some: { platformUserId: driver.accountId(author) } } } });
    const actor = await loadActor(driver.db, person);
    const draft = { category: 'environment', description: '小区垃圾分类投放点异味严重，希望加装除臭设备并定期清洗。', location: '北门垃圾站', costYuan: null, photos: [] };
    for (const title of ['垃圾站加装除臭设备', '中心花园增设座椅']) {
      const submitted = await submitProposal(driver.db, { actor, via: 'wechat', now: clock() }, c.id, '王阿姨', { ...draft, title });
      await afterSubmit(driver.bot.linli.services, submitted);
    }
    await runScenario(driver, {
      name: 'two proposals',
      steps: [
        { flushOutbox: true },
        { choose: /我要附议/, as: voter, in: group, on: '#1' },
        { told: voter, contains: ['2条提议正在征集附议', '附议 3'] },
        { silent: group },
        { say: '附议 1', as: voter, in: group, mention: true },
        { told: voter, contains: '#1 目前已有1人附议' },
        { say: '/second 1', as: voter, in: group },
        { told: voter, contains: '只能附议一次' },
        { say: '附议 99', as: voter, in: group, mention: true },
        { told: voter, contains: '未找到编号为“99”的提议' },
        { silent: group },
        { run: async (w) => expect(countIn(w, group, /民生微实事提议｜#/)).toBe(2) },
      ],
    });
    const seconds = await driver.db.proposalSecond.findMany({ include: { proposal: true } });
    expect(seconds.map((s) => s.proposal.number)).toEqual([1]);
  });
});
