/**
 * A command that works only in a private chat and, used elsewhere, says why in its feature's
 * own words ("this involves personal information", "exports contain results", "a code seen in a
 * group is burnt"). The router's `chat: 'private'` guard points to the private chat with a
 * generic sentence; these reasons are worth keeping, so the pointer comes from `ctx.inPrivate`
 * with the feature's key, after the router checked the declared permission. /help and the menu
 * offer the command in private chats only.
 */
import type { CommandDef } from '../core/feature.ts';

/** Wraps a command so that outside a private chat it answers with `reason` and does nothing else. */
export function privateCommand(reason: string, command: CommandDef): CommandDef {
  return {
    ...command,
    visible: (ctx) => ctx.chat.kind === 'private' && (command.visible?.(ctx) ?? true),
    async run(ctx, args) {
      if (await ctx.inPrivate(reason)) await command.run(ctx, args);
    },
  };
}
