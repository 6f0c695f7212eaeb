/**
 * Typing an option's words instead of tapping it or replying its number (#14 item 1): in a
 * scene on every platform ("不配图", "本社区全部群", "不置顶", "确认发布" — any width or case,
 * spaces around), and outside scenes on WeChat, whose menus are numbered ("English", "弃权").
 * Two options with one label are not guessed: the person is asked for the number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnAllPlatforms } from '../scenarios/platforms.ts';
import { runScenario, type Scenario, type ScenarioGroup, type ScenarioUser } from '../scenarios/driver.ts';
import { community } from '../scenarios/foundation.ts';
import { enrol } from '../scenarios/proposals.ts';
import { startWechatDriver } from '../scenarios/wechatDriver.ts';
import { createPoll } from '../../src/domain/polls/polls.ts';
import { publishPoll } from '../../src/features/polls/lifecycle.ts';
import { OPERATOR } from '../support/fixtures.ts';
import { testClock } from '../support/harness.ts';

const u = (id: number, name: string): ScenarioUser => ({ id, name });
const clerk = u(6001, '居委会小周');
const voter = u(6002, '居民钱');
const english = u(6003, 'Mia');
const group: ScenarioGroup = { id: 6, title: '巴登社区通知群' };
const leaver = u(6004, '居民孙');
const switcher = u(6005, 'Leo');

const scenarios: Scenario[] = [
  {
    name: 'a committee member answers every step of /announce by typing the labels',
    steps: [
      enrol(clerk, 'committee'),
      { say: '/bind badeng', as: clerk, in: group },
      { say: '/announce', as: clerk },
      { say: '本周六上午9点在东门广场开展义诊活动，欢迎居民参加。', as: clerk },
      { say: ' 不配图 ', as: clerk },
      { expect: clerk, contains: '发布范围' },
      { say: '本社区全部群', as: clerk },
      { say: '立即发布', as: clerk },
      { say: '不置顶', as: clerk },
      { expect: clerk, contains: ['【公告预览】', '配图：无', '置顶：否'] },
      { say: '确认发布', as: clerk },
      { expect: clerk, contains: '公告已提交发布' },
      {
        run: async (w) => {
          const a = await w.driver.db.announcement.findFirstOrThrow({ where: { text: { contains: '义诊' } } });
          expect(a.pin).toBe(false);
          expect(a.status).toBe('sent');
          expect(a.image).toBeNull();
        },
      },
    ],
  },
  {
    name: 'a word that is no option is re-asked with the platform’s way to answer',
    steps: [
      { say: '/announce', as: clerk },
      { say: '下周一停水通知：上午8点至12点。', as: clerk },
      { say: '不配图', as: clerk },
      { say: '全部', as: clerk },
      { expect: clerk, back: 1, contains: /请点击下方按钮，或直接回复选项名称|请回复选项前的序号，或直接回复选项名称/ },
      {
        run: async (w) => {
          const reason = w.driver.textsTo(clerk).at(-2)!;
          // "点击下方按钮" only where there are buttons; WeChat numbers its options.
          if (w.driver.platform === 'wechat') expect(reason).not.toContain('点击');
          else expect(reason).toContain('点击下方按钮');
        },
      },
      { say: '/cancel', as: clerk },
    ],
  },
  {
    // Telegram shows /language as buttons; typing the label must work as on WeChat's numbers.
    name: 'typing English under /language switches the language',
    steps: [
      { say: '/language', as: english },
      { say: 'english', as: english },
      { expect: english, contains: 'Language set to English.' },
    ],
  },
  {
    name: 'the latest menu wins over a scene opened earlier: /name left open, /forgetme, then its label',
    steps: [
      enrol(leaver, 'verified'),
      {
        run: async (w) => {
          expect(await w.driver.db.identity.count({ where: { platformUserId: w.driver.accountId(leaver) } })).toBe(1);
        },
      },
      { say: '/name', as: leaver },
      { say: '/forgetme', as: leaver },
      { say: '确认删除', as: leaver },
      { expect: leaver, contains: '您的个人信息已删除' },
      {
        run: async (w) => {
          expect(await w.driver.db.identity.count({ where: { platformUserId: w.driver.accountId(leaver) } })).toBe(0);
          expect(await w.driver.db.person.count({ where: { displayName: '确认删除' } })).toBe(0);
        },
      },
    ],
  },
  {
    name: 'a number answers the latest menu: /name left open, /language, then 2 picks English',
    steps: [
      { say: '/name', as: switcher },
      { say: '/language', as: switcher },
      { say: '２', as: switcher },
      { expect: switcher, contains: 'Language set to English.' },
    ],
  },
];

describeOnAllPlatforms('typed labels', scenarios, { clockStart: '2026-11-02T02:00:00Z' });

describe('typed labels outside scenes on WeChat (numbered menus)', () => {
  const clock = testClock('2026-11-02T02:00:00Z');
  let driver: Awaited<ReturnType<typeof startWechatDriver>>;
  beforeAll(async () => {
    driver = await startWechatDriver({ clock });
    await runScenario(driver, { name: 'setup', steps: [enrol(clerk, 'committee'), enrol(voter, 'verified'), { say: '/bind badeng', as: clerk, in: group }] });
  });
  afterAll(() => driver?.close());

  it('switches the language when the person types ＥＮＧＬＩＳＨ under /language', async () => {
    await driver.say(english, '/language');
    await driver.say(english, ' ＥＮＧＬＩＳＨ ');
    expect(driver.textsTo(english).at(-1)).toContain('Language set to English.');
    const identity = await driver.db.identity.findFirstOrThrow({ where: { platformUserId: driver.accountId(english) }, include: { person: true } });
    expect(identity.person.locale).toBe('en');
  });

  it('records 弃权 typed under the poll card as that option', async () => {
    const c = await community({ driver, vars: {} });
    const poll = await createPoll(
      driver.db,
      { actor: OPERATOR, via: 'test' },
      c.id,
      { question: '是否同意在北门增设充电桩？', options: 'standard', maxChoices: 1, electorate: 'residents', anonymous: true, allowChange: true, closesAt: new Date(clock().getTime() + 3 * 86_400_000), quorum: { kind: 'none' }, rule: 'majority', liveResults: false },
      clock(),
    );
    await publishPoll(driver.bot.linli.services, poll);
    await driver.flushOutbox();
    await driver.say(voter, '弃权', { group });
    const ballots = await driver.db.ballot.findMany({ where: { pollId: poll.id }, include: { choices: { include: { option: true } } } });
    expect(ballots.map((b) => b.choices.map((ch) => ch.option.kind))).toEqual([['abstain']]);
    // A sentence that merely contains the word is conversation, not a vote.
    await driver.say(voter, '我弃权了吗', { group });
    expect(await driver.db.ballot.count({ where: { pollId: poll.id } })).toBe(1);
  });
});
