/**
 * /start and /help: the welcome with the main menu (and deep links into scenes or other
 * features), and the list of what this person may do here. Both offer only commands whose
 * declared guard passes here — the right kind of chat, the permission in this community — and
 * whose own condition (`visible`) holds.
 */
import type { Ctx } from '../../core/context.ts';
import type { CommandDef } from '../../core/feature.ts';
import type { Button } from '../../platform/messages.ts';
import { can } from '../../domain/residents/permissions.ts';
import { openCommand } from './actions.ts';

/** Lists the registered commands for /help and the menu, in their order. */
export type CommandLister = (ctx: Ctx) => CommandDef[];

/** Whether /help and the menu offer a command here. */
export function offered(ctx: Ctx, c: CommandDef): boolean {
  const scope = c.chat ?? 'any';
  if (scope !== 'any' && scope !== ctx.chat.kind) return false;
  if (c.permission && !can(ctx.actor, c.permission, ctx.community?.id)) return false;
  return c.visible?.(ctx) ?? true;
}

/** The /help command. */
export function helpCommand(list: CommandLister): CommandDef {
  return {
    name: 'help',
    description: 'commands.help',
    order: 1,
    menu: true,
    keepsScene: true,
    async run(ctx) {
      const lines = list(ctx)
        .filter((c) => offered(ctx, c))
        .map((c) => `/${c.name} — ${ctx.t(c.description)}`);
      const where = ctx.community ? ctx.t('help.community', { name: ctx.community.name }) : ctx.t('help.no_community');
      await ctx.reply([ctx.t('help.title'), where, '', ...lines, '', ctx.t('help.footer')].join('\n'));
    },
  };
}

/** The welcome and the main menu: the offered commands marked `menu`, two to a row. */
async function menu(ctx: Ctx, list: CommandLister): Promise<void> {
  const items = list(ctx).filter((c) => c.menu && offered(ctx, c));
  const rows: Button[][] = [];
  for (let i = 0; i < items.length; i += 2) rows.push(items.slice(i, i + 2).map((c) => ({ label: ctx.t(`menu.${c.name}`), action: openCommand.pack({ name: c.name }) })));
  const intro = ctx.community ? ctx.t('start.welcome_community', { name: ctx.community.name }) : ctx.t('start.welcome_no_community');
  await ctx.reply({ text: `${ctx.t('start.welcome')}\n\n${intro}`, buttons: rows });
}

/** The /start command: a deep link (`s-<scene>[-<args>]`, or a feature's payload), else the menu. */
export function startCommand(list: CommandLister): CommandDef {
  return {
    name: 'start',
    description: 'commands.start',
    order: 0,
    async run(ctx, args) {
      if (args) {
        const scene = /^s-([a-z]+)(?:-(.+))?$/.exec(args);
        if (scene && ctx.services.scenes.has(scene[1])) return ctx.services.scenes.start(ctx, scene[1], scene[2] ?? '');
        for (const handler of ctx.services.startPayloads) if (await handler(ctx, args)) return;
      }
      await menu(ctx, list);
    },
  };
}
