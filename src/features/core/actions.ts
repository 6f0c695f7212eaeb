/** The buttons of the core feature: choosing a language, a community, a command from the menu. */
import { defineAction } from '../../core/actionCodec.ts';
import { LOCALES } from '../../i18n/i18n.ts';

/** /language: one button per language Linli ships. */
export const chooseLanguage = defineAction('lang', { locale: LOCALES });

/** /community: one button per community the person acts in. */
export const chooseCommunity = defineAction('comm', { community: 'id' });

/** A command offered as a button (the /start menu, a reminder's "publish now"). */
export const openCommand = defineAction('cmd', { name: 'id' });
