/**
 * The foundation end to end: the real bot (telegraf) against the fake Bot API, on a real
 * SQLite file — languages, a scene with a validation error, /cancel, a restart in the middle
 * of a scene, 50 people at once, duplicate updates, failures, webhooks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineScene } from '../../src/engine/scene.ts';
import type { Feature } from '../../src/features/feature.ts';
import { FEATURES } from '../../src/features.ts';
import { startFakeBotApi, type FakeBotApi } from '../support/fakeBotApi.ts';
import { buttonsOf, startTestBot, tempDir, textOf, type TestBot } from '../support/harness.ts';
import { join } from 'node:path';

const zhUser = { id: 1001, first_name: '王', language_code: 'zh-hans' };
const enUser = { id: 1002, first_name: 'Anna', language_code: 'en' };

/** A feature only tests have: a command that fails, and a scene that collects personal data. */
const testFeature: Feature = {
  name: 'test',
  commands: [
    {
      name: 'boom',
      description: 'commands.help',
      async run() {
        throw new Error('database exploded at /secret/path.ts:12');
      },
    },
    { name: 'secret', description: 'commands.help', run: (ctx) => ctx.services.scenes.start(ctx, 'secret') },
  ],
  scenes: [
    defineScene<{ phone?: string }>({
      id: 'secret',
      private: true,
      begin: () => ({}),
      steps: [{ id: 'phone', prompt: (ctx) => ({ kind: 'text', text: ctx.t('profile.confirm', { name: '?' }), max: 20 }), apply: (s, a) => ({ state: { ...s, phone: String(a) } }) }],
      async finish(ctx, s) {
        await ctx.reply(`ok ${s.phone}`);
      },
    }),
  ],
};

describe('foundation end to end', () => {
  let fake: FakeBotApi;
  let bot: TestBot;
  const dbFile = join(tempDir(), 'linli.db');

  beforeAll(async () => {
    fake = await startFakeBotApi();
    bot = await startTestBot({ fake, dbFile, features: [...FEATURES, testFeature] });
  });
  afterAll(async () => {
    await bot.stop();
    await fake.close();
  });

  it('publishes the command menu in both languages', async () => {
    const zh = fake.commandsFor('default', '') as { command: string; description: string }[];
    const en = fake.commandsFor('default', 'en') as { command: string; description: string }[];
    expect(zh.map((c) => c.command)).toContain('help');
    expect(zh.find((c) => c.command === 'help')!.description).toBe('查看您可以办理的事项');
    expect(en.find((c) => c.command === 'help')!.description).toBe('What you can do here');
    expect(zh.map((c) => c.command)).not.toContain('as');
  });

  it('greets in Chinese for a zh client and in English otherwise', async () => {
    await bot.say(zhUser, '/start');
    const zh = bot.last(zhUser.id);
    expect(textOf(zh)).toContain('邻里');
    expect(textOf(zh)).toContain('/verify');
    await bot.say(enUser, '/start');
    expect(textOf(bot.last(enUser.id))).toContain('Linli');
    expect(textOf(bot.last(enUser.id))).not.toMatch(/[\u4e00-\u9fff]{4}/);
  });

  it('shows help in the person’s language without commands they may not use', async () => {
    await bot.say(zhUser, '/help');
    const help = textOf(bot.last(zhUser.id));
    expect(help).toContain('/verify');
    expect(help).not.toContain('/bind');
    expect(help).not.toContain('/as');
  });

  it('re-asks with a localized reason, and /cancel leaves the scene', async () => {
    await bot.say(zhUser, '/name');
    expect(textOf(bot.last(zhUser.id))).toContain('对外显示的称呼');
    await bot.say(zhUser, 'x');
    const msgs = fake.messagesTo(zhUser.id).slice(-2).map(textOf);
    expect(msgs[0]).toContain('内容过短');
    expect(msgs[1]).toContain('对外显示的称呼');
    await bot.say(zhUser, '/cancel');
    expect(textOf(bot.last(zhUser.id))).toContain('已退出');
    await bot.say(zhUser, '小王同学');
    expect(textOf(bot.last(zhUser.id))).toContain('没能理解');
    const person = await bot.db.identity.findFirstOrThrow({ where: { platformUserId: String(zhUser.id) }, include: { person: true } });
    expect(person.person.displayName).toBe('王');
  });

  it('answers a button tap and saves the answer', async () => {
    await bot.say(enUser, '/name');
    await bot.say(enUser, 'Anna from 5');
    const confirm = bot.last(enUser.id);
    expect(buttonsOf(confirm)).toEqual(['Confirm', 'Change']);
    await bot.press(enUser, confirm, 'Confirm');
    expect(textOf(bot.last(enUser.id))).toContain('Saved');
    expect(fake.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(true);
    // The same button again is stale: the scene is over.
    await bot.press(enUser, confirm, 'Confirm');
    const answers = fake.calls.filter((c) => c.method === 'answerCallbackQuery');
    expect(String(answers[answers.length - 1].params.text)).toMatch(/finished|timed out/);
  });

  it('continues a scene after a restart', async () => {
    const user = { id: 1003, first_name: '李', language_code: 'zh-CN' };
    await bot.say(user, '/name');
    await bot.stop();
    bot = await startTestBot({ fake, dbFile, features: [...FEATURES, testFeature] });
    await bot.say(user, '李阿姨');
    expect(textOf(bot.last(user.id))).toContain('“李阿姨”，确认吗');
    await bot.say(user, '是');
    expect(textOf(bot.last(user.id))).toContain('已保存');
  });

  it('keeps each person’s order while 50 people talk at once', async () => {
    const users = Array.from({ length: 50 }, (_, i) => ({ id: 5000 + i, first_name: `U${i}`, language_code: 'zh' }));
    for (const u of users) {
      fake.sendText({ from: u, text: '/name' });
      fake.sendText({ from: u, text: `居民${u.id}` });
      fake.sendText({ from: u, text: '是' });
    }
    await bot.settle();
    for (const u of users) {
      const texts = fake.messagesTo(u.id).map(textOf);
      expect(texts[texts.length - 1]).toBe(`已保存。今后将以“居民${u.id}”称呼您。`);
    }
    const names = await bot.db.person.findMany({ where: { identities: { some: { platformUserId: { in: users.map((u) => String(u.id)) } } } } });
    expect(names.map((p) => p.displayName).sort()).toEqual(users.map((u) => `居民${u.id}`).sort());
  });

  it('handles a redelivered update only once', async () => {
    const before = fake.messagesTo(zhUser.id).length;
    const update = fake.sendText({ from: zhUser, text: '/whoami', enqueue: false });
    fake.pushUpdate(update);
    await bot.settle();
    fake.pushUpdate({ ...update });
    await bot.settle();
    expect(fake.messagesTo(zhUser.id).length).toBe(before + 1);
    expect(await bot.db.processedUpdate.count({ where: { updateId: String(update.update_id) } })).toBe(1);
  });

  it('handles an update delivered twice in the same batch only once', async () => {
    const before = fake.messagesTo(zhUser.id).length;
    const update = fake.sendText({ from: zhUser, text: '/whoami', enqueue: false });
    fake.pushUpdate(update);
    fake.pushUpdate({ ...update });
    await bot.settle();
    expect(fake.messagesTo(zhUser.id).length).toBe(before + 1);
    expect(await bot.db.processedUpdate.count({ where: { updateId: String(update.update_id) } })).toBe(1);
  });

  it('answers a failing handler with a localized apology and no stack trace', async () => {
    await bot.say(zhUser, '/boom');
    const text = textOf(bot.last(zhUser.id));
    expect(text).toContain('没有成功');
    expect(text).toContain('已保存');
    expect(text).not.toMatch(/exploded|secret|Error|\.ts/);
  });

  it('moves a scene with personal data from a group into the private chat', async () => {
    const group = { id: -100777, type: 'supergroup' as const, title: '测试群' };
    await bot.say(zhUser, '/secret', group);
    const inGroup = bot.last(group.id);
    expect(textOf(inGroup)).toContain('私聊');
    const markup = inGroup.replyMarkup as { inline_keyboard: { url?: string }[][] };
    const url = markup.inline_keyboard[0][0].url!;
    expect(url).toBe('https://t.me/linli_test_bot?start=s-secret');
    await bot.say(zhUser, `/start ${url.split('start=')[1]}`);
    await bot.say(zhUser, '13800000000');
    expect(textOf(bot.last(zhUser.id))).toBe('ok 13800000000');
    expect(fake.messagesTo(group.id).map(textOf).join('\n')).not.toContain('13800000000');
  });

  it('says what an unknown command or unbound group means', async () => {
    await bot.say(zhUser, '/frobnicate');
    expect(textOf(bot.last(zhUser.id))).toContain('/help');
    await bot.say(zhUser, '/bind nowhere', { id: -100888, type: 'supergroup', title: '某群' });
    expect(textOf(bot.last(-100888))).toMatch(/权限|未找到/);
  });
});

describe('webhook mode', () => {
  it('accepts updates with the secret and rejects others', async () => {
    const fake = await startFakeBotApi();
    const port = 30000 + Math.floor(Math.random() * 20000);
    const bot = await startTestBot({
      fake,
      env: { TELEGRAM_WEBHOOK_URL: `https://bot.example.org/tg/hook`, TELEGRAM_WEBHOOK_SECRET: 'sesame_123', PORT: String(port) },
    }).catch(async (e) => {
      await fake.close();
      throw e;
    });
    try {
      const local = `http://127.0.0.1:${port}/tg/hook`;
      const forged = fake.sendText({ from: zhUser, text: '/start', enqueue: false });
      expect(await fake.deliverWebhook(local, forged, 'wrong')).toBe(403);
      expect(await fake.deliverWebhook(local, forged, null)).toBe(403);
      expect(fake.messagesTo(zhUser.id)).toHaveLength(0);
      const real = fake.sendText({ from: zhUser, text: '/start', enqueue: false });
      expect(await fake.deliverWebhook(local, real, 'sesame_123')).toBe(200);
      await fake.waitFor({ chatId: zhUser.id, text: '邻里' });
    } finally {
      await bot.close();
      await fake.close();
    }
  });
});

describe('idle scenes', () => {
  it('expire with a message, from the scheduler or on the next answer', async () => {
    const { testClock } = await import('../support/harness.ts');
    const clock = testClock('2026-11-22T02:00:00Z');
    const bot = await startTestBot({ clock });
    try {
      const a = { id: 2001, first_name: 'A', language_code: 'zh' };
      const b = { id: 2002, first_name: 'B', language_code: 'en' };
      await bot.say(a, '/name');
      await bot.say(b, '/name');
      clock.advance(29 * 60_000);
      await bot.linli.scheduler.run('scene-expiry');
      expect(textOf(bot.last(a.id))).toContain('对外显示的称呼');
      clock.advance(2 * 60_000);
      await bot.linli.scheduler.run('scene-expiry');
      await bot.fake.waitFor({ chatId: a.id, text: '自动结束' });
      await bot.fake.waitFor({ chatId: b.id, text: 'no reply for a while' });
      expect(await bot.db.sceneSession.count()).toBe(0);

      // Expiry noticed on the answer itself (the sweep has not run yet).
      await bot.say(a, '/name');
      clock.advance(31 * 60_000);
      await bot.say(a, '新名字');
      expect(textOf(bot.last(a.id))).toContain('自动结束');
      const person = await bot.db.identity.findFirstOrThrow({ where: { platformUserId: String(a.id) }, include: { person: true } });
      expect(person.person.displayName).toBe('A');
    } finally {
      await bot.close();
    }
  });
});

describe('direct replies under Telegram limits', () => {
  it('waits out a short 429 and still answers', async () => {
    const bot = await startTestBot();
    try {
      const u = { id: 3001, first_name: 'C', language_code: 'en' };
      bot.fake.failNext({ method: 'sendMessage', chatId: u.id, errorCode: 429, retryAfter: 1 });
      await bot.say(u, '/help');
      expect(textOf(bot.last(u.id))).toContain('What you can do');
      const refused = bot.fake.calls.filter((c) => c.method === 'sendMessage' && c.errorCode === 429);
      expect(refused).toHaveLength(1);
    } finally {
      await bot.close();
    }
  });
});
