/** /language: the person chooses the language Linli answers them in. */
import type { CommandDef } from '../../core/feature.ts';
import { onAction } from '../../core/feature.ts';
import { LOCALES } from '../../i18n/i18n.ts';
import { chooseLanguage } from './actions.ts';

/** The /language command: one button per language. */
export const languageCommand: CommandDef = {
  name: 'language',
  description: 'commands.language',
  order: 90,
  async run(ctx) {
    await ctx.reply({
      text: ctx.t('language.choose'),
      buttons: [LOCALES.map((locale) => ({ label: ctx.t(`language.name_${locale}`), action: chooseLanguage.pack({ locale }) }))],
    });
  },
};

/** A language button: saved on the person, confirmed in the new language. */
export const languageAction = onAction(chooseLanguage, async (ctx, { locale }) => {
  await ctx.services.db.person.update({ where: { id: ctx.person.id }, data: { locale } });
  await ctx.toast('');
  await ctx.reply(ctx.services.i18n.t(locale, 'language.changed'));
});
