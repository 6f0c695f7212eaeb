/**
 * Saying a message in a WeChat conversation: the text with its numbered options (render.ts),
 * remembered so a reply "2" can be mapped back, then any image or file as an attachment.
 */
import { FileBox } from 'file-box';
import type { Contact, Room, Wechaty } from 'wechaty';
import type { NumberedChoice, OutMessage } from '../../platform/messages.ts';
import type { NumberedOption } from '../text/renderText.ts';
import { renderForWechat } from './render.ts';

/** Where the bot talks: rooms and contacts, told apart by what it has seen and by id shape. */
export interface Conversations {
  isGroupChat(chatId: string): boolean;
  /** The room or contact; throws when wechaty does not know it (mapped to `forbidden`). */
  find(chatId: string): Promise<Room | Contact>;
}

/** Looks conversations up in wechaty; `rooms` holds room ids seen in events. */
export function createConversations(bot: Wechaty, rooms: Set<string>): Conversations {
  const isGroupChat = (chatId: string) => rooms.has(chatId) || chatId.endsWith('@chatroom') || chatId.startsWith('@@');
  return {
    isGroupChat,
    async find(chatId) {
      const found = isGroupChat(chatId) ? await bot.Room.find({ id: chatId }) : await bot.Contact.find({ id: chatId });
      if (!found) throw new Error(`wechat conversation not found: ${chatId}`);
      return found;
    },
  };
}

/** What saying a message needs from the adapter's options. */
export interface SayOptions {
  replyHint(chatId: string, items: NumberedOption[]): Promise<string>;
  remember(chatId: string, choices: NumberedChoice[]): Promise<void>;
}

/** Says `message` in `chatId`; resolves with the text's message id (undefined when only files went out). */
export async function sayMessage(conversations: Conversations, chatId: string, message: OutMessage, opts: SayOptions): Promise<string | undefined> {
  const { body, choices } = await renderForWechat(message, (items) => opts.replyHint(chatId, items));
  const target = await conversations.find(chatId);
  if (choices.length) await opts.remember(chatId, choices);
  const sent = body.trim() ? await target.say(body) : undefined;
  if (message.image) await attachFile(target, message.image.data, message.image.name);
  if (message.document) await attachFile(target, message.document.data, message.document.name);
  return sent?.id;
}

async function attachFile(target: Room | Contact, data: Uint8Array, name: string): Promise<void> {
  // Base64 boxes serialise everywhere (the mock puppet cannot serialise buffer boxes).
  await target.say(FileBox.fromBase64(Buffer.from(data).toString('base64'), name));
}
