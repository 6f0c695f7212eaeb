/**
 * A command that works only in a private chat and, used elsewhere, says why in its feature's
 * own words ("this involves personal information", "exports contain results", "a code seen in a
 * group is burnt"). The router's `chat: 'private'` guard answers with that reason; /help and the
 * menu offer the command in private chats only.
 */
import type { CommandDef } from '../core/feature.ts';

/** Declares a command private, with the feature's own reason for the pointer. */
export function privateCommand(reason: string, command: CommandDef): CommandDef {
  return { ...command, chat: 'private', privateReason: reason };
}
