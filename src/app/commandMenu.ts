/**
 * The command lists: every command in /help order (/help and the /start menu keep those whose
 * guard this person passes, see src/features/core/help.ts), and the platform's "/" menu of the
 * everyday ones in each language.
 */
import type { Adapter } from '../platform/adapter.ts';
import type { CommandDef } from '../core/feature.ts';
import type { Registry } from '../core/router.ts';
import { LOCALES, type Translator } from '../i18n/i18n.ts';

/** Commands ordered below this appear in the platform's command menu; the rest only in /help. */
const MENU_ORDER_LIMIT = 60;

const order = (c: CommandDef) => c.order ?? 50;

/** Every command, in /help order; /help and the menu keep the ones offered here (features/core/help.ts). */
export function commandsInOrder(registry: () => Registry): () => CommandDef[] {
  return () => [...registry().commands.values()].sort((a, b) => order(a) - order(b));
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
