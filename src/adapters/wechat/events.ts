/**
 * What wechaty reports, turned into Linli's events: messages (toIncoming.ts), the bot or others
 * joining a room, the bot leaving one, friend requests (accepted, so residents can continue a
 * scene in a private chat), the login QR code, logins and logouts (reconnect.ts), and errors.
 */
import { qrcodeValueToImageUrl, types, type Wechaty } from 'wechaty';
import type { AdapterLog } from '../../platform/adapter.ts';
import type { Incoming } from '../../platform/messages.ts';
import { showQrCode } from './qr.ts';
import type { Reconnector } from './reconnect.ts';
import { messageToIncoming } from './toIncoming.ts';

/** What the event handlers need. */
export interface EventOptions {
  sink(incoming: Incoming): Promise<void>;
  log: AdapterLog;
  reconnector: Reconnector;
  /** Rooms seen so far: a room id is not always recognisable by its shape. */
  rooms: Set<string>;
  qrInTerminal?: boolean;
  acceptFriends?: boolean;
}

/** How long a repeated identical error stays out of the log. */
const ERROR_QUIET_MS = 60_000;

/** Subscribes to every wechaty event Linli acts on. */
export function attachEvents(bot: Wechaty, opts: EventOptions): void {
  const { sink, log, rooms, reconnector } = opts;

  bot.on('scan', (qrcode, status) => {
    if (status !== types.ScanStatus.Waiting && status !== types.ScanStatus.Timeout) return;
    const url = qrcodeValueToImageUrl(qrcode);
    log.info({ url, status: types.ScanStatus[status] }, 'scan this QR code with WeChat to log in');
    if (opts.qrInTerminal) void showQrCode(qrcode, url);
  });
  bot.on('login', (user) => reconnector.loggedIn(user.name()));
  bot.on('logout', (user, reason) => reconnector.loggedOut(user?.name(), reason ? String(reason) : undefined));

  // Puppets retry on their own and repeat the same error many times a second while the
  // network is down: log each distinct error once a minute.
  const lastErrorAt = new Map<string, number>();
  bot.on('error', (err) => {
    const key = String(err?.message ?? err);
    const seen = lastErrorAt.get(key);
    if (seen !== undefined && Date.now() - seen < ERROR_QUIET_MS) return void log.debug({ err: key }, 'wechat error repeated');
    if (lastErrorAt.size > 100) lastErrorAt.clear();
    lastErrorAt.set(key, Date.now());
    log.error({ err }, 'wechat error');
  });

  bot.on('message', (message) => {
    void (async () => {
      const incoming = await messageToIncoming(message);
      if (!incoming) return;
      if (incoming.chat.kind === 'group') rooms.add(incoming.chat.chatId);
      await sink(incoming);
    })().catch((err) => log.error({ err }, 'wechat message failed'));
  });

  bot.on('room-join', (room, invitees, inviter) => {
    rooms.add(room.id);
    const added = invitees.some((c) => c.self());
    void (async () => {
      const topic = await room.topic().catch(() => undefined);
      const chat = { platform: 'wechat' as const, chatId: room.id, kind: 'group' as const, title: topic };
      for (const who of added ? [inviter] : invitees) {
        if (who.self()) continue;
        await sink({ type: added ? 'bot_added' : 'member_joined', chat, sender: { platform: 'wechat', userId: who.id, displayName: who.name() } });
      }
    })().catch((err) => log.error({ err }, 'wechat room-join failed'));
  });

  bot.on('room-leave', (room, leavers, remover) => {
    if (!leavers.some((c) => c.self())) return;
    const who = remover ?? leavers[0];
    void sink({ type: 'bot_removed', chat: { platform: 'wechat', chatId: room.id, kind: 'group' }, sender: { platform: 'wechat', userId: who.id, displayName: who.name() } }).catch((err) =>
      log.error({ err }, 'wechat room-leave failed'),
    );
  });

  bot.on('friendship', (friendship) => {
    if (opts.acceptFriends === false || friendship.type() !== types.Friendship.Receive) return;
    friendship.accept().catch((err) => log.warn({ err }, 'could not accept a friend request'));
  });
}
