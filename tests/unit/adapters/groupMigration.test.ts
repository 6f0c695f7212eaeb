/**
 * A Telegram group upgraded to a supergroup: the adapter turns both of Telegram's service
 * messages into one neutral `group_migrated` event, and `moveGroup` carries the group's binding,
 * pending messages, open polls' cards, scenes and remembered choices over to the new id — on a
 * real SQLite file, and end to end with the real bot against the fake Bot API, which refuses the
 * old id after the upgrade as Telegram does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../../src/adapters/telegram/telegramAdapter.ts';
import type { Db } from '../../../src/db/client.ts';
import { closePoll } from '../../../src/domain/polls/lifecycle.ts';
import { createPoll, type PollWithOptions } from '../../../src/domain/polls/polls.ts';
import type { PollDraft } from '../../../src/domain/polls/rules.ts';
import { ensureGroup } from '../../../src/domain/residents/communities.ts';
import { moveGroup } from '../../../src/domain/residents/groupMove.ts';
import { publishPoll } from '../../../src/features/polls/lifecycle.ts';
import type { Community } from '../../../src/generated/prisma/client.ts';
import { createLogger } from '../../../src/log.ts';
import { Outbox } from '../../../src/outbox/outbox.ts';
import type { Incoming } from '../../../src/platform/messages.ts';
import { startFakeBotApi, type FakeBotApi } from '../../support/fakeBotApi.ts';
import { bindTelegramGroup, grantRole, makeCommunity, OPERATOR, telegramPerson } from '../../support/fixtures.ts';
import { buttonsOf, freshDatabase, startTestBot, testClock, textOf, type TestBot } from '../../support/harness.ts';

const OLD = -4012345;
const NEW = -1001234567890;
const upgrader = { id: 31, first_name: '群主老陈', language_code: 'zh-CN' };

const draft = (closesAt: Date, question = '是否同意在3栋门前加装休闲座椅？'): PollDraft => ({
  question,
  options: 'standard',
  maxChoices: 1,
  electorate: 'residents',
  anonymous: true,
  allowChange: true,
  closesAt,
  quorum: { kind: 'none' },
  rule: 'majority',
  liveResults: false,
});

describe('the Telegram adapter reports an upgraded group', () => {
  it('turns both service messages into the same group_migrated event, under the old id', async () => {
    const fake = await startFakeBotApi();
    const adapter = createTelegramAdapter({ token: fake.token, apiRoot: fake.apiRoot, log: createLogger('silent') });
    const seen: Incoming[] = [];
    try {
      await adapter.start(async (i) => void seen.push(i));
      fake.sendText({ from: upgrader, chat: { id: OLD, type: 'group', title: '幸福里居民群' }, text: '/help' });
      fake.migrateGroup({ from: upgrader, chatId: OLD, toChatId: NEW });
      fake.sendText({ from: upgrader, chat: { id: NEW, type: 'supergroup', title: '幸福里居民群' }, text: '/help' });
      await fake.waitForUpdatesConfirmed();
      expect(seen.map((i) => i.type)).toEqual(['command', 'group_migrated', 'group_migrated', 'command']);
      const moves = seen.filter((i) => i.type === 'group_migrated');
      for (const m of moves) {
        expect(m).toMatchObject({
          fromChatId: String(OLD),
          toChatId: String(NEW),
          chat: { platform: 'telegram', chatId: String(OLD), kind: 'group', title: '幸福里居民群' },
          sender: { userId: String(upgrader.id) },
        });
      }
      expect(new Set(moves.map((m) => m.updateKey)).size).toBe(2);
      expect(seen[3].chat).toMatchObject({ chatId: String(NEW), kind: 'group' });
    } finally {
      await adapter.stop();
      await fake.close();
    }
  });
});

describe('moveGroup on the database', () => {
  let db: Db;
  let community: Community;
  const now = new Date('2026-11-20T02:00:00Z');
  let outbox: Outbox;
  const group = (chatId: number) => db.chatGroup.findUnique({ where: { platform_chatId: { platform: 'telegram', chatId: String(chatId) } } });
  const row = (key: string) => db.outboxMessage.findUniqueOrThrow({ where: { key } });
  /** What the worker records after a send. */
  const markSent = (key: string, messageId: number) => db.outboxMessage.update({ where: { key }, data: { status: 'sent', sentAt: now, platformMessageId: String(messageId), partsSent: 1 } });

  beforeAll(async () => {
    ({ db } = await freshDatabase());
    community = await makeCommunity(db);
    outbox = new Outbox(db, () => now);
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it('keeps the group row, its binding and its language under the new id, once', async () => {
    await bindTelegramGroup(db, community, OLD, '幸福里居民群');
    await db.chatGroup.update({ where: { platform_chatId: { platform: 'telegram', chatId: String(OLD) } }, data: { locale: 'en', active: false } });
    const before = (await group(OLD))!;
    const result = await moveGroup(db, 'telegram', String(OLD), String(NEW), now);
    expect(result.group).toBe('moved');
    expect(await group(OLD)).toBeNull();
    // Same row: announcements that name the group by id still reach it. Active again: it is alive under the new id.
    expect(await group(NEW)).toMatchObject({ id: before.id, communityId: community.id, locale: 'en', title: '幸福里居民群', active: true });
    const audit = await db.auditEntry.findMany({ where: { action: 'group.migrated' } });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].details!)).toMatchObject({ fromChatId: String(OLD), toChatId: String(NEW) });

    // Telegram announces the move twice: the second call finds nothing left to move.
    expect(await moveGroup(db, 'telegram', String(OLD), String(NEW), now)).toEqual({ group: 'none', pending: 0, reposted: 0, dropped: 0 });
    expect(await group(NEW)).toMatchObject({ id: before.id });
    expect(await db.auditEntry.count({ where: { action: 'group.migrated' } })).toBe(1);
  });

  it('replaces a placeholder row made for the new id before the move was known', async () => {
    const old = -4002;
    const next = -1004002;
    await bindTelegramGroup(db, community, old, '二号楼群');
    const placeholder = await ensureGroup(db, { platform: 'telegram', chatId: String(next), title: '二号楼群' });
    const bound = (await group(old))!;
    expect((await moveGroup(db, 'telegram', String(old), String(next), now)).group).toBe('merged');
    expect(await db.chatGroup.findUnique({ where: { id: placeholder.id } })).toBeNull();
    expect(await group(next)).toMatchObject({ id: bound.id, communityId: community.id });
  });

  it('keeps a new id that was bound on its own, retires the old row and retargets scheduled announcements', async () => {
    const old = -4003;
    const next = -1004003;
    await bindTelegramGroup(db, community, old, '三号楼群');
    await bindTelegramGroup(db, community, next, '三号楼群');
    const oldRow = (await group(old))!;
    const newRow = (await group(next))!;
    const announcement = await db.announcement.create({ data: { communityId: community.id, text: '停水通知', sendAt: new Date(now.getTime() + 3_600_000), groupIds: JSON.stringify([oldRow.id]) } });
    expect((await moveGroup(db, 'telegram', String(old), String(next), now)).group).toBe('kept-new');
    expect(await group(old)).toMatchObject({ id: oldRow.id, active: false });
    expect(await group(next)).toMatchObject({ id: newRow.id, active: true });
    expect(JSON.parse((await db.announcement.findUniqueOrThrow({ where: { id: announcement.id } })).groupIds!)).toEqual([newRow.id]);
  });

  it('moves what the group is still to receive and re-posts open polls’ cards; what was sent stays', async () => {
    const old = -4004;
    const next = -1004004;
    const chat = (id: number) => `telegram:${id}`;
    await bindTelegramGroup(db, community, old, '四号楼群');
    const open = await createPoll(db, { actor: OPERATOR, via: 'test' }, community.id, draft(new Date(now.getTime() + 3 * 86_400_000)), now);
    const closed = await createPoll(db, { actor: OPERATOR, via: 'test' }, community.id, draft(new Date(now.getTime() + 86_400_000), '是否同意更换路灯？'), now);
    await closePoll(db, closed.id, now, null);

    // Sent: an open poll's card (edited once since), a closed poll's card, a notice. Pending: a notice, an edit of the sent notice.
    await outbox.enqueue({ key: `poll:${open.id}:${chat(old)}`, platform: 'telegram', chatId: String(old), communityId: community.id, message: { text: '第1号投票 已投 0 人', buttons: [[{ label: '赞成', action: 'v:x:1' }]] }, refType: 'poll', refId: open.id, pin: true });
    await markSent(`poll:${open.id}:${chat(old)}`, 11);
    await outbox.enqueueEdit(`poll:${open.id}:${chat(old)}`, { text: '第1号投票 已投 3 人', buttons: [[{ label: '赞成', action: 'v:x:1' }]] });
    await markSent(`poll:${open.id}:${chat(old)}#edit`, 11);
    await outbox.enqueue({ key: `poll:${closed.id}:${chat(old)}`, platform: 'telegram', chatId: String(old), communityId: community.id, message: { text: '第2号投票' }, refType: 'poll', refId: closed.id });
    await markSent(`poll:${closed.id}:${chat(old)}`, 12);
    await outbox.enqueue({ key: `notice:sent:${chat(old)}`, platform: 'telegram', chatId: String(old), message: { text: '上周的通知' } });
    await markSent(`notice:sent:${chat(old)}`, 13);
    await outbox.enqueue({ key: `notice:later:${chat(old)}`, platform: 'telegram', chatId: String(old), message: { text: '明天停水' }, notBefore: new Date(now.getTime() + 3_600_000) });
    await outbox.enqueueEdit(`notice:sent:${chat(old)}`, { text: '上周的通知（更正）' });
    // A private message is not the group's business.
    await outbox.enqueue({ key: 'dm:1', platform: 'telegram', chatId: '555', message: { text: '私信' } });
    // Scenes and numbered choices in the group.
    const person = await telegramPerson(db, 777);
    await db.sceneSession.create({ data: { personId: person.id, platform: 'telegram', chatId: String(old), scene: 'demo', step: 'a', state: '{}', expiresAt: new Date(now.getTime() + 600_000) } });
    await db.choiceMemory.create({ data: { platform: 'telegram', chatId: String(old), actions: '["a"]' } });

    const result = await moveGroup(db, 'telegram', String(old), String(next), now);
    expect(result).toEqual({ group: 'moved', pending: 1, reposted: 1, dropped: 1 });

    // The open poll's card goes out again in the new group, with its latest text, buttons and pin.
    const card = await row(`poll:${open.id}:${chat(next)}`);
    expect(card).toMatchObject({ chatId: String(next), status: 'pending', platformMessageId: null, partsSent: 0, pin: true });
    expect(JSON.parse(card.payload)).toEqual({ text: '第1号投票 已投 3 人', buttons: [[{ label: '赞成', action: 'v:x:1' }]] });
    expect(JSON.parse((await row(`poll:${open.id}:${chat(next)}#edit`)).payload).targetKey).toBe(`poll:${open.id}:${chat(next)}`);
    // What was sent stays where it was sent.
    expect(await row(`poll:${closed.id}:${chat(old)}`)).toMatchObject({ chatId: String(old), status: 'sent', platformMessageId: '12' });
    expect(await row(`notice:sent:${chat(old)}`)).toMatchObject({ chatId: String(old), status: 'sent' });
    // Still to come: now for the new id, under a key that names it.
    expect(await row(`notice:later:${chat(next)}`)).toMatchObject({ chatId: String(next), status: 'pending' });
    // The edit of a message left in the old chat cannot be made any more.
    expect(await row(`notice:sent:${chat(old)}#edit`)).toMatchObject({ status: 'dropped', lastError: expect.stringContaining('old chat') });
    expect(await row('dm:1')).toMatchObject({ chatId: '555', status: 'pending' });
    expect(await db.sceneSession.findMany({ where: { personId: person.id } })).toMatchObject([{ chatId: String(next) }]);
    expect(await db.choiceMemory.findUnique({ where: { platform_chatId: { platform: 'telegram', chatId: String(next) } } })).not.toBeNull();

    // Idempotent: nothing is re-posted or moved twice.
    expect(await moveGroup(db, 'telegram', String(old), String(next), now)).toEqual({ group: 'none', pending: 0, reposted: 0, dropped: 0 });
  });

  it('drops a pending message the new id already has, instead of sending it twice', async () => {
    const old = -4005;
    const next = -1004005;
    await bindTelegramGroup(db, community, old, '五号楼群');
    for (const chatId of [old, next]) await outbox.enqueue({ key: `digest:w47:telegram:${chatId}`, platform: 'telegram', chatId: String(chatId), message: { text: '本周简报' } });
    expect(await moveGroup(db, 'telegram', String(old), String(next), now)).toMatchObject({ pending: 0, dropped: 1 });
    expect(await row(`digest:w47:telegram:${old}`)).toMatchObject({ status: 'dropped' });
    expect(await row(`digest:w47:telegram:${next}`)).toMatchObject({ status: 'pending' });
  });
});

describe('an upgraded group, end to end with the real bot', () => {
  let fake: FakeBotApi;
  let bot: TestBot;
  let community: Community;
  let poll: PollWithOptions;
  const clock = testClock('2026-11-20T02:00:00Z');
  const resident = { id: 41, first_name: '居民41', language_code: 'zh-CN' };
  const groupSends = (chatId: number) => fake.messagesTo(chatId).filter((m) => m.kind === 'send');

  beforeAll(async () => {
    fake = await startFakeBotApi();
    bot = await startTestBot({ fake, clock });
    community = await makeCommunity(bot.db);
    await bindTelegramGroup(bot.db, community, OLD, '幸福里居民群');
    await grantRole(bot.db, community, resident.id, 'verified');
    poll = await createPoll(bot.db, { actor: OPERATOR, via: 'test' }, community.id, draft(new Date(clock().getTime() + 3 * 86_400_000)), clock());
    await publishPoll(bot.linli.services, poll);
    await bot.flushOutbox();
  });
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
  });

  it('keeps the binding, re-posts the open poll’s card, and delivers what was pending to the new id', async () => {
    const oldCard = groupSends(OLD).at(-1)!;
    expect(buttonsOf(oldCard)).toEqual(['赞成', '反对', '弃权', '议一议']);
    await bot.linli.services.outbox.enqueue({
      key: `notice:water:telegram:${OLD}`,
      platform: 'telegram',
      chatId: String(OLD),
      communityId: community.id,
      message: { text: '明天上午停水' },
      notBefore: new Date(clock().getTime() + 3_600_000),
    });

    // From here on the fake refuses the old id, like Telegram.
    fake.migrateGroup({ from: { id: 31 }, chatId: OLD, toChatId: NEW, enqueue: false });
    const upgradedAt = fake.calls.length;
    // What the router will do with the adapter's group_migrated event.
    await moveGroup(bot.db, 'telegram', String(OLD), String(NEW), clock());
    clock.advance(2 * 3_600_000);
    await bot.flushOutbox();

    const newCard = groupSends(NEW).find((m) => textOf(m).includes(poll.question))!;
    expect(newCard).toBeDefined();
    expect(buttonsOf(newCard)).toEqual(['赞成', '反对', '弃权', '议一议']);
    expect(groupSends(NEW).some((m) => textOf(m).includes('明天上午停水'))).toBe(true);

    // A vote on the new card counts, and the turnout edit goes to the new card.
    await bot.press(resident, newCard, '赞成');
    expect(await bot.db.ballot.count({ where: { pollId: poll.id } })).toBe(1);
    await bot.linli.services.polls.cards.flush();
    await bot.flushOutbox();
    const edits = fake.calls.slice(upgradedAt).filter((c) => c.method === 'editMessageText');
    expect(edits.length).toBeGreaterThan(0);
    for (const e of edits) expect([String(e.params.chat_id), Number(e.params.message_id)]).toEqual([String(NEW), newCard.messageId]);

    // Whatever the community publishes next (announcements, digests) goes to the new id.
    await bot.linli.services.outbox.publishToCommunity(community.id, 'notice:next', () => ({ text: '下周开居民议事会' }));
    await bot.flushOutbox();
    expect(groupSends(NEW).some((m) => textOf(m).includes('下周开居民议事会'))).toBe(true);

    // Nothing was tried on the old id after the upgrade, and the group stayed active.
    expect(fake.calls.slice(upgradedAt).filter((c) => String(c.params.chat_id) === String(OLD))).toEqual([]);
    expect(await bot.db.chatGroup.findUnique({ where: { platform_chatId: { platform: 'telegram', chatId: String(NEW) } } })).toMatchObject({ communityId: community.id, active: true });
  });
});
