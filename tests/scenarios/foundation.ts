/**
 * The foundation's end-to-end scenarios, written once for every platform: /start and /help (and
 * the keyword 帮助), the profile scene with a validation error, /cancel and a choice, /verify with
 * a code, /language, a restart in the middle of a scene, a group that is bound and answers only
 * when addressed, a scene with personal data moving from the group to the private chat, and an
 * image sent as a file.
 */
import { expect } from 'vitest';
import type { Feature } from '../../src/features/feature.ts';
import { defineScene } from '../../src/engine/scene.ts';
import { issueCodes } from '../../src/domain/residents/verification.ts';
import type { Community } from '../../src/generated/prisma/client.ts';
import { makeCommunity, OPERATOR } from '../support/fixtures.ts';
import type { Scenario, ScenarioGroup, ScenarioUser, World } from './driver.ts';

/** A 1×1 PNG: enough for "an image goes out as a file". */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Commands only the scenarios have: a scene with personal data, and a chart. */
export const scenarioTestFeature: Feature = {
  name: 'scenario-test',
  commands: [
    { name: 'secret', description: 'commands.help', run: (ctx) => ctx.services.scenes.start(ctx, 'secret') },
    { name: 'chart', description: 'commands.help', run: async (ctx) => void (await ctx.reply({ text: '本周图表', image: { data: PNG, name: 'chart.png' } })) },
  ],
  scenes: [
    defineScene<{ phone?: string }>({
      id: 'secret',
      private: true,
      begin: () => ({}),
      steps: [{ id: 'phone', prompt: () => ({ kind: 'text', text: 'secret: phone?', max: 20 }), apply: (s, a) => ({ state: { ...s, phone: String(a) } }) }],
      async finish(ctx, s) {
        await ctx.reply(`ok ${s.phone}`);
      },
    }),
  ],
};

/** The scenarios' community, created once per database. */
export async function community(w: World): Promise<Community> {
  w.community ??= (await w.driver.db.community.findUnique({ where: { slug: 'badeng' } })) ?? (await makeCommunity(w.driver.db));
  return w.community;
}

/** Issues a real code for a role (and unit) and keeps it in `w.vars[name]`. */
export function issue(name: string, role: 'verified' | 'committee', unit?: string) {
  return async (w: World) => {
    const c = await community(w);
    const [code] = await issueCodes(w.driver.db, OPERATOR, 'cli', { communityId: c.id, role, unit: unit ?? null, count: 1, expiresInMs: 86_400_000 });
    w.vars[name] = code;
  };
}

const u = (id: number, name: string): ScenarioUser => ({ id, name });
const newcomer = u(2001, '王');
const editor = u(2002, '小张');
const aunt = u(2003, '李');
const resident = u(2004, '赵');
const english = u(2005, 'Anna');
const restarter = u(2006, '周');
const committee = u(2007, '刘主任');
const member = u(2008, '陈');
const viewer = u(2009, '孙');
const switcher = u(2010, '吴');
const group: ScenarioGroup = { id: 1, title: '巴登社区居民群' };

/** The foundation scenarios. */
export const foundationScenarios: Scenario[] = [
  {
    name: 'welcomes and lists what a newcomer may do, by command and by keyword',
    steps: [
      { say: '/start', as: newcomer },
      { expect: newcomer, contains: ['邻里', '/verify'] },
      { say: '/help', as: newcomer },
      { expect: newcomer, contains: ['【可办理事项】', '/verify', '/link'], lacks: ['/bind', '/as'] },
      { say: '帮助', as: newcomer },
      { expect: newcomer, contains: '【可办理事项】' },
      { say: '/frobnicate', as: newcomer },
      { expect: newcomer, contains: '/help' },
    ],
  },
  {
    name: 'profile scene re-asks with a reason, and /cancel leaves it',
    steps: [
      { say: '/name', as: editor },
      { expect: editor, contains: '对外显示的称呼' },
      { say: 'x', as: editor },
      { expect: editor, contains: '内容过短', back: 1 },
      { expect: editor, contains: '对外显示的称呼' },
      { say: '13800000000', as: editor },
      { expect: editor, contains: '手机号', back: 1 },
      { say: '/cancel', as: editor },
      { expect: editor, contains: '已退出' },
      { say: '小张同学', as: editor },
      { expect: editor, contains: '没能理解' },
      {
        run: async (w) => {
          const id = await w.driver.db.identity.findFirstOrThrow({ where: { platformUserId: w.driver.accountId(editor) }, include: { person: true } });
          expect(id.person.displayName).toBe('小张');
        },
      },
    ],
  },
  {
    name: 'profile scene: a choice changes the answer, 是 confirms',
    steps: [
      { say: '/name', as: aunt },
      { say: '李阿姨', as: aunt },
      { expect: aunt, contains: '“李阿姨”，确认吗', options: ['确认', '修改'] },
      {
        run: async (w) => {
          // WeChat prints the options with a hint that a confirmation also takes 是/否.
          if (w.driver.platform === 'wechat') expect(w.driver.textsTo(aunt).at(-1)).toMatch(/回复 1 确认，2 修改\n也可直接回复“是”或“否”。$/);
        },
      },
      { choose: '修改', as: aunt },
      { expect: aunt, contains: '对外显示的称呼' },
      { say: '李老师', as: aunt },
      { say: '是', as: aunt },
      { expect: aunt, contains: '已保存。今后将以“李老师”称呼您。' },
    ],
  },
  {
    name: 'verifies with a code once, and refuses wrong codes',
    steps: [
      { run: issue('code', 'verified', '3栋-2单元-501') },
      { say: '/verify', as: resident },
      { expect: resident, contains: '请发送居委会发给您的认证码' },
      { say: 'ABCD-EFGH', as: resident },
      { expect: resident, contains: ['无效', '直接发送'] },
      { say: '/verify ABCD-EFGH', as: resident },
      { expect: resident, contains: '无效' },
      { say: (w) => `/verify ${w.vars.code}`, as: resident },
      { expect: resident, contains: ['认证成功', '巴登社区', '3栋-2单元-501'] },
      { say: (w) => `/verify ${w.vars.code.toLowerCase()}`, as: resident },
      { expect: resident, contains: '无需重复认证' },
      { say: '/whoami', as: resident },
      { expect: resident, contains: ['巴登社区', '已认证居民'] },
    ],
  },
  {
    name: 'switches the language with a choice outside any scene',
    steps: [
      { say: '/language', as: english },
      { expect: english, options: ['简体中文', 'English'] },
      { choose: 'English', as: english },
      { expect: english, contains: 'Language set to English.' },
      { say: '/help', as: english },
      { expect: english, contains: 'What you can do', lacks: '可办理' },
      { say: '/name', as: english },
      { say: 'Anna from 5', as: english },
      { expect: english, options: ['Confirm', 'Change'] },
      { choose: 'Confirm', as: english },
      { expect: english, contains: 'Saved. You will be shown as "Anna from 5".' },
    ],
  },
  {
    name: 'a command mid-scene pauses it: the next reply answers the new menu, /resume continues',
    steps: [
      { say: '/name', as: switcher },
      { expect: switcher, contains: '对外显示的称呼' },
      { say: '/language', as: switcher },
      { expect: switcher, contains: '已暂停保存', back: 1 },
      { expect: switcher, options: ['简体中文', 'English'] },
      // On WeChat this replies "2": it must switch the language, not become the new name.
      { choose: 'English', as: switcher },
      { expect: switcher, contains: 'Language set to English.' },
      {
        run: async (w) => {
          const id = await w.driver.db.identity.findFirstOrThrow({ where: { platformUserId: w.driver.accountId(switcher) }, include: { person: true } });
          expect(id.person.displayName).not.toBe('2');
          expect(id.person.locale).toBe('en');
        },
      },
      // A stray text while the scene is paused is not taken as its answer.
      { say: 'Wu from 7', as: switcher },
      { expect: switcher, contains: '/resume' },
      { say: '/resume', as: switcher },
      { expect: switcher, contains: 'name' },
      { say: 'Wu from 7', as: switcher },
      { expect: switcher, options: ['Confirm', 'Change'] },
      { choose: 'Confirm', as: switcher },
      { expect: switcher, contains: 'Saved. You will be shown as "Wu from 7".' },
    ],
  },
  {
    name: 'continues a scene after a restart',
    steps: [
      { say: '/name', as: restarter },
      { restart: true },
      { say: '周阿姨', as: restarter },
      { expect: restarter, contains: '“周阿姨”，确认吗' },
      { choose: '确认', as: restarter },
      { expect: restarter, contains: '已保存' },
    ],
  },
  {
    name: 'a bound group: quiet unless addressed; personal data continues in private',
    steps: [
      { run: issue('committee', 'committee') },
      { say: (w) => `/verify ${w.vars.committee}`, as: committee },
      { say: '/bind badeng', as: committee, in: group },
      { expect: group, contains: '已关联至巴登社区' },
      { say: '今天天气不错', as: member, in: group },
      { silent: group },
      { say: '帮助', as: member, in: group },
      { silent: group },
      { say: '帮助', as: member, in: group, mention: true },
      { expect: group, contains: ['【可办理事项】', '巴登社区'] },
      { say: '/secret', as: member, in: group },
      { expect: group, contains: '私聊' },
      { handoff: member, from: group },
      { expect: member, contains: 'secret: phone?' },
      { say: '13800000000', as: member },
      { expect: member, contains: 'ok 13800000000' },
      { run: async (w) => expect(w.driver.textsTo(group).join('\n')).not.toContain('13800000000') },
    ],
  },
  {
    name: 'sends an image as a file',
    steps: [
      { say: '/chart', as: viewer },
      { file: viewer, name: /\.(png|jpg)$/ },
    ],
  },
];
