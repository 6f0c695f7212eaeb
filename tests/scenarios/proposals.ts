/**
 * The proposals issue's end-to-end scenario, written once for every platform: a verified
 * resident starts /propose in the group and continues privately (bad answers re-asked), the
 * group receives the published proposal once through the outbox, residents second it (the
 * option on the card, or "附议 <number>"), refusals for the author, an outsider and a repeat,
 * the threshold moves it to review and tells the author, the committee shortlists it from
 * /review and the decision reaches the group once. Keywords 提议 and 微实事 work too.
 */
import { expect } from 'vitest';
import { issueCodes } from '../../src/domain/residents/verification.ts';
import { OPERATOR } from '../support/fixtures.ts';
import type { Scenario, ScenarioGroup, ScenarioUser, Step, World } from './driver.ts';
import { community } from './foundation.ts';

const u = (id: number, name: string): ScenarioUser => ({ id, name });
const author = u(3001, '王阿姨');
const neighbours = [u(3002, '居民甲'), u(3003, '居民乙')];
const outsider = u(3004, '路人');
const committee = u(3005, '李主任');
const group: ScenarioGroup = { id: 3, title: '巴登社区居民群' };

/** Issues a real code for the role and redeems it in chat with /verify. */
export function enrol(user: ScenarioUser, role: 'verified' | 'committee' | 'council', unit?: string): Step {
  return {
    run: async (w: World) => {
      const c = await community(w);
      const [code] = await issueCodes(w.driver.db, OPERATOR, 'cli', { communityId: c.id, role, unit: unit ?? (role === 'verified' ? `${user.id % 50}栋-1单元-${user.id}` : null), count: 1, expiresInMs: 86_400_000 });
      await w.driver.say(user, `/verify ${code}`);
      expect(w.driver.textsTo(user).at(-1)).toContain('认证成功');
    },
  };
}

/** How many messages a chat received that match. */
export function countIn(w: World, target: ScenarioGroup | ScenarioUser, pattern: RegExp): number {
  return w.driver.textsTo(target).filter((t) => pattern.test(t)).length;
}

const status = async (w: World) => (await w.driver.db.proposal.findFirstOrThrow({ where: { number: 1 } })).status;

/** The proposals scenarios. */
export const proposalScenarios: Scenario[] = [
  {
    name: 'a resident proposes from the group, neighbours second it to review, the committee shortlists it',
    steps: [
      { run: async (w) => void (await w.driver.db.community.update({ where: { id: (await community(w)).id }, data: { secondsThreshold: 2, proposalCostCapFen: 5_000_000 } })) },
      enrol(committee, 'committee'),
      enrol(author, 'verified'),
      ...neighbours.map((n) => enrol(n, 'verified')),
      { say: '/bind badeng', as: committee, in: group },
      { expect: group, contains: '已关联至巴登社区' },

      // Started in the group, the scene continues privately.
      { say: '/propose', as: author, in: group },
      { expect: group, contains: '私聊' },
      { handoff: author, from: group },
      { expect: author, contains: '项目名称' },
      { say: '修'.repeat(31), as: author },
      { expect: author, contains: '请控制在30字以内', back: 1 },
      { say: '更换3栋楼道照明灯', as: author },
      { expect: author, contains: '项目类别' },
      { choose: '设施维修', as: author },
      { say: '灯坏了', as: author },
      { expect: author, contains: '至少输入10个字', back: 1 },
      { say: '3栋1单元楼道灯坏了两个月，老人晚上上下楼很不方便，希望更换为声控节能灯。', as: author },
      { say: '3栋1单元楼道', as: author },
      { say: '大概三千', as: author },
      { expect: author, contains: '未能识别为数字', back: 1 },
      { say: '80000', as: author },
      { expect: author, contains: '上限', back: 1 },
      { say: '3000', as: author },
      { expect: author, contains: '照片' },
      { choose: '不添加照片', as: author },
      { expect: author, contains: ['更换3栋楼道照明灯', '¥3,000', '设施维修'], options: ['提交', '修改'] },
      { run: async (w) => expect(countIn(w, group, /民生微实事提议/)).toBe(0) },
      { choose: '提交', as: author },
      { expect: author, contains: '提交成功' },

      // Publication 1 reaches the group once, through the outbox.
      { flushOutbox: true },
      { expect: group, contains: ['【民生微实事提议｜#1】更换3栋楼道照明灯', '0/2'] },
      { run: async (w) => expect(countIn(w, group, /【民生微实事提议｜#1】/)).toBe(1) },
      { run: async (w) => expect(w.driver.textsTo(group).join('\n')).not.toContain('13800') },

      // Seconds: refusals, one second each, the threshold.
      { choose: /我要附议/, as: author, in: group, on: '#1' },
      { told: author, contains: '本人提出' },
      { silent: group },
      { choose: /我要附议/, as: outsider, in: group, on: '#1' },
      { told: outsider, contains: '已认证居民' },
      { silent: group },
      { choose: /我要附议/, as: neighbours[0], in: group, on: '#1' },
      { told: neighbours[0], contains: '已有1人附议' },
      { choose: /我要附议/, as: neighbours[0], in: group, on: '#1' },
      { told: neighbours[0], contains: '只能附议一次' },
      { silent: group },
      { run: async (w) => expect(await status(w)).toBe('submitted') },
      // The second neighbour uses the keyword, addressed to the bot in the group.
      { say: '附议 1', as: neighbours[1], in: group, mention: true },
      { told: neighbours[1], contains: '转入居委会审议' },
      { silent: group },
      { run: async (w) => expect(await status(w)).toBe('under_review') },
      { flushOutbox: true },
      { expect: author, contains: '已获得2位居民附议' },

      // Browsing by keyword.
      { say: '微实事', as: neighbours[0] },
      { expect: neighbours[0], contains: '#1 更换3栋楼道照明灯' },

      // The committee reviews; a resident may not.
      { say: '/review', as: neighbours[0] },
      { expect: neighbours[0], contains: '没有办理此事项的权限' },
      { say: '/review', as: committee },
      { expect: committee, contains: '需要居委会办理的提议' },
      { choose: /#1 /, as: committee },
      { expect: committee, contains: '更换3栋楼道照明灯' },
      { choose: '列入候选', as: committee },
      { told: committee, contains: '列入候选项目' },
      { run: async (w) => expect(await status(w)).toBe('shortlisted') },
      { flushOutbox: true },
      { expect: group, contains: '列入候选项目，将提请居民表决' },
      { run: async (w) => expect(countIn(w, group, /列入候选项目，将提请居民表决/)).toBe(1) },
      {
        run: async (w) => {
          const p = await w.driver.db.proposal.findFirstOrThrow({ where: { number: 1 }, include: { seconds: true } });
          expect(p.seconds).toHaveLength(2);
          const audit = await w.driver.db.auditEntry.findMany({ where: { targetId: p.id }, orderBy: { at: 'asc' } });
          expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['proposal.under_review', 'proposal.shortlisted']));
        },
      },
    ],
  },
  {
    name: 'the keyword 提议 starts the scene for a resident and refuses an outsider',
    steps: [
      { say: '提议', as: outsider },
      { expect: outsider, contains: '/verify' },
      { say: '提议', as: neighbours[1] },
      { expect: neighbours[1], contains: '项目名称' },
      { say: '/cancel', as: neighbours[1] },
      { expect: neighbours[1], contains: '已退出' },
    ],
  },
];
