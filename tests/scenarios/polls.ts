/**
 * The polls issue's end-to-end scenario, written once for every platform: the committee creates
 * a poll with /newpoll (a bad answer re-asked), it is posted to the group once, residents vote
 * on the card (button / numbered reply) and by text ("投票 1 1"), one changes their vote, an
 * outsider is refused privately, the keyword 投票 lists open polls, and after the clock passes
 * the close the scheduler posts the result with its chart — the same tallies on every platform.
 */
import { expect } from 'vitest';
import type { Scenario, ScenarioGroup, ScenarioUser, World } from './driver.ts';
import { community } from './foundation.ts';
import { countIn, enrol } from './proposals.ts';

const u = (id: number, name: string): ScenarioUser => ({ id, name });
const committee = u(4001, '居委会小张');
const voters = [u(4002, '居民甲'), u(4003, '居民乙'), u(4004, '居民丙')];
const outsider = u(4005, '路人');
const group: ScenarioGroup = { id: 4, title: '巴登社区议事群' };
const DAY = 86_400_000;

const ballots = async (w: World) => {
  const poll = await w.driver.db.poll.findFirstOrThrow({ where: { number: 1, communityId: (await community(w)).id }, include: { ballots: { include: { choices: { include: { option: true } } } } } });
  return poll.ballots.map((b) => b.choices.map((c) => c.option.kind).join('+')).sort();
};

/** The polls scenarios. */
export const pollScenarios: Scenario[] = [
  {
    name: 'the committee puts a question to the residents; they vote, one changes; the result arrives with its chart',
    steps: [
      enrol(committee, 'committee'),
      ...voters.map((v) => enrol(v, 'verified')),
      { say: '/bind badeng', as: committee, in: group },
      { expect: group, contains: '已关联' },

      // Creating: a resident may not; the committee goes through the scene.
      { say: '/newpoll', as: voters[0] },
      { expect: voters[0], contains: '没有办理此事项的权限' },
      { say: '/newpoll', as: committee },
      { expect: committee, contains: '投票议题' },
      { say: '是否同意在小区东门增设快递柜？', as: committee },
      { choose: '跳过', as: committee },
      { choose: '赞成／反对／弃权', as: committee },
      { choose: '本社区已认证居民', as: committee },
      { say: '现在', as: committee },
      { choose: '3天', as: committee },
      { say: '很多人', as: committee },
      { expect: committee, contains: '最低参与人数请填写人数', back: 1 },
      { say: '2', as: committee },
      { choose: '得票超过实际投票人数的半数', as: committee },
      { choose: '不记名，截止前可改票', as: committee },
      { choose: '截止后公布结果', as: committee },
      { expect: committee, contains: ['增设快递柜', '至少2人参加投票'] },
      { choose: '确认发布', as: committee },
      { expect: committee, contains: '第1号投票已发布' },
      { flushOutbox: true },
      { expect: group, contains: ['【议事投票｜第1号】是否同意在小区东门增设快递柜？'], options: ['赞成', '反对', '弃权', '议一议'] },
      { run: async (w) => expect(countIn(w, group, /【议事投票｜第1号】/)).toBe(1) },

      // Voting on the card: answered privately, never in the group.
      { choose: '赞成', as: voters[0], in: group, on: '第1号' },
      { told: voters[0], contains: '已投票：赞成' },
      { silent: group },
      { choose: '反对', as: voters[1], in: group, on: '第1号' },
      { told: voters[1], contains: '已投票：反对' },
      { choose: '反对', as: voters[0], in: group, on: '第1号' },
      { told: voters[0], contains: '已改投：反对' },
      { choose: '反对', as: voters[0], in: group, on: '第1号' },
      { told: voters[0], contains: '无需重复投票' },
      { choose: '赞成', as: outsider, in: group, on: '第1号' },
      { told: outsider, contains: ['已认证居民', '/verify'] },
      { silent: group },

      // 议一议 on the card (a numbered reply on WeChat): the discussion opens privately.
      { choose: '议一议', as: voters[1], in: group, on: '第1号' },
      { told: voters[1], contains: ['【网上议事厅】第1号投票', '暂无公开意见'] },
      { silent: group },

      // The keyword 投票 lists open polls; "投票 <poll> <option>" votes by text.
      { say: '投票', as: voters[2] },
      { expect: voters[2], contains: ['正在进行的投票', '第1号：是否同意在小区东门增设快递柜？', '已投票2／'] },
      { say: '投票 1 1', as: voters[2], in: group, mention: true },
      { told: voters[2], contains: '已投票：赞成' },
      { silent: group },
      { say: '投票 9 1', as: voters[2], in: group, mention: true },
      { told: voters[2], contains: '9' },
      { silent: group },
      { run: async (w) => expect(await ballots(w)).toEqual(['no', 'no', 'yes']) },

      // Nothing closes before its time; after it, the scheduler posts the result once.
      { advance: DAY, job: 'polls-tick' },
      { flushOutbox: true },
      { run: async (w) => expect(countIn(w, group, /【表决结果｜第1号】/)).toBe(0) },
      { advance: 2 * DAY + 60_000, job: 'polls-tick' },
      { flushOutbox: true },
      { expect: group, contains: ['【表决结果｜第1号】是否同意在小区东门增设快递柜？', '赞成：1票', '反对：2票', '弃权：0票'] },
      { file: group, name: 'poll-1.png' },
      { advance: 60_000, job: 'polls-tick' },
      { flushOutbox: true },
      { run: async (w) => expect(countIn(w, group, /【表决结果｜第1号】/)).toBe(1) },

      // A vote by text after the close is refused and changes nothing.
      { say: '投票 1 1', as: voters[1], in: group, mention: true },
      { told: voters[1], contains: '已截止' },
      { silent: group },
      { run: async (w) => expect(await ballots(w)).toEqual(['no', 'no', 'yes']) },
      { run: async (w) => expect((await w.driver.db.poll.findFirstOrThrow({ where: { number: 1 } })).status).toBe('closed') },
    ],
  },
];
