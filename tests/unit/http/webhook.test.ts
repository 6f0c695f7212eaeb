/**
 * The Telegram webhook as a hostile client sees it: the real HTTP server (Fastify) with the
 * real telegraf adapter in webhook mode behind it, the fake Bot API for its API calls, and raw
 * sockets for the requests. After every bad request a good update is still handled and
 * answered, so no bad request takes the server down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../../src/adapters/telegram/telegramAdapter.ts';
import { createHttpServer, type HttpServer } from '../../../src/http/server.ts';
import { webhookRoutes } from '../../../src/http/webhook.ts';
import { createLogger } from '../../../src/log.ts';
import type { Incoming } from '../../../src/platform/messages.ts';
import { startFakeBotApi, type FakeBotApi } from '../../support/fakeBotApi.ts';
import { openRaw, pause, postBytes, rawRequest } from './rawHttp.ts';

const SECRET = 'sesame_42-x';
const PUBLIC_URL = 'https://bot.example.org/tg/hook';
const resident = { id: 5101, first_name: '王', language_code: 'zh' };

describe('the Telegram webhook on the HTTP server', () => {
  let fake: FakeBotApi;
  let adapter: TelegramAdapter;
  let server: HttpServer;
  let port: number;
  let seq = 0;
  const received: Incoming[] = [];
  const hook = () => `http://127.0.0.1:${port}/tg/hook`;
  const post = (body: Buffer | string, headers: Record<string, string | undefined> = {}) => postBytes('/tg/hook', body, { 'x-telegram-bot-api-secret-token': SECRET, ...headers });
  const commands = () => received.filter((i) => i.type === 'command');

  /** A real update, delivered as Telegram would, is handled and answered through the Bot API. */
  const stillServing = async () => {
    const n = ++seq;
    const update = fake.sendText({ from: resident, text: `/echo ok-${n}`, enqueue: false });
    expect(await fake.deliverWebhook(hook(), update, SECRET)).toBe(200);
    await fake.waitFor({ chatId: resident.id, text: `echo ok-${n}` });
  };

  beforeAll(async () => {
    fake = await startFakeBotApi();
    const log = createLogger('silent');
    adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, webhookUrl: PUBLIC_URL, webhookSecret: SECRET, log });
    server = createHttpServer({ host: '127.0.0.1', port: 0, log, limits: { headersTimeoutMs: 300, requestTimeoutMs: 800 } });
    server.register(webhookRoutes(adapter.webhook!));
    port = (await server.start())!.port;
    await adapter.start(async (incoming) => {
      received.push(incoming);
      if (incoming.type === 'command') await adapter.send(incoming.chat.chatId, { text: `echo ${incoming.args}` });
    });
    // Registering the URL is the leader's part (createLinli calls it once this instance leads).
    await adapter.lead?.();
  });

  afterAll(async () => {
    await adapter?.stop();
    await server?.close();
    await fake?.close();
  });

  it('tells Telegram the public URL and the secret, and handles a real update', async () => {
    expect(fake.webhookInfo).toMatchObject({ url: PUBLIC_URL, secretToken: SECRET });
    await stillServing();
    expect(commands().at(-1)).toMatchObject({ type: 'command', command: 'echo', chat: { chatId: String(resident.id), kind: 'private' } });
  });

  it.each([
    ['null', 'null'],
    ['an empty array', '[]'],
    ['an array of updates', '[{"update_id":1,"message":{}}]'],
    ['a number', '42'],
    ['a string', '"update"'],
    ['a boolean', 'true'],
    ['broken JSON', '{"update_id":'],
    ['an empty body', ''],
    ['an object that is no update', '{"hello":"world"}'],
    ['prototype poisoning', '{"update_id":7,"__proto__":{"admin":true}}'],
  ])('answers 400 to %s with the right secret, and keeps serving', async (_what, body) => {
    const before = received.length;
    const res = await rawRequest(port, post(body));
    expect(res.status).toBe(400);
    expect(res.body).not.toMatch(/at .*\.(ts|js)|stack|Unexpected token/i);
    expect(received.length).toBe(before);
    await stillServing();
  });

  it('answers 400 to bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('{"update_id":9,"x":"'), Buffer.from([0xe9, 0x82]), Buffer.from('"}')]);
    expect((await rawRequest(port, post(bytes))).status).toBe(400);
    await stillServing();
  });

  it('keeps a character split across two TCP writes intact', async () => {
    const update = fake.sendText({ from: resident, text: '/echo 邻里你好', enqueue: false });
    const request = post(JSON.stringify(update));
    // Cut inside 邻 (three bytes in UTF-8): the first write ends with its first byte.
    const cut = request.indexOf(Buffer.from('邻', 'utf8')) + 1;
    const conn = await openRaw(port);
    await conn.write(request.subarray(0, cut));
    await pause(50);
    await conn.write(request.subarray(cut));
    expect((await conn.response()).status).toBe(200);
    expect(commands().at(-1)).toMatchObject({ command: 'echo', args: '邻里你好' });
    await fake.waitFor({ chatId: resident.id, text: 'echo 邻里你好' });
  });

  it('refuses a 2 MB body announced by Content-Length with 413 before reading it', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const request = post(big);
    const conn = await openRaw(port);
    // Headers only: the answer comes without a byte of the body.
    await conn.write(request.subarray(0, request.indexOf('\r\n\r\n') + 4));
    const res = await conn.response();
    expect(res.status).toBe(413);
    await stillServing();
  });

  it('refuses a 2 MB chunked body with 413 once it passes the limit', async () => {
    const head = postBytes('/tg/hook', '', { 'x-telegram-bot-api-secret-token': SECRET, 'content-length': undefined, 'transfer-encoding': 'chunked' });
    const conn = await openRaw(port);
    await conn.write(head);
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const chunk = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
    let written = 0;
    // Stop writing as soon as the server answered (or after 2 MB, which it must not accept).
    conn.firstBytes().then(() => (written = Infinity));
    while (written < 2 * 1024 * 1024 && (await conn.write(chunk))) {
      written += piece.length;
      await pause(1);
    }
    if (written !== Infinity && !conn.closed) await conn.write('0\r\n\r\n');
    const res = await conn.response();
    expect(res.status).toBe(413);
    await stillServing();
  });

  it('cuts off a client that trickles its headers (slow loris)', async () => {
    const conn = await openRaw(port);
    await conn.write(`POST /tg/hook HTTP/1.1\r\nhost: bot.example.org\r\nx-telegram-bot-api-secret-token: ${SECRET}\r\n`);
    // One header line every 25 ms, for up to 10 s: far longer than the server allows.
    for (let i = 0; i < 400 && !conn.closed; i++) {
      await pause(25);
      await conn.write(`x-slow-${i}: 1\r\n`);
    }
    const res = await conn.response(1000);
    expect(res.closedByServer).toBe(true);
    expect([0, 408]).toContain(res.status);
    await stillServing();
  });

  it('cuts off a client that trickles its body', async () => {
    const conn = await openRaw(port);
    const body = Buffer.alloc(1000, 0x20);
    const request = post(body);
    await conn.write(request.subarray(0, request.indexOf('\r\n\r\n') + 4));
    for (let i = 0; i < 400 && !conn.closed; i++) {
      await pause(25);
      await conn.write(' ');
    }
    const res = await conn.response(1000);
    expect(res.closedByServer).toBe(true);
    expect([0, 408]).toContain(res.status);
    await stillServing();
  });

  it('cuts off a client that connects and sends nothing', async () => {
    const conn = await openRaw(port);
    const res = await conn.response(10_000);
    expect(res.closedByServer).toBe(true);
    await stillServing();
  });

  it('answers 403 to a wrong or missing secret without parsing the body', async () => {
    const before = received.length;
    // The body is not JSON: parsing it would answer 400, so 403 shows it was never read.
    const garbage = '{{{ not json';
    expect((await rawRequest(port, post(garbage, { 'x-telegram-bot-api-secret-token': 'wrong' }))).status).toBe(403);
    expect((await rawRequest(port, post(garbage, { 'x-telegram-bot-api-secret-token': undefined }))).status).toBe(403);
    expect((await rawRequest(port, post(garbage, { 'x-telegram-bot-api-secret-token': `${SECRET}x` }))).status).toBe(403);
    // Nor is a body over the limit read: the secret is checked first.
    const conn = await openRaw(port);
    const big = post(Buffer.alloc(2 * 1024 * 1024, 0x20), { 'x-telegram-bot-api-secret-token': 'wrong' });
    await conn.write(big.subarray(0, big.indexOf('\r\n\r\n') + 4));
    expect((await conn.response()).status).toBe(403);
    // A real update with a wrong secret is not handled either.
    const forged = fake.sendText({ from: resident, text: '/echo forged', enqueue: false });
    expect(await fake.deliverWebhook(hook(), forged, 'wrong')).toBe(403);
    expect(received.length).toBe(before);
    expect((await rawRequest(port, post(garbage))).status).toBe(400);
    await stillServing();
  });

  it('answers only the webhook path: everything else is 404, without echoing the path', async () => {
    const get = (path: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nhost: bot.example.org\r\nconnection: close\r\n\r\n`, 'latin1');
    for (const bytes of [get('/'), get('/tg/hook'), get('/admin/../etc/passwd'), postBytes('/other', '{}', { 'x-telegram-bot-api-secret-token': SECRET }), postBytes('/tg/hook/more', '{}'), postBytes('/TG/HOOK', '{}')]) {
      const res = await rawRequest(port, bytes);
      expect(res.status).toBe(404);
      expect(res.body).not.toMatch(/other|passwd|hook|more/i);
    }
    await stillServing();
  });

  it('answers 415 to a body that is not JSON', async () => {
    expect((await rawRequest(port, post('update_id=1', { 'content-type': 'application/x-www-form-urlencoded' }))).status).toBe(415);
    await stillServing();
  });

  it('answers 503 once the adapter stopped, so Telegram delivers the update again later', async () => {
    const before = received.length;
    await adapter.stop();
    const update = fake.sendText({ from: resident, text: '/echo late', enqueue: false });
    expect(await fake.deliverWebhook(hook(), update, SECRET)).toBe(503);
    expect(received.length).toBe(before);
  });
});
