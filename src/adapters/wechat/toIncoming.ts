/**
 * Turns a wechaty message into Linli's neutral Incoming event. In a room the @mention of the
 * bot is stripped from the text and reported as `mentioned`, so "@邻里 帮助" reaches the router
 * as the keyword 帮助 addressed to the bot.
 */
import { types, type Message } from 'wechaty';
import type { ChatRef, Incoming, Sender } from '../../platform/messages.ts';

/** "/help args" or the full-width "／help" some Chinese keyboards type. */
const COMMAND = /^[/／]([A-Za-z0-9_]+)(?:@\S+)?(?:\s+([\s\S]*))?$/;

/**
 * Messages older than this are not acted on: web-protocol puppets replay recent history after a
 * login, and a replayed "/verify …" or "1" must not run again hours later.
 */
export const MAX_MESSAGE_AGE_SEC = 5 * 60;

/** The neutral event for a message, or null for what Linli ignores (own or replayed messages, system notices…). */
export async function messageToIncoming(message: Message): Promise<Incoming | null> {
  if (message.self() || message.age() > MAX_MESSAGE_AGE_SEC) return null;
  const talker = message.talker();
  const room = message.room();
  const sender: Sender = { platform: 'wechat', userId: talker.id, displayName: talker.name() || talker.id };
  const chat: ChatRef = room
    ? { platform: 'wechat', chatId: room.id, kind: 'group', title: await room.topic().catch(() => undefined) }
    : { platform: 'wechat', chatId: talker.id, kind: 'private' };
  const mentioned = room ? await message.mentionSelf().catch(() => false) : false;
  const base = { updateKey: message.id, chat, sender, mentioned };

  switch (message.type()) {
    case types.Message.Text: {
      const text = (room ? await message.mentionText() : message.text()).trim();
      if (!text) return null;
      const cmd = COMMAND.exec(text);
      // A known command runs in a room without a mention; an unknown one is answered only when
      // the bot was mentioned (other bots in the room may have slash commands too).
      if (cmd) return { ...base, type: 'command', command: cmd[1].toLowerCase(), args: (cmd[2] ?? '').trim() };
      return { ...base, type: 'text', text };
    }
    case types.Message.Image:
      return { ...base, type: 'file', file: { kind: 'photo', fileId: message.id } };
    case types.Message.Attachment:
      return { ...base, type: 'file', file: { kind: 'document', fileId: message.id, name: message.text() || undefined } };
    // What Linli cannot read is reported, so core can tell a private chat what to do instead.
    case types.Message.Audio:
      return { ...base, type: 'unreadable', kind: 'voice' };
    case types.Message.Emoticon:
      return { ...base, type: 'unreadable', kind: 'sticker' };
    case types.Message.Video:
      return { ...base, type: 'unreadable', kind: 'video' };
    case types.Message.Location:
      return { ...base, type: 'unreadable', kind: 'location' };
    case types.Message.Contact:
    case types.Message.Url:
    case types.Message.MiniProgram:
      return { ...base, type: 'unreadable', kind: 'other' };
    default:
      return null;
  }
}
