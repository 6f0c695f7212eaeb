/**
 * Notices checked against the state they claim (#14 item 3): a proposal's seconds line, a poll
 * card's secrecy line, /polls listing only polls that have opened as running (and offering a vote
 * only on those), and /newpoll's "即刻开始" preview agreeing with what is announced after it —
 * on a clock that moves between reads, as a real one does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n/i18n.ts';
import { proposalCard } from '../../src/features/proposals/render.ts';
import { pollCard } from '../../src/features/polls/render.ts';
import { createPoll } from '../../src/domain/polls/polls.ts';
import type { Proposal } from '../../src/generated/prisma/client.ts';
import type { PollWithOptions } from '../../src/domain/polls/polls.ts';
import { runScenario, type ScenarioUser } from '../scenarios/driver.ts';
import { community } from '../scenarios/foundation.ts';
import { enrol } from '../scenarios/proposals.ts';
import { startTelegramDriver } from '../scenarios/telegramDriver.ts';
import { startWechatDriver } from '../scenarios/wechatDriver.ts';
import { OPERATOR } from '../support/fixtures.ts';
import { testClock, type TestClock } from '../support/harness.ts';

const t = createTranslator({ defaultLocale: 'zh-CN', timeZone: 'Asia/Shanghai' }).bind('zh-CN');

describe('a proposal card says "已达到附议人数" only when it is true', () => {
  const proposal = (status: string) => ({ id: 'p1', number: 3, title: '东门加装路灯', category: 'environment', location: '东门', costFen: null, authorName: '王阿姨', description: '东门夜间太暗。', status }) as unknown as Proposal;
  it.each([
    [0, false],
    [2, false],
    [3, true],
  ])('under review with %i of 3 seconds', (seconds, reached) => {
    const text = proposalCard(t, proposal('under_review'), seconds, 3).text;
    expect(text.includes('已达到附议人数')).toBe(reached);
    expect(text).toContain(`附议：${seconds}人`);
  });
});

describe('a poll card describes the secrecy of its own ballot', () => {
  const poll = (anonymous: boolean, liveResults: boolean) =>
    ({ number: 1, question: '是否同意？', description: null, electorate: 'residents', maxChoices: 1, anonymous, allowChange: true, liveResults, rule: 'majority', quorumKind: 'none', quorumValue: null, closesAt: new Date('2026-11-05T02:00:00Z'), shortId: 'abc', options: [{ id: 'o1', kind: 'yes', label: '', position: 1 }, { id: 'o2', kind: 'no', label: '', position: 2 }] }) as unknown as PollWithOptions;
  it('named: says the choice is recorded with the name, never "仅您本人可见"', () => {
    const text = pollCard(t, poll(false, false), null).text;
    expect(text).toContain('记名投票，您的选择将与您的称呼一并记录');
    expect(text).not.toMatch(/仅您本人可见|他人看不到/);
  });
  it('secret and live: says the counts are shown live', () => {
    const text = pollCard(t, poll(true, true), null).text;
    expect(text).toContain('实时公布');
    expect(text).not.toContain('截止后公布');
  });
  it('secret, results after the close: says so', () => {
    expect(pollCard(t, poll(true, false), null).text).toContain('截止后公布各选项票数');
  });
});

const committee: ScenarioUser = { id: 8001, name: '居委会小陈' };

for (const [platform, start] of [
  ['telegram', startTelegramDriver],
  ['wechat', startWechatDriver],
] as const) {
  describe(`/polls and /newpoll tell the truth about when a poll runs, on ${platform}`, () => {
    // Every read of the clock is a millisecond later, as on a real machine.
    const base = testClock('2026-11-02T02:00:00Z');
    const clock = Object.assign(() => {
      base.advance(1);
      return base();
    }, { set: base.set, advance: base.advance }) as TestClock;
    let driver: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => {
      driver = await start({ clock });
      await runScenario(driver, { name: 'setup', steps: [enrol(committee, 'committee')] });
    });
    afterAll(() => driver?.close());

    it('lists a scheduled poll apart, without a vote button', async () => {
      const c = await community({ driver, vars: {} });
      const draft = { options: 'standard' as const, maxChoices: 1, electorate: 'residents' as const, anonymous: true, allowChange: true, quorum: { kind: 'none' as const }, rule: 'majority' as const, liveResults: false };
      const now = clock();
      await createPoll(driver.db, { actor: OPERATOR, via: 'test' }, c.id, { ...draft, question: '是否同意周末开放活动室？', opensAt: new Date(now.getTime() + 86_400_000), closesAt: new Date(now.getTime() + 4 * 86_400_000) }, now);
      await driver.say(committee, '/polls');
      const text = driver.textsTo(committee).at(-1)!;
      expect(text).toContain('目前没有正在进行的投票');
      expect(text).toContain('即将开始的投票');
      expect(driver.optionsIn(committee).some((label) => /投票/.test(label) && !/截止|结束|关闭/.test(label))).toBe(false);
    });

    it('a poll previewed as starting at once is published at once, not announced as scheduled', async () => {
      const steps = [
        { say: '/newpoll', as: committee },
        { say: '是否同意在西门增设休息座椅？', as: committee },
        { choose: '跳过', as: committee },
        { choose: '赞成／反对／弃权', as: committee },
        { choose: '本社区已认证居民', as: committee },
        { say: '现在', as: committee },
        { choose: '3天', as: committee },
        { say: '0', as: committee },
        { choose: '得票超过实际投票人数的半数', as: committee },
        { choose: '不记名，截止前可改票', as: committee },
        { choose: '截止后公布结果', as: committee },
        { expect: committee, contains: '开始：即刻开始' },
        { choose: '确认发布', as: committee },
        { expect: committee, contains: '投票已发布', lacks: '将于' },
      ];
      await runScenario(driver, { name: 'newpoll now', steps });
      const poll = await driver.db.poll.findFirstOrThrow({ where: { question: { contains: '西门' } } });
      expect(poll.status).toBe('open');
    });
  });
}
