/**
 * The neutral vocabulary between platform adapters and the rest of Linli.
 *
 * An adapter turns a Telegram update, a WeChat message or a terminal line into one `Incoming`
 * event, and renders an `OutMessage` with whatever the platform offers: inline buttons on
 * Telegram, numbered options on text-only platforms.
 */

/** Platforms Linli speaks on. */
export type Platform = 'telegram' | 'wechat' | 'console';

/** Where a message came from or goes to. */
export interface ChatRef {
  platform: Platform;
  chatId: string;
  kind: 'private' | 'group';
  title?: string;
}

/** The person behind an incoming event, as the platform names them. */
export interface Sender {
  platform: Platform;
  userId: string;
  displayName: string;
  username?: string;
  /** The client's language as reported by the platform (Telegram's `language_code`). */
  languageCode?: string;
}

/** A file or photo someone sent, by platform reference; bytes are fetched only when needed. */
export interface IncomingFile {
  kind: 'photo' | 'document';
  fileId: string;
  name?: string;
  mimeType?: string;
  size?: number;
}

/**
 * What a person sent that Linli cannot read: a voice message, a sticker, a video, a location,
 * a contact card… Reported rather than dropped, so a private chat gets told what to do instead.
 */
export type UnreadableKind = 'voice' | 'sticker' | 'video' | 'location' | 'other';

interface IncomingBase {
  /** Platform-unique id used to ignore redelivered updates; absent where the platform has none. */
  updateKey?: string;
  chat: ChatRef;
  sender: Sender;
  /** True when the bot was addressed by @mention in a group. */
  mentioned?: boolean;
}

/** One thing a person did, in platform-neutral form. */
export type Incoming =
  | (IncomingBase & { type: 'text'; text: string })
  | (IncomingBase & { type: 'command'; command: string; args: string })
  | (IncomingBase & { type: 'action'; data: string; actionId?: string; messageId?: string })
  | (IncomingBase & { type: 'file'; file: IncomingFile; caption?: string })
  | (IncomingBase & { type: 'unreadable'; kind: UnreadableKind })
  | (IncomingBase & { type: 'member_joined' | 'bot_added' | 'bot_removed' })
  /**
   * A group got a new id (a Telegram group upgraded to a supergroup). `chat` is the group under
   * its OLD id, so handling it finds the existing group; reported once per id the platform
   * announces it in, so handling must be idempotent.
   */
  | (IncomingBase & { type: 'group_migrated'; fromChatId: string; toChatId: string });

/** A button: either an action the bot handles or a link. */
export interface Button {
  label: string;
  /** Action payload (at most 64 bytes on Telegram); absent for a pure link. */
  action?: string;
  url?: string;
}

/** One option of a message as a text-only platform numbers it: its action and the label shown. */
export interface NumberedChoice {
  action: string;
  label: string;
}

/** The buttons of a message that carry an action, numbered in order, with their labels. */
export function numberedChoices(buttons: Button[][] | undefined): NumberedChoice[] {
  return (buttons ?? []).flat().filter((b) => b.action && !b.url).map((b) => ({ action: b.action!, label: b.label }));
}

/** A message to render on a platform. Text is plain (no markup), so nothing needs escaping. */
export interface OutMessage {
  text: string;
  /** Rows of buttons. */
  buttons?: Button[][];
  /** A PNG image sent with the text as its caption (or before the text when it is long). */
  image?: { data: Uint8Array; name: string };
  /** A file attachment (exports). */
  document?: { data: Uint8Array; name: string; mimeType: string };
}


/** What the platform assigned to a sent message, so it can be edited or pinned later. */
export interface SentRef {
  messageId: string;
}
