/**
 * Turns a Telegram update into Linli's neutral Incoming event (or nothing, for updates Linli
 * does not act on: channel posts, edits, other bots' commands in a group).
 *
 * A basic group upgraded to a supergroup gets a new id. Telegram tells the bot twice: a service
 * message in the old group (`migrate_to_chat_id`) and one in the new supergroup
 * (`migrate_from_chat_id`). Both become the same `group_migrated` event, with `chat` under the
 * old id, so whichever arrives first moves the group and the second finds nothing left to move.
 */
import type { Update, Message, User, Chat } from 'telegraf/types';
import type { ChatRef, Incoming, Sender, UnreadableKind } from '../../platform/messages.ts';

function sender(user: User): Sender {
  return {
    platform: 'telegram',
    userId: String(user.id),
    displayName: [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username || String(user.id),
    username: user.username,
    languageCode: user.language_code,
  };
}

function chatRef(chat: Chat): ChatRef | null {
  if (chat.type === 'private') return { platform: 'telegram', chatId: String(chat.id), kind: 'private' };
  if (chat.type === 'group' || chat.type === 'supergroup') return { platform: 'telegram', chatId: String(chat.id), kind: 'group', title: chat.title };
  return null;
}

/** Splits "/cmd@bot args" into its parts; `forOtherBot` when addressed to another bot. */
export function parseCommand(text: string, botUsername: string): { command: string; args: string; forOtherBot: boolean } | null {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!m) return null;
  const target = m[2];
  return { command: m[1].toLowerCase(), args: (m[3] ?? '').trim(), forOtherBot: !!target && target.toLowerCase() !== botUsername.toLowerCase() };
}

/** The old and new id of a group when the message announces its upgrade to a supergroup. */
function migration(msg: Message): { fromChatId: string; toChatId: string } | null {
  if ('migrate_to_chat_id' in msg && msg.migrate_to_chat_id) return { fromChatId: String(msg.chat.id), toChatId: String(msg.migrate_to_chat_id) };
  if ('migrate_from_chat_id' in msg && msg.migrate_from_chat_id) return { fromChatId: String(msg.migrate_from_chat_id), toChatId: String(msg.chat.id) };
  return null;
}

/** What kind of message Linli cannot read this is. */
function unreadableKind(msg: Message): UnreadableKind {
  if ('voice' in msg || 'audio' in msg || 'video_note' in msg) return 'voice';
  if ('sticker' in msg || 'animation' in msg || 'dice' in msg) return 'sticker';
  if ('video' in msg) return 'video';
  if ('location' in msg || 'venue' in msg) return 'location';
  return 'other';
}

/** Converts an update; returns null for updates Linli ignores. */
export function toIncoming(update: Update, botUsername: string, botId: number): Incoming | null {
  const updateKey = String(update.update_id);
  if ('callback_query' in update) {
    const q = update.callback_query;
    const chat = q.message ? chatRef(q.message.chat) : { platform: 'telegram' as const, chatId: String(q.from.id), kind: 'private' as const };
    if (!chat || !('data' in q) || typeof q.data !== 'string') return null;
    return { type: 'action', updateKey, chat, sender: sender(q.from), data: q.data, actionId: q.id, messageId: q.message ? String(q.message.message_id) : undefined };
  }
  if ('my_chat_member' in update) {
    const m = update.my_chat_member;
    const chat = chatRef(m.chat);
    if (!chat || chat.kind !== 'group') return null;
    const status = m.new_chat_member.status;
    const type = status === 'left' || status === 'kicked' ? 'bot_removed' : status === 'member' || status === 'administrator' ? 'bot_added' : null;
    return type ? { type, updateKey, chat, sender: sender(m.from) } : null;
  }
  if (!('message' in update)) return null;
  const msg = update.message as Message;
  const migrated = migration(msg);
  if (migrated) {
    const chat: ChatRef = { platform: 'telegram', chatId: migrated.fromChatId, kind: 'group', title: 'title' in msg.chat ? msg.chat.title : undefined };
    // Service messages carry the person who upgraded the group; the group stands in otherwise.
    const by = msg.from ? sender(msg.from) : { platform: 'telegram' as const, userId: migrated.fromChatId, displayName: chat.title ?? migrated.fromChatId };
    return { type: 'group_migrated', updateKey, chat, sender: by, ...migrated };
  }
  const chat = chatRef(msg.chat);
  if (!chat || !msg.from || msg.from.is_bot) return null;
  const base = { updateKey, chat, sender: sender(msg.from) };
  if ('new_chat_members' in msg) {
    const botJoined = msg.new_chat_members.some((u) => u.id === botId);
    return { ...base, type: botJoined ? 'bot_added' : 'member_joined' };
  }
  if ('text' in msg) {
    const mentioned = msg.text.includes(`@${botUsername}`);
    const cmd = msg.text.startsWith('/') ? parseCommand(msg.text, botUsername) : null;
    if (cmd) {
      if (cmd.forOtherBot) return null;
      return { ...base, type: 'command', command: cmd.command, args: cmd.args, mentioned: chat.kind === 'private' || mentioned || msg.text.includes('@') };
    }
    const text = mentioned ? msg.text.replaceAll(`@${botUsername}`, '').trim() : msg.text;
    return { ...base, type: 'text', text, mentioned: mentioned || msg.reply_to_message?.from?.id === botId };
  }
  if ('photo' in msg && msg.photo.length) {
    const largest = msg.photo[msg.photo.length - 1];
    return { ...base, type: 'file', file: { kind: 'photo', fileId: largest.file_id, size: largest.file_size, mimeType: 'image/jpeg' }, caption: msg.caption };
  }
  if ('document' in msg) {
    const d = msg.document;
    return { ...base, type: 'file', file: { kind: 'document', fileId: d.file_id, name: d.file_name, mimeType: d.mime_type, size: d.file_size }, caption: msg.caption };
  }
  // Stickers, voice, locations…: core tells a private chat what to do instead (groups stay quiet).
  return { ...base, type: 'unreadable', kind: unreadableKind(msg) };
}
