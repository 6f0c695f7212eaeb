/**
 * Tests of the fake Bot API, driven by the REAL telegraf client (`Telegram`, `Telegraf`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Markup, Telegraf, Telegram, TelegramError } from 'telegraf';
import { FAKE_BOT_USER, startFakeBotApi, type FakeBotApi, type FakeBotApiOptions } from './fakeBotApi.ts';

let fake: FakeBotApi;
let telegram: Telegram;

async function setup(opts: FakeBotApiOptions = {}): Promise<void> {
  fake = await startFakeBotApi(opts);
  telegram = new Telegram(fake.token, { apiRoot: fake.apiRoot });
}

/** Awaits a promise expected to reject with a TelegramError and returns it. */
async function telegramError(p: Promise<unknown>): Promise<TelegramError> {
  const err: unknown = await p.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TelegramError);
  return err as TelegramError;
}

afterEach(async () => {
  await fake?.close();
});

describe('basic API', () => {
  beforeEach(() => setup());

  it('answers getMe with the test bot and rejects a wrong token with 401', async () => {
    expect(fake.apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.token).toBe('123456:TEST');
    const me = await telegram.getMe();
    expect(me).toMatchObject({ id: 999000, is_bot: true, username: 'linli_test_bot', first_name: 'Linli' });

    const wrong = new Telegram('654321:WRONG', { apiRoot: fake.apiRoot });
    const err = await telegramError(wrong.getMe());
    expect(err.code).toBe(401);
    expect(err.description).toBe('Unauthorized');
  });

  it('records sendMessage with per-chat message ids, parsed markup and parse_mode', async () => {
    const keyboard = Markup.inlineKeyboard([Markup.button.callback('Yes', 'vote:yes'), Markup.button.callback('No', 'vote:no')]);
    const m1 = await telegram.sendMessage(42, '<b>Vote</b> now', { parse_mode: 'HTML', ...keyboard });
    const m2 = await telegram.sendMessage(42, 'second');
    const g1 = await telegram.sendMessage(-1001234567890, 'group hello');

    expect(m1.message_id).toBe(1);
    expect(m2.message_id).toBe(2);
    expect(g1.message_id).toBe(1);
    expect(m1.text).toBe('Vote now'); // entities parsed like Telegram
    expect(m1.from?.id).toBe(FAKE_BOT_USER.id);
    expect(g1.chat).toMatchObject({ id: -1001234567890, type: 'supergroup' });

    expect(fake.sent).toHaveLength(3);
    const [s1] = fake.sent;
    expect(s1).toMatchObject({
      kind: 'send',
      method: 'sendMessage',
      chatId: 42,
      messageId: 1,
      text: '<b>Vote</b> now',
      plainText: 'Vote now',
      parseMode: 'HTML',
    });
    expect(s1.replyMarkup).toEqual({
      inline_keyboard: [[{ text: 'Yes', callback_data: 'vote:yes', hide: false }, { text: 'No', callback_data: 'vote:no', hide: false }]],
    });
    expect(typeof s1.at).toBe('number');
    expect(fake.messagesTo(42).map((m) => m.text)).toEqual(['<b>Vote</b> now', 'second']);
    expect(fake.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage']);
    expect(fake.calls.every((c) => c.ok)).toBe(true);

    fake.reset();
    expect(fake.sent).toHaveLength(0);
    expect(fake.calls).toHaveLength(0);
    expect((await telegram.sendMessage(42, 'after reset')).message_id).toBe(3); // counters survive reset
  });

  it('surfaces Telegram validation errors as telegraf errors', async () => {
    await expect(telegram.sendMessage(1, 'x'.repeat(4096))).resolves.toMatchObject({ message_id: 1 });
    const tooLong = await telegramError(telegram.sendMessage(1, 'x'.repeat(4097)));
    expect(tooLong.code).toBe(400);
    expect(tooLong.description).toBe('Bad Request: message is too long');

    // 64 bytes is fine, 66 bytes (33 two-byte chars) is not
    await telegram.sendMessage(1, 'ok', Markup.inlineKeyboard([Markup.button.callback('a', 'й'.repeat(32))]));
    const badData = await telegramError(
      telegram.sendMessage(1, 'bad', Markup.inlineKeyboard([[Markup.button.callback('ok', 'a')], [Markup.button.callback('b', 'й'.repeat(33))]])),
    );
    expect(badData.description).toBe('Bad Request: BUTTON_DATA_INVALID');

    const empty = await telegramError(telegram.sendMessage(1, '   '));
    expect(empty.description).toBe('Bad Request: message text is empty');

    const html = await telegramError(telegram.sendMessage(1, 'Flat <3> & more', { parse_mode: 'HTML' }));
    expect(html.description).toMatch(/^Bad Request: can't parse entities: Unsupported start tag/);

    const md = await telegramError(telegram.sendMessage(1, 'Total: 3.5', { parse_mode: 'MarkdownV2' }));
    expect(md.description).toContain("Character '.' is reserved");
    await telegram.sendMessage(1, 'Total: 3\\.5 *bold*', { parse_mode: 'MarkdownV2' });

    const unknownEdit = await telegramError(telegram.editMessageText(1, 999, undefined, 'new'));
    expect(unknownEdit.code).toBe(400);
    expect(unknownEdit.description).toBe('Bad Request: message to edit not found');

    // only successful sends are recorded; failures are visible in calls
    expect(fake.sent.map((m) => m.plainText)).toEqual(['x'.repeat(4096), 'ok', 'Total: 3.5 bold']);
    expect(fake.calls.filter((c) => c.ok === false)).toHaveLength(6);
  });

  it('edits messages like Telegram (keyboard removal, not modified)', async () => {
    const kb = Markup.inlineKeyboard([Markup.button.callback('Refresh', 'r')]);
    const m = await telegram.sendMessage(5, 'Votes: 1', kb);
    const edited = await telegram.editMessageText(5, m.message_id, undefined, 'Votes: 2', kb);
    expect(edited).toMatchObject({ text: 'Votes: 2', edit_date: expect.any(Number) });

    const same = await telegramError(telegram.editMessageText(5, m.message_id, undefined, 'Votes: 2', kb));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);

    await telegram.editMessageText(5, m.message_id, undefined, 'Votes: 2'); // no markup → keyboard removed
    expect(fake.messageState(5, m.message_id)).not.toHaveProperty('reply_markup');
    await telegram.editMessageReplyMarkup(5, m.message_id, undefined, kb.reply_markup);

    expect(fake.sent.map((s) => [s.kind, s.method, s.messageId, s.text])).toEqual([
      ['send', 'sendMessage', 1, 'Votes: 1'],
      ['edit', 'editMessageText', 1, 'Votes: 2'],
      ['edit', 'editMessageText', 1, 'Votes: 2'],
      ['edit', 'editMessageReplyMarkup', 1, 'Votes: 2'],
    ]);
    expect(fake.messagesTo(5)).toHaveLength(1);
  });
});

describe('getUpdates', () => {
  beforeEach(() => setup());

  it('holds a long poll until an update is pushed, and honours offset', async () => {
    const started = performance.now();
    const poll = telegram.getUpdates(50, 100, 0, []);
    await fake.waitForCall('getUpdates');
    const pushed = fake.sendText({ from: { id: 7, username: 'wang' }, text: '/start@linli_test_bot hi' });
    const updates = await poll;
    expect(performance.now() - started).toBeLessThan(900);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toEqual(pushed);
    expect(pushed.message).toMatchObject({
      message_id: 1,
      chat: { id: 7, type: 'private' },
      from: { id: 7, is_bot: false, username: 'wang' },
      entities: [{ type: 'bot_command', offset: 0, length: '/start@linli_test_bot'.length }],
    });

    // not confirmed yet: same update again
    expect(await telegram.getUpdates(0, 100, 0, [])).toHaveLength(1);
    const second = fake.sendText({ from: { id: 8 }, chat: { id: -1001, type: 'supergroup', title: 'Building 3' }, text: 'hello' });
    expect(second.update_id).toBe(pushed.update_id + 1);
    // offset confirms (drops) the first one
    const rest = await telegram.getUpdates(0, 100, pushed.update_id + 1, []);
    expect(rest.map((u) => u.update_id)).toEqual([second.update_id]);
    expect(fake.pendingUpdates).toHaveLength(1);
    // limit
    fake.sendText({ from: { id: 8 }, text: 'a' });
    expect(await telegram.getUpdates(0, 1, 0, [])).toHaveLength(1);
    await telegram.getUpdates(0, 100, second.update_id + 2, []);
    expect(fake.pendingUpdates).toHaveLength(0);
  });

  it('answers an empty poll after the capped timeout', async () => {
    await fake.close();
    await setup({ longPollCapMs: 100 });
    const t0 = performance.now();
    expect(await telegram.getUpdates(50, 100, 0, [])).toEqual([]);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(90);
    expect(took).toBeLessThan(1000);
  });

  it('drops updates Telegram would not deliver (privacy mode, default allowed_updates)', async () => {
    await fake.close();
    await setup({ groupPrivacy: true });
    const group = { id: -1009, type: 'supergroup' as const, title: 'Block 9' };
    fake.sendText({ from: { id: 1 }, chat: group, text: 'hello neighbours' });
    const cmd = fake.sendText({ from: { id: 1 }, chat: group, text: '/poll@linli_test_bot' });
    fake.sendText({ from: { id: 1 }, chat: group, text: '/poll@other_bot' });
    const member = fake.pushUpdate({ chat_member: { chat: group, date: 0 } });
    const updates = await telegram.getUpdates(0, 100, 0, []);
    expect(updates.map((u) => u.update_id)).toEqual([cmd.update_id]);
    expect(fake.droppedUpdates.map((d) => d.reason)).toEqual(['privacy', 'privacy', 'allowed_updates']);
    expect(fake.droppedUpdates[2].update.update_id).toBe(member.update_id);
  });
});

describe('files', () => {
  beforeEach(() => setup());

  it('parses multipart sendPhoto with a Buffer and sendDocument with a stream', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 255]);
    const kb = Markup.inlineKeyboard([Markup.button.callback('Open', 'p:1')]);
    const msg = await telegram.sendPhoto(-1001, { source: bytes }, { caption: '<i>Before</i> repair', parse_mode: 'HTML', ...kb });
    expect(msg.photo.at(-1)?.file_size).toBe(bytes.length);
    expect(msg.caption).toBe('Before repair');

    const photo = fake.sent[0];
    expect(photo).toMatchObject({ method: 'sendPhoto', chatId: -1001, caption: '<i>Before</i> repair', parseMode: 'HTML' });
    expect(photo.replyMarkup).toEqual(kb.reply_markup);
    expect(photo.file).toMatchObject({ fileName: 'photo.jpg', size: bytes.length, mimeType: 'image/jpeg' });
    expect(photo.file?.bytes?.equals(bytes)).toBe(true);
    expect(fake.calls[0].params).not.toHaveProperty('method');

    const csv = 'flat,votes\n101,3\n';
    const doc = await telegram.sendDocument(42, { source: Readable.from([Buffer.from(csv)]), filename: 'tally.csv' });
    expect(doc.document).toMatchObject({ file_name: 'tally.csv', mime_type: 'text/csv', file_size: csv.length });
    expect(fake.sent[1].file?.bytes?.toString()).toBe(csv);

    // the bot can re-send by file_id and download its own upload
    await telegram.sendDocument(43, doc.document.file_id);
    expect(fake.sent[2].file?.fileId).toBe(doc.document.file_id);
    const link = await telegram.getFileLink(doc.document.file_id);
    expect(await (await fetch(link)).text()).toBe(csv);

    const unknown = await telegramError(telegram.sendDocument(43, 'no-such-file-id'));
    expect(unknown.description).toBe('Bad Request: wrong file identifier/HTTP URL specified');
  });

  it('lets a bot download a document sent by a user; refuses files over 20 MB', async () => {
    const content = Buffer.from('%PDF-1.4 minutes of the council meeting');
    const u = fake.sendDocument({ from: { id: 7 }, fileName: 'minutes.pdf', mimeType: 'application/pdf', content });
    expect(u.message.document).toMatchObject({ file_name: 'minutes.pdf', mime_type: 'application/pdf', file_size: content.length });
    const file = await telegram.getFile(u.message.document.file_id);
    expect(file.file_path).toMatch(/^documents\/file_\d+\.pdf$/);
    const res = await fetch(await telegram.getFileLink(file));
    expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true);

    const big = fake.sendDocument({ from: { id: 7 }, fileName: 'scan.pdf', size: 25 * 1024 * 1024, content: Buffer.from('x') });
    const err = await telegramError(telegram.getFile(big.message.document.file_id));
    expect(err.description).toBe('Bad Request: file is too big');

    const p = fake.sendPhoto({ from: { id: 7 }, caption: 'leak in stairwell' });
    expect(p.message.photo).toHaveLength(3);
    const largest = p.message.photo.at(-1)!;
    expect((await telegram.getFile(largest.file_id)).file_path).toMatch(/^photos\//);
  });
});

describe('failure injection and limits', () => {
  it('failNext 429/403/500 answer like Telegram', async () => {
    await setup();
    fake.failNext({ method: 'sendMessage', errorCode: 429, retryAfter: 3 });
    const err = await telegramError(telegram.sendMessage(1, 'hi'));
    expect(err.code).toBe(429);
    expect(err.response.parameters?.retry_after).toBe(3);
    expect(err.description).toBe('Too Many Requests: retry after 3');
    await expect(telegram.sendMessage(1, 'hi')).resolves.toBeTruthy(); // consumed

    fake.failNext({ chatId: -100500, errorCode: 403, times: 2 });
    await telegram.sendMessage(-100600, 'other chat is fine');
    expect((await telegramError(telegram.sendMessage(-100500, 'x'))).description).toBe('Forbidden: bot was kicked from the group chat');
    expect((await telegramError(telegram.sendMessage(-100500, 'x'))).code).toBe(403);
    await telegram.sendMessage(-100500, 'third works');

    fake.failNext({ errorCode: 500 });
    const e500 = await telegramError(telegram.sendChatAction(1, 'typing'));
    expect(e500.code).toBe(500);
    expect(e500.description).toBe('Internal Server Error'); // telegraf uses the HTTP status text
    expect(fake.calls.filter((c) => c.injected)).toHaveLength(4);
  });

  it('enforceLimits refuses a burst to one chat with 429 and counts violations', async () => {
    await setup({ enforceLimits: true });
    const results = await Promise.allSettled([1, 2, 3].map((i) => telegram.sendMessage(77, `msg ${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(2);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(TelegramError);
      expect((r.reason as TelegramError).code).toBe(429);
      expect((r.reason as TelegramError).parameters?.retry_after).toBe(1);
    }
    expect(fake.violations).toHaveLength(2);
    expect(fake.violations[0]).toMatchObject({ rule: 'perChat', chatId: 77, retryAfter: 1 });
    expect(fake.messagesTo(77)).toHaveLength(1);
    await telegram.sendMessage(78, 'another chat is fine');
  });

  it('scaled limits: waiting retry_after is enough; group and global windows apply', async () => {
    await setup({ enforceLimits: true, limits: { timeScale: 0.1 } }); // 1 "second" = 100 ms
    await telegram.sendMessage(1, 'a');
    const err = await telegramError(telegram.sendMessage(1, 'b'));
    const retry = err.parameters?.retry_after ?? 0;
    expect(retry).toBeCloseTo(0.1);
    await new Promise((r) => setTimeout(r, retry * 1000));
    await telegram.sendMessage(1, 'b');
    await fake.close();

    await setup({ enforceLimits: true, limits: { perChatPerSecond: 10, perGroupPerMinute: 3 } });
    for (let i = 0; i < 3; i++) await telegram.sendMessage(-500, `g${i}`);
    expect((await telegramError(telegram.sendMessage(-500, 'g3'))).code).toBe(429);
    expect(fake.violations.map((v) => v.rule)).toEqual(['perGroup']);
    expect(fake.violations[0].retryAfter).toBeGreaterThanOrEqual(59);
    await fake.close();

    await setup({ enforceLimits: true, limits: { globalPerSecond: 5 } });
    const burst = await Promise.allSettled([10, 11, 12, 13, 14, 15, 16].map((c) => telegram.sendMessage(c, 'x')));
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(fake.violations.map((v) => v.rule)).toEqual(['global', 'global']);
  });
});

describe('holdAnswers', () => {
  it('stores the message at once and answers only on release; other calls are not held', async () => {
    await setup();
    const held = fake.holdAnswers({ method: 'sendMessage', chatId: -700 });
    let answered = false;
    const pending = telegram.sendMessage(-700, 'accepted, not yet answered').then((m) => {
      answered = true;
      return m;
    });
    await held.waitForHeld(1);
    expect(fake.messagesTo(-700).map((m) => m.text)).toEqual(['accepted, not yet answered']);
    await telegram.sendMessage(-701, 'another chat goes through');
    await telegram.sendMessage(-700, 'the hold was used up');
    expect(answered).toBe(false);
    held.release();
    const message = await pending;
    expect(message.message_id).toBe(fake.messagesTo(-700)[0].messageId);
    expect(held.calls.map((c) => c.method)).toEqual(['sendMessage']);
  });
});

describe('waitFor', () => {
  beforeEach(() => setup());

  it('resolves with already-sent and future messages; waitForCount', async () => {
    await telegram.sendMessage(3, 'first');
    await expect(fake.waitFor({ chatId: 3, text: 'first' })).resolves.toMatchObject({ messageId: 1 });
    const later = fake.waitFor((m) => m.text === 'later', { since: fake.sent.length });
    const count = fake.waitForCount(3, 3);
    setTimeout(() => {
      void telegram.sendMessage(3, 'later').then(() => telegram.sendMessage(3, 'third'));
    }, 10);
    await expect(later).resolves.toMatchObject({ messageId: 2 });
    expect((await count).map((m) => m.text)).toEqual(['first', 'later', 'third']);
  });

  it('times out with a helpful error listing the last sent texts', async () => {
    await telegram.sendMessage(3, 'Welcome to Linli');
    await telegramError(telegram.sendMessage(3, 'x'.repeat(5000)));
    const t0 = performance.now();
    const err = await fake.waitFor({ chatId: 3, text: /goodbye/ }, { timeoutMs: 80 }).catch((e: unknown) => e as Error);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toContain('no sent message matched');
    expect(err.message).toContain('within 80 ms');
    expect(err.message).toContain('"Welcome to Linli"');
    expect(err.message).toContain('message is too long');
  });
});

describe('with a real Telegraf bot', () => {
  beforeEach(() => setup());

  it('launch() polls, receives /start, replies; stop() ends polling', async () => {
    const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    const errors: unknown[] = [];
    bot.catch((e) => {
      errors.push(e);
    });
    bot.start((ctx) => ctx.reply(`Welcome, ${ctx.from.first_name}!`, Markup.inlineKeyboard([Markup.button.callback('Join', 'join')])));
    bot.action('join', async (ctx) => {
      await ctx.answerCbQuery('Joined');
      await ctx.editMessageText('You joined ✅');
    });

    const launching = bot.launch();
    // pitfall: stop() before polling starts throws "Bot is not running!"
    expect(() => bot.stop()).toThrow('Bot is not running!');
    await fake.waitForCall('getUpdates');

    fake.sendText({ from: { id: 7, first_name: 'Mei' }, text: '/start' });
    const welcome = await fake.waitFor({ chatId: 7, text: 'Welcome' });
    expect(welcome.plainText).toBe('Welcome, Mei!');
    expect(welcome.messageId).toBe(2); // the user's /start was message 1 in this chat

    const press = fake.pressButton({ from: { id: 7, first_name: 'Mei' }, messageId: welcome.messageId, buttonText: 'Join' });
    expect(press.callback_query).toMatchObject({ data: 'join', message: { message_id: 2, text: 'Welcome, Mei!' } });
    await fake.waitFor({ kind: 'edit', text: 'You joined' });
    await fake.waitForUpdatesConfirmed();
    expect(fake.callbackAnswers).toEqual([{ callback_query_id: press.callback_query.id, text: 'Joined' }]);
    expect(() => fake.pressButton({ from: { id: 7 }, messageId: welcome.messageId, data: 'join' })).toThrow(/has no button/);

    bot.stop('test done');
    await launching;
    expect(errors).toEqual([]);
    const methods = fake.calls.map((c) => c.method);
    expect(methods.slice(0, 3)).toEqual(['getMe', 'deleteWebhook', 'getUpdates']);
  });

  it('delivers updates by webhook, checks the secret and executes webhook replies', async () => {
    const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    bot.catch((e) => {
      throw e;
    });
    bot.on('callback_query', (ctx) => ctx.answerCbQuery('ok')); // sent as a webhook reply
    bot.on('text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    const handler = await bot.createWebhook({ domain: 'bot.example.org', path: '/hook', secret_token: 's3cret' });
    expect(fake.webhookInfo).toEqual({ url: 'https://bot.example.org/hook', secretToken: 's3cret' });
    expect((await telegramError(telegram.getUpdates(0, 100, 0, []))).code).toBe(409);

    const server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    try {
      const text = fake.sendText({ from: { id: 9 }, text: 'ping', enqueue: false });
      expect(await fake.deliverWebhook(url, text)).toBe(200);
      expect(fake.sent.at(-1)).toMatchObject({ chatId: 9, text: 'echo: ping' });

      expect(await fake.deliverWebhook(url, text, 'wrong')).toBe(403);
      expect(await fake.deliverWebhook(url, text, null)).toBe(403);

      const m = await telegram.sendMessage(9, 'pick', Markup.inlineKeyboard([Markup.button.callback('A', 'a')]));
      const cb = fake.pressButton({ from: { id: 9 }, messageId: m.message_id, data: 'a', enqueue: false });
      expect(await fake.deliverWebhook(url, cb)).toBe(200);
      expect(fake.callbackAnswers).toEqual([{ callback_query_id: cb.callback_query.id, text: 'ok' }]);
      expect(fake.calls.at(-1)).toMatchObject({ method: 'answerCallbackQuery', via: 'webhook-reply', ok: true });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
