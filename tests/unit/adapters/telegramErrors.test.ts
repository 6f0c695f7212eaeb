/**
 * What Telegram answers, as the outbox sees it. A chat the bot can no longer reach — kicked,
 * not a member, a chat that is not found — is `forbidden`, so the outbox marks the group
 * inactive and drops what was queued for it; an upgraded group names its new id. Against the
 * fake Bot API answering exactly those errors, through the real adapter and the real outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter, type TelegramAdapter } from '../../../src/adapters/telegram/telegramAdapter.ts';
import { createLogger } from '../../../src/log.ts';
import { DeliveryError } from '../../../src/platform/adapter.ts';
import type { Community } from '../../../src/generated/prisma/client.ts';
import { startFakeBotApi, type FakeBotApi } from '../../support/fakeBotApi.ts';
import { bindTelegramGroup, makeCommunity } from '../../support/fixtures.ts';
import { startTestBot, textOf, type TestBot } from '../../support/harness.ts';

const GROUP = -1001000000555;

/** The DeliveryError a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<DeliveryError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(err)}`);
  return err;
}

describe('Telegram errors mapped for the outbox', () => {
  let fake: FakeBotApi;
  let adapter: TelegramAdapter;

  beforeAll(async () => {
    fake = await startFakeBotApi();
    adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, log: createLogger('silent') });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it.each([
    [400, 'Bad Request: chat not found', 'forbidden'],
    [400, 'Bad Request: PEER_ID_INVALID', 'forbidden'],
    [403, 'Forbidden: bot was kicked from the supergroup chat', 'forbidden'],
    [403, 'Forbidden: bot was kicked from the group chat', 'forbidden'],
    [403, 'Forbidden: bot is not a member of the supergroup chat', 'forbidden'],
    [400, 'Bad Request: bot is not a member of the supergroup chat', 'forbidden'],
    [403, 'Forbidden: the group chat was deleted', 'forbidden'],
    [403, 'Forbidden: bot was blocked by the user', 'forbidden'],
    [400, 'Bad Request: message text is empty', 'permanent'],
    [400, "Bad Request: can't parse entities", 'permanent'],
    [500, undefined, 'transient'],
  ] as const)('%i %s → %s (send and edit)', async (errorCode, description, kind) => {
    fake.failNext({ method: 'sendMessage', chatId: GROUP, errorCode, description });
    expect((await failure(adapter.send(String(GROUP), { text: '通知' }))).kind).toBe(kind);
    const sent = await adapter.send(String(GROUP), { text: '通知' });
    fake.failNext({ method: 'editMessageText', chatId: GROUP, errorCode, description });
    expect((await failure(adapter.edit(String(GROUP), sent.messageId, { text: '通知（更正）' }))).kind).toBe(kind);
  });

  it('429 → rate_limited with Telegram’s retry_after', async () => {
    fake.failNext({ method: 'sendMessage', chatId: GROUP, errorCode: 429, retryAfter: 7 });
    const err = await failure(adapter.send(String(GROUP), { text: '通知' }));
    expect([err.kind, err.retryAfterSec]).toEqual(['rate_limited', 7]);
  });

  it('an unchanged edit is success; a message that is gone is permanent', async () => {
    const sent = await adapter.send(String(GROUP), { text: '原文' });
    await expect(adapter.edit(String(GROUP), sent.messageId, { text: '原文' })).resolves.toBeUndefined();
    expect((await failure(adapter.edit(String(GROUP), '999999', { text: '改' }))).kind).toBe('permanent');
  });

  it('an upgraded group answers with its new id, which the error carries', async () => {
    const old = -4000777;
    const next = -1001000000777;
    await adapter.send(String(old), { text: '升级之前' });
    fake.migrateGroup({ from: { id: 9 }, chatId: old, toChatId: next, enqueue: false });
    const err = await failure(adapter.send(String(old), { text: '升级之后' }));
    expect(err).toMatchObject({ kind: 'permanent', movedToChatId: String(next) });
    expect(err.message).toMatch(/upgraded to a supergroup/);
    // The new id works.
    await expect(adapter.send(String(next), { text: '新群' })).resolves.toMatchObject({ messageId: expect.any(String) });
  });
});

describe('the outbox retires a group Telegram says is gone', () => {
  let fake: FakeBotApi;
  let bot: TestBot;
  let community: Community;
  const groups = { notFound: -1001000000601, kicked: -1001000000602, notMember: -1001000000603, fine: -1001000000604 };
  const active = async (chatId: number) => (await bot.db.chatGroup.findUniqueOrThrow({ where: { platform_chatId: { platform: 'telegram', chatId: String(chatId) } } })).active;

  beforeAll(async () => {
    fake = await startFakeBotApi();
    bot = await startTestBot({ fake });
    community = await makeCommunity(bot.db);
    for (const chatId of Object.values(groups)) await bindTelegramGroup(bot.db, community, chatId, `群${chatId}`);
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it('marks the group inactive on "chat not found", "bot was kicked" and "bot is not a member", and drops what was queued for it', async () => {
    fake.failNext({ method: 'sendMessage', chatId: groups.notFound, errorCode: 400, description: 'Bad Request: chat not found' });
    fake.failNext({ method: 'sendMessage', chatId: groups.kicked, errorCode: 403, description: 'Forbidden: bot was kicked from the supergroup chat' });
    fake.failNext({ method: 'sendMessage', chatId: groups.notMember, errorCode: 403, description: 'Forbidden: bot is not a member of the supergroup chat' });
    const { outbox } = bot.linli.services;
    await outbox.publishToCommunity(community.id, 'notice:1', () => ({ text: '第一条通知' }));
    await outbox.publishToCommunity(community.id, 'notice:2', () => ({ text: '第二条通知' }));
    await bot.flushOutbox();

    for (const gone of [groups.notFound, groups.kicked, groups.notMember]) {
      expect(await active(gone)).toBe(false);
      const rows = await bot.db.outboxMessage.findMany({ where: { chatId: String(gone) } });
      expect(rows.map((r) => r.status)).toEqual(['dropped', 'dropped']);
      expect(fake.messagesTo(gone)).toEqual([]);
    }
    expect(await active(groups.fine)).toBe(true);
    expect(fake.messagesTo(groups.fine).map(textOf)).toEqual(['第一条通知', '第二条通知']);

    // Later publications skip the retired groups.
    await outbox.publishToCommunity(community.id, 'notice:3', () => ({ text: '第三条通知' }));
    await bot.flushOutbox();
    expect(await bot.db.outboxMessage.count({ where: { key: { startsWith: 'notice:3:' } } })).toBe(1);
  });
});
