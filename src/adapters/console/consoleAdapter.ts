/**
 * The console adapter: a terminal chat for trying Linli without any platform account. The
 * person at the keyboard talks to the bot in a private chat; what the bot posts to the demo
 * community's group is printed with a [群] marker so public notices are visible too.
 */
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Adapter } from '../../platform/adapter.ts';
import type { Incoming, OutMessage, SentRef } from '../../platform/messages.ts';
import { renderText } from '../text/renderText.ts';
import { numberedChoices, type NumberedChoice } from '../../platform/messages.ts';

/** The console user's platform id and private chat id. */
export const CONSOLE_USER = 'local';
/** The demo group shown in the terminal. */
export const CONSOLE_GROUP = 'group-demo';

/** Options of the console adapter. */
export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  /** Translations for the console's own labels (bot name, group marker, attachments). */
  t: (key: string, params?: Record<string, unknown>) => string;
  /** Called with the actions of each message with options (to map a reply "2" back). */
  remember: (chatId: string, choices: NumberedChoice[]) => Promise<void>;
  displayName?: string;
  languageCode?: string;
  /** Called when the input ends (Ctrl-D). */
  onClose?: () => void;
}

/** Creates the console adapter. */
export function createConsoleAdapter(opts: ConsoleOptions): Adapter {
  let rl: Interface | undefined;
  let nextId = 1;
  const write = (s: string) => opts.output.write(s.endsWith('\n') ? s : `${s}\n`);

  return {
    platform: 'console',
    capabilities: { buttons: false, deepLinks: false, maxTextLength: 4096 },

    async start(sink) {
      // Like every adapter, it starts once (a second reader on the same input would double every line).
      if (rl) throw new Error('the console adapter was started already');
      rl = createInterface({ input: opts.input, terminal: false });
      const sender = { platform: 'console' as const, userId: CONSOLE_USER, displayName: opts.displayName ?? opts.t('console.demo_name'), languageCode: opts.languageCode };
      const chat = { platform: 'console' as const, chatId: CONSOLE_USER, kind: 'private' as const };
      // Lines are handled one after another, like messages in a chat.
      let chain = Promise.resolve();
      rl.on('line', (line) => {
        const text = line.trim();
        if (!text) return;
        let incoming: Incoming;
        const cmd = /^\/([A-Za-z0-9_]+)(?:\s+([\s\S]*))?$/.exec(text);
        if (cmd) incoming = { type: 'command', command: cmd[1].toLowerCase(), args: (cmd[2] ?? '').trim(), chat, sender, mentioned: true };
        else incoming = { type: 'text', text, chat, sender };
        chain = chain.then(() => sink(incoming)).catch(() => undefined);
      });
      rl.on('close', () => void chain.then(() => opts.onClose?.()));
    },

    async stop() {
      rl?.close();
    },

    async send(chatId: string, message: OutMessage): Promise<SentRef> {
      await opts.remember(chatId, numberedChoices(message.buttons));
      const t = opts.t;
      const speaker = chatId === CONSOLE_GROUP ? t('console.group_speaker') : t('console.speaker');
      const attachments = [
        message.image && t('console.image', { name: message.image.name }),
        message.document && t('console.file', { name: message.document.name }),
      ].filter(Boolean);
      const body = renderText(message, (options) => t('console.reply_hint', { options }));
      write(`\n${speaker} › ${body}${attachments.length ? `\n${attachments.join(' ')}` : ''}`);
      return { messageId: String(nextId++) };
    },

    async edit(chatId: string, _messageId: string, message: OutMessage) {
      await this.send(chatId, message);
    },

    async pin() {},

    async answerAction(_id: string, text?: string) {
      if (text) write(`(${text})`);
    },

    deepLink: () => undefined,
    async downloadFile() {
      throw new Error('the console cannot receive files');
    },
    isGroupChat: (chatId: string) => chatId.startsWith('group'),
    privateChatId: () => CONSOLE_USER,
  };
}
