/**
 * What a person is offered: /help and the /start menu list exactly the commands whose guard this
 * person passes here (the right kind of chat, the permission in their community, and any extra
 * offer condition), and the platform's "/" menu shows the everyday ones in each language.
 */
import type { Adapter } from '../platform/adapter.ts';
import type { Ctx } from '../core/context.ts';
import type { CommandDef } from '../core/feature.ts';
import type { Registry } from '../core/router.ts';
import { can } from '../domain/residents/permissions.ts';
import { LOCALES, type Translator } from '../i18n/i18n.ts';

/** Commands ordered below this appear in the platform's command menu; the rest only in /help. */
const MENU_ORDER_LIMIT = 60;

const order = (c: CommandDef) => c.order ?? 50;

/** True when the router would let this person run the command here. */
export function isOffered(ctx: Ctx, c: CommandDef): boolean {
  const scope = c.chat ?? 'any';
  if (scope !== 'any' && scope !== ctx.chat.kind) return false;
  if (c.permission && !can(ctx.actor, c.permission, ctx.community?.id)) return false;
  return c.visible?.(ctx) ?? true;
}

/** The commands offered to a person, in /help order. */
export function offeredCommands(registry: () => Registry): (ctx: Ctx) => CommandDef[] {
  return (ctx) => [...registry().commands.values()].filter((c) => isOffered(ctx, c)).sort((a, b) => order(a) - order(b));
}

/** Publishes the platform's command menu: the everyday commands, in each language (zh-CN is the default). */
export async function publishCommandMenu(adapter: Adapter, registry: Registry, i18n: Translator): Promise<void> {
  const everyday = [...registry.commands.values()].filter((c) => order(c) < MENU_ORDER_LIMIT).sort((a, b) => order(a) - order(b));
  for (const locale of LOCALES) {
    // The default language's menu is the one every client without a language of its own sees.
    const code = locale === 'zh-CN' ? undefined : locale;
    await adapter.setCommands!(everyday.map((c) => ({ name: c.name, description: i18n.t(locale, c.description) })), code);
  }
}
