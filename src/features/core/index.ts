/**
 * The commands every person has: /start (welcome and main menu, deep links), /help (only what
 * this person may do), /language, /cancel, /name and /community.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type CommandDef } from '../../core/feature.ts';
import { defineAction } from '../../core/actionCodec.ts';
import type { Feature } from '../feature.ts';
import { communitiesOf } from '../../domain/residents/roles.ts';
import { LOCALES } from '../../i18n/i18n.ts';
import { profileScene } from '../../../scenes/profile.ts';

/** Lists the commands this person may use here, for /help and the menu. */
export type CommandLister = (ctx: Ctx) => CommandDef[];

/** Runs another command by name (a main-menu button). */
export type CommandRunner = (ctx: Ctx, name: string) => Promise<void>;

/** A main-menu button: runs the command it names. */
export const menuCommand = defineAction('cmd', { name: 'str' });

/** Builds the core feature; it needs the full command list for /help and the menu. */
export function coreFeature(list: CommandLister, runCommand: CommandRunner): Feature {
  const help = async (ctx: Ctx) => {
    const lines = list(ctx).map((c) => `/${c.name} — ${ctx.t(c.description)}`);
    const where = ctx.community ? ctx.t('help.community', { name: ctx.community.name }) : ctx.t('help.no_community');
    await ctx.reply([ctx.t('help.title'), where, '', ...lines, '', ctx.t('help.footer')].join('\n'));
  };

  const menu = async (ctx: Ctx) => {
    const items = list(ctx).filter((c) => c.menu);
    const rows = [];
    for (let i = 0; i < items.length; i += 2) rows.push(items.slice(i, i + 2).map((c) => ({ label: ctx.t(`menu.${c.name}`), action: menuCommand.pack({ name: c.name }) })));
    const intro = ctx.community ? ctx.t('start.welcome_community', { name: ctx.community.name }) : ctx.t('start.welcome_no_community');
    await ctx.reply({ text: `${ctx.t('start.welcome')}\n\n${intro}`, buttons: rows });
  };

  return {
    name: 'core',
    scenes: [profileScene],
    commands: [
      {
        name: 'start',
        description: 'commands.start',
        order: 0,
        async run(ctx, args) {
          if (args) {
            const scene = /^s-([a-z]+)(?:-(.+))?$/.exec(args);
            if (scene && ctx.services.scenes.has(scene[1])) return ctx.services.scenes.start(ctx, scene[1], scene[2] ?? '');
            for (const handler of ctx.services.startPayloads) if (await handler(ctx, args)) return;
          }
          await menu(ctx);
        },
      },
      { name: 'help', description: 'commands.help', order: 1, menu: true, keepsScene: true, run: help },
      {
        name: 'language',
        description: 'commands.language',
        order: 90,
        async run(ctx) {
          await ctx.reply({
            text: ctx.t('language.choose'),
            buttons: [LOCALES.map((l) => ({ label: ctx.t(`language.name_${l}`), action: `lang:${l}` }))],
          });
        },
      },
      {
        name: 'cancel',
        description: 'commands.cancel',
        order: 91,
        keepsScene: true,
        async run(ctx) {
          const had = await ctx.services.scenes.cancel(ctx);
          await ctx.reply(ctx.t(had ? 'scene.cancelled' : 'scene.nothing_to_cancel'));
        },
      },
      {
        name: 'resume',
        description: 'commands.resume',
        order: 92,
        keepsScene: true,
        async run(ctx) {
          if (!(await ctx.services.scenes.resume(ctx))) await ctx.reply(ctx.t('scene.nothing_to_resume'));
        },
      },
      {
        name: 'name',
        description: 'commands.name',
        order: 80,
        visible: (ctx) => ctx.chat.kind === 'private',
        run: (ctx) => ctx.services.scenes.start(ctx, 'profile'),
      },
      {
        name: 'community',
        description: 'commands.community',
        order: 81,
        visible: (ctx) => ctx.chat.kind === 'private' && (communitiesOf(ctx.actor).length > 1 || ctx.actor.isAdmin),
        async run(ctx) {
          const ids = communitiesOf(ctx.actor);
          const communities = await ctx.services.db.community.findMany({ where: ctx.actor.isAdmin ? {} : { id: { in: ids } }, orderBy: { name: 'asc' }, take: 40 });
          if (!communities.length) return void (await ctx.reply(ctx.t('errors.no_community')));
          await ctx.reply({
            text: ctx.t('community.choose', { current: ctx.community?.name ?? '—' }),
            buttons: communities.map((c) => [{ label: c.name, action: `comm:${c.id}` }]),
          });
        },
      },
    ],
    actions: [onAction(menuCommand, (ctx, { name }) => runCommand(ctx, name))],
    legacyActions: [
      {
        prefix: 'lang',
        async run(ctx, [locale]) {
          if (!(LOCALES as readonly string[]).includes(locale)) return ctx.toast(ctx.t('errors.stale_button'));
          await ctx.services.db.person.update({ where: { id: ctx.person.id }, data: { locale } });
          await ctx.toast('');
          await ctx.reply(ctx.services.i18n.t(locale, 'language.changed'));
        },
      },
      {
        prefix: 'comm',
        async run(ctx, [communityId]) {
          // Checked again here: the button is only an offer.
          if (!ctx.actor.isAdmin && !communitiesOf(ctx.actor).includes(communityId)) return ctx.toast(ctx.t('errors.forbidden'), true);
          const community = await ctx.services.db.community.findUnique({ where: { id: communityId } });
          if (!community) return ctx.toast(ctx.t('errors.stale_button'));
          await ctx.services.db.person.update({ where: { id: ctx.person.id }, data: { activeCommunityId: communityId } });
          await ctx.toast('');
          await ctx.reply(ctx.t('community.switched', { name: community.name }));
        },
      },
    ],
  };
}
