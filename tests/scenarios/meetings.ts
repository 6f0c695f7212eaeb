/**
 * The meetings issue's main flow, written once for every platform: a committee member schedules a
 * council meeting in /meeting (buttons on Telegram, numbered replies on WeChat; a past time
 * re-asked), the notice arrives in the group through the outbox, a council member signs in with
 * “签到 1” and a second time is told they already did.
 */
import { expect } from 'vitest';
import type { Scenario, ScenarioGroup, ScenarioUser } from './driver.ts';
import { enrol } from './proposals.ts';

const u = (id: number, name: string): ScenarioUser => ({ id, name });
const committee = u(4101, '居委会王书记');
const member = u(4102, '议事会陈委员');
const group: ScenarioGroup = { id: 41, title: '巴登社区议事群' };

/** The meetings scenarios. */
export const meetingScenarios: Scenario[] = [
  {
    name: 'the committee schedules a council meeting; the notice reaches the group; a member signs in with 签到 1',
    steps: [
      enrol(committee, 'committee'),
      enrol(member, 'council'),
      { say: '/bind badeng', as: committee, in: group },
      { expect: group, contains: '已关联' },
      { say: '/meeting', as: committee },
      { expect: committee, contains: '召开哪类会议' },
      { choose: '居民议事会', as: committee },
      { say: '2026-10-01 19:00', as: committee },
      { expect: committee, contains: '已经过去', back: 1 },
      { say: '11月2日 19:00', as: committee },
      { say: '社区党群服务中心三楼会议室', as: committee },
      { choose: '跳过', as: committee },
      { choose: '添加议题（文字）', as: committee },
      { say: '小区东门加装门禁', as: committee },
      { choose: '议题已列完', as: committee },
      { expect: committee, contains: '【会议通知预览】' },
      { choose: '确认发通知', as: committee },
      { expect: committee, contains: '会议已安排（第1号）' },
      { flushOutbox: true },
      { expect: group, contains: ['会议通知', '居民议事会', '小区东门加装门禁'] },
      { say: '签到 1', as: member },
      { told: member, contains: '签到成功' },
      { say: '签到 1', as: member },
      { told: member, contains: '无需重复签到' },
      {
        run: async (w) => {
          const rows = await w.driver.db.meetingAttendance.findMany();
          expect(rows.map((r) => [r.member, r.method])).toEqual([[true, 'qr']]);
        },
      },
    ],
  },
];
