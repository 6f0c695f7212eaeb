/**
 * The outbox worker against the fake Bot API, through the real telegraf adapter: 429 pauses the
 * whole queue, 403 marks a chat inactive and drops its messages, 500 retries with backoff,
 * per-chat order holds across retries, long texts are split (and resumed after a failure in
 * between), edits coalesce, and a crash in the middle of a broadcast sends each group one copy.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Community } from '../../../src/generated/prisma/client.ts';
import { startFakeBotApi } from '../../support/fakeBotApi.ts';
import { bindTelegramGroup, makeCommunity } from '../../support/fixtures.ts';
import { buttonsOf, startTestBot, tempDir, testClock, textOf, type TestBot } from '../../support/harness.ts';
import { join } from 'node:path';

const GROUPS = [-100101, -100102, -100103];
let bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots) await b.close();
  bots = [];
});

async function setup(opts: Parameters<typeof startTestBot>[0] = {}): Promise<{ bot: TestBot; community: Community }> {
  const bot = await startTestBot(opts);
  bots.push(bot);
  const community = await makeCommunity(bot.db);
  for (const g of GROUPS) await bindTelegramGroup(bot.db, community, g);
  return { bot, community };
}

const sendsTo = (bot: TestBot, chatId: number) => bot.fake.messagesTo(chatId).filter((m) => m.kind === 'send');

describe('outbox worker', () => {
  it('pauses the whole queue on 429 for retry_after, then sends each message once, in order', async () => {
    const { bot, community } = await setup();
    await bot.linli.outboxWorker.stop();
    bot.fake.failNext({ method: 'sendMessage', chatId: GROUPS[0], errorCode: 429, retryAfter: 1 });
    await bot.linli.services.outbox.publishToCommunity(community.id, 'notice:1', () => ({ text: 'one' }));
    await bot.linli.services.outbox.publishToCommunity(community.id, 'notice:2', () => ({ text: 'two' }));
    await bot.flushOutbox();
    for (const g of GROUPS) expect(sendsTo(bot, g).map(textOf)).toEqual(['one', 'two']);
    const calls = bot.fake.calls.filter((c) => c.method === 'sendMessage');
    const refused = calls.find((c) => c.errorCode === 429)!;
    expect(refused).toBeDefined();
    expect(calls.filter((c) => c.errorCode === 429)).toHaveLength(1);
    // Sends already in flight when the 429 came back may finish; nothing new starts in the pause,
    // to any chat (the other groups' second notices wait too).
    const later = calls.filter((c) => c.seq > refused.seq && c.at - refused.at > 150);
    expect(later.length).toBeGreaterThanOrEqual(3);
    for (const c of later) expect(c.at - refused.at).toBeGreaterThanOrEqual(950);
  });

  it('marks a chat that removed the bot inactive and drops its messages (403)', async () => {
    const { bot, community } = await setup();
    bot.fake.failNext({ method: 'sendMessage', chatId: GROUPS[1], errorCode: 403 });
    await bot.linli.services.outbox.publishToCommunity(community.id, 'a', () => ({ text: 'first' }));
    await bot.linli.services.outbox.publishToCommunity(community.id, 'b', () => ({ text: 'second' }));
    await bot.flushOutbox();
    expect(sendsTo(bot, GROUPS[0]).map(textOf)).toEqual(['first', 'second']);
    expect(sendsTo(bot, GROUPS[1])).toHaveLength(0);
    const group = await bot.db.chatGroup.findFirst({ where: { chatId: String(GROUPS[1]) } });
    expect(group!.active).toBe(false);
    const dropped = await bot.db.outboxMessage.findMany({ where: { chatId: String(GROUPS[1]) } });
    expect(dropped.map((r) => r.status)).toEqual(['dropped', 'dropped']);
    // Later publications skip the inactive group.
    expect(await bot.linli.services.outbox.publishToCommunity(community.id, 'c', () => ({ text: 'third' }))).toBe(2);
  });

  it('retries a transient failure with backoff and keeps the chat in order', async () => {
    const clock = testClock('2026-11-20T02:00:00Z');
    const { bot } = await setup({ clock });
    const chat = String(GROUPS[0]);
    bot.fake.failNext({ method: 'sendMessage', chatId: GROUPS[0], errorCode: 500 });
    for (let i = 1; i <= 5; i++) await bot.linli.services.outbox.enqueue({ key: `m${i}`, platform: 'telegram', chatId: chat, message: { text: `m${i}` } });
    await bot.flushOutbox();
    // m1 failed and waits for its retry: the later ones must not overtake it.
    expect(sendsTo(bot, GROUPS[0])).toHaveLength(0);
    const m1 = await bot.db.outboxMessage.findUnique({ where: { key: 'm1' } });
    expect(m1).toMatchObject({ status: 'pending', attempts: 1 });
    expect(m1!.nextAttemptAt.getTime()).toBeGreaterThan(clock().getTime());
    clock.advance(3000);
    await bot.flushOutbox();
    expect(sendsTo(bot, GROUPS[0]).map(textOf)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('keeps per-chat order with many chats and concurrent sends', async () => {
    const { bot } = await setup();
    const chats = [-2001, -2002, -2003, -2004];
    for (let i = 0; i < 8; i++) for (const c of chats) await bot.linli.services.outbox.enqueue({ key: `k${c}:${i}`, platform: 'telegram', chatId: String(c), message: { text: `${c}#${i}` } });
    await bot.flushOutbox();
    for (const c of chats) expect(sendsTo(bot, c).map(textOf)).toEqual(Array.from({ length: 8 }, (_, i) => `${c}#${i}`));
  });

  it('does not let a scheduled message hold up later ones to the same chat', async () => {
    const clock = testClock('2026-11-20T02:00:00Z');
    const { bot } = await setup({ clock });
    const ob = bot.linli.services.outbox;
    await ob.enqueue({ key: 'later', platform: 'telegram', chatId: String(GROUPS[0]), message: { text: 'tomorrow' }, notBefore: new Date('2026-11-21T01:00:00Z') });
    await ob.enqueue({ key: 'now', platform: 'telegram', chatId: String(GROUPS[0]), message: { text: 'now' } });
    await bot.flushOutbox();
    expect(sendsTo(bot, GROUPS[0]).map(textOf)).toEqual(['now']);
    clock.set('2026-11-21T01:00:00Z');
    await bot.flushOutbox();
    expect(sendsTo(bot, GROUPS[0]).map(textOf)).toEqual(['now', 'tomorrow']);
  });

  it('enqueues a key once', async () => {
    const { bot, community } = await setup();
    const ob = bot.linli.services.outbox;
    expect(await ob.publishToCommunity(community.id, 'once', () => ({ text: 'x' }))).toBe(3);
    expect(await ob.publishToCommunity(community.id, 'once', () => ({ text: 'y' }))).toBe(0);
    await bot.flushOutbox();
    for (const g of GROUPS) expect(sendsTo(bot, g).map(textOf)).toEqual(['x']);
  });

  it('splits a long text at paragraphs, buttons under the last part, after a retry', async () => {
    const clock = testClock('2026-11-20T02:00:00Z');
    const { bot } = await setup({ clock });
    const paras = ['甲'.repeat(3000), '乙'.repeat(3000), '丙'.repeat(3000)];
    // The first attempt fails; the retry sends all three parts.
    bot.fake.failNext({ method: 'sendMessage', chatId: GROUPS[2], errorCode: 500 });
    await bot.linli.services.outbox.enqueue({ key: 'long', platform: 'telegram', chatId: String(GROUPS[2]), message: { text: paras.join('\n\n'), buttons: [[{ label: '查看', action: 'x:1' }]] } });
    await bot.flushOutbox();
    clock.advance(5000);
    await bot.flushOutbox();
    const sent = sendsTo(bot, GROUPS[2]);
    expect(sent.map(textOf)).toEqual(paras);
    expect(buttonsOf(sent[2])).toEqual(['查看']);
    expect(buttonsOf(sent[0])).toEqual([]);
    const row = await bot.db.outboxMessage.findUnique({ where: { key: 'long' } });
    expect(row).toMatchObject({ status: 'sent', partsSent: 3, platformMessageId: String(sent[0].messageId) });
  });

  it('resumes a split message after the parts already sent (crash between parts)', async () => {
    const clock = testClock('2026-11-20T02:00:00Z');
    const { bot } = await setup({ clock });
    const paras = ['一'.repeat(3000), '二'.repeat(3000), '三'.repeat(3000)];
    // As a crash after the first part left it: one part out, its message id recorded.
    await bot.linli.outboxWorker.stop();
    await bot.linli.services.outbox.enqueue({ key: 'long2', platform: 'telegram', chatId: String(GROUPS[0]), message: { text: paras.join('\n\n') } });
    await bot.db.outboxMessage.update({ where: { key: 'long2' }, data: { partsSent: 1, platformMessageId: '777' } });
    await bot.flushOutbox();
    expect(sendsTo(bot, GROUPS[0]).map(textOf)).toEqual(paras.slice(1));
    expect(await bot.db.outboxMessage.findUnique({ where: { key: 'long2' } })).toMatchObject({ status: 'sent', partsSent: 3, platformMessageId: '777' });
  });

  it('sends an image whose text is too long for a caption as its own message first', async () => {
    const { bot } = await setup();
    const image = { data: new Uint8Array(Buffer.from('89504e470d0a1a0a', 'hex')), name: 'chart.png' };
    await bot.linli.services.outbox.enqueue({ key: 'img', platform: 'telegram', chatId: String(GROUPS[0]), message: { text: '周报'.repeat(700), image } });
    await bot.flushOutbox();
    const sent = sendsTo(bot, GROUPS[0]);
    expect(sent.map((m) => m.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(textOf(sent[1])).toBe('周报'.repeat(700));
  });

  it('coalesces a burst of edits into one edit carrying the last text', async () => {
    const { bot, community } = await setup();
    const ob = bot.linli.services.outbox;
    await ob.publishToCommunity(community.id, 'poll:1', () => ({ text: 'votes: 0' }));
    await bot.flushOutbox();
    await bot.linli.outboxWorker.stop();
    const target = `poll:1:telegram:${GROUPS[0]}`;
    for (let i = 1; i <= 10; i++) await ob.enqueueEdit(target, { text: `votes: ${i}` });
    await bot.flushOutbox();
    const edits = bot.fake.calls.filter((c) => c.method === 'editMessageText');
    expect(edits).toHaveLength(1);
    expect(edits[0].params.text).toBe('votes: 10');
    // An edit of something never posted is ignored.
    await ob.enqueueEdit('poll:404:telegram:1', { text: 'x' });
    expect(await bot.db.outboxMessage.count({ where: { key: 'poll:404:telegram:1#edit' } })).toBe(0);
  });

  it('never loses the newest edit when edits arrive while one is being sent', async () => {
    const { bot, community } = await setup();
    const ob = bot.linli.services.outbox;
    await ob.publishToCommunity(community.id, 'poll:2', () => ({ text: 'votes: 0' }));
    await bot.flushOutbox();
    const target = `poll:2:telegram:${GROUPS[1]}`;
    // The background worker runs: edits race with sends of earlier ones.
    for (let i = 1; i <= 30; i++) await ob.enqueueEdit(target, { text: `votes: ${i}` });
    await bot.flushOutbox();
    const posted = sendsTo(bot, GROUPS[1])[0];
    expect((bot.fake.messageState(GROUPS[1], posted.messageId) as { text?: string } | undefined)?.text).toBe('votes: 30');
    expect(bot.fake.calls.filter((c) => c.method === 'editMessageText').length).toBeLessThanOrEqual(30);
  });

  it('holds an edit until its message is posted', async () => {
    const clock = testClock('2026-11-20T02:00:00Z');
    const { bot } = await setup({ clock });
    const ob = bot.linli.services.outbox;
    await ob.enqueue({ key: 'p', platform: 'telegram', chatId: String(GROUPS[0]), message: { text: 'v0' }, notBefore: new Date('2026-11-20T03:00:00Z') });
    await ob.enqueueEdit('p', { text: 'v1' });
    await bot.flushOutbox();
    expect(bot.fake.calls.filter((c) => c.method === 'editMessageText')).toHaveLength(0);
    clock.set('2026-11-20T03:00:05Z');
    await bot.flushOutbox();
    expect(bot.fake.calls.filter((c) => c.method === 'editMessageText').map((c) => c.params.text)).toEqual(['v1']);
  });
});

describe('crash in the middle of a broadcast', () => {
  it('sends each group the message exactly once after a restart, and re-publishing adds nothing', async () => {
    const fake = await startFakeBotApi();
    const dbFile = join(tempDir(), 'crash.db');
    const N = 30;
    const groups = Array.from({ length: N }, (_, i) => -300000 - i);
    const limits = { telegram: { perChatIntervalMs: 1000, perGroupPerMinute: 20, globalPerSecond: 10 } };
    const first = await startTestBot({ fake, dbFile, outboxLimits: limits });
    const community = await makeCommunity(first.db);
    for (const g of groups) await bindTelegramGroup(first.db, community, g);
    const publish = (b: TestBot) => b.linli.services.outbox.publishToCommunity(community.id, 'announcement:crash', (locale) => ({ text: `notice ${locale}` }));
    expect(await publish(first)).toBe(N);
    // The worker runs in the background at 10/s; stop the bot once some went out.
    await fake.waitFor(() => fake.sent.filter((m) => m.kind === 'send').length >= 8, { timeoutMs: 10_000 });
    await first.stop();
    const before = fake.sent.filter((m) => m.kind === 'send').length;
    expect(before).toBeLessThan(N);

    const second = await startTestBot({ fake, dbFile });
    try {
      expect(await publish(second)).toBe(0);
      await second.flushOutbox();
      for (const g of groups) expect(fake.messagesTo(g).map(textOf)).toEqual(['notice zh-CN']);
      expect(await second.db.outboxMessage.count({ where: { status: 'sent' } })).toBe(N);
    } finally {
      await second.stop();
      await fake.close();
    }
  });
});

describe('linli outbox', () => {
  it('lists failed messages and queues them again with --retry-failed', async () => {
    const { outboxCommand } = await import('../../../src/cli/commands/basics.ts');
    const { cliEnv } = await import('../../support/cliRun.ts');
    const { bot } = await setup();
    // A refusal that is about the message, not the chat ("chat not found" now means the chat is gone: dropped).
    bot.fake.failNext({ method: 'sendMessage', chatId: GROUPS[0], errorCode: 400, description: "Bad Request: can't parse entities" });
    await bot.linli.services.outbox.enqueue({ key: 'bad', platform: 'telegram', chatId: String(GROUPS[0]), message: { text: '通知：明天停水' } });
    await bot.flushOutbox();
    expect(await bot.db.outboxMessage.findUnique({ where: { key: 'bad' } })).toMatchObject({ status: 'failed' });
    const lines: string[] = [];
    const env = cliEnv(bot.config, bot.db, lines);
    await outboxCommand.run(env, { values: {}, positionals: [] });
    expect(lines[0]).toContain('failed: 1');
    expect(lines[1]).toMatch(/^failed\t.*\tbad\tattempts=1\t.*can't parse entities\t通知：明天停水$/);
    lines.length = 0;
    await outboxCommand.run(env, { values: { 'retry-failed': true }, positionals: [] });
    expect(lines[0]).toBe('1 failed message(s) queued again');
    await bot.flushOutbox();
    expect(sendsTo(bot, GROUPS[0]).map(textOf)).toEqual(['通知：明天停水']);
  });
});
