/**
 * `/as resident|committee|admin` — on the console only, the person at the keyboard switches
 * the role they try the demo community with. It changes real memberships, so every permission
 * check behaves exactly as it would for a real committee member.
 */
import type { Feature } from '../feature.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import { DEMO_SLUG } from './demo.ts';

const SWITCHABLE = ['resident', 'committee', 'staff', 'admin'] as const;

/** The console demo feature. */
export const demoFeature: Feature = {
  name: 'demo',
  commands: [
    {
      name: 'as',
      description: 'demo.command',
      order: 99,
      visible: (ctx) => ctx.chat.platform === 'console',
      async run(ctx, args) {
        if (ctx.chat.platform !== 'console') return void (await ctx.reply(ctx.t('demo.console_only')));
        const role = args.trim().toLowerCase() as (typeof SWITCHABLE)[number];
        if (!SWITCHABLE.includes(role)) return void (await ctx.reply(ctx.t('demo.usage')));
        const { db } = ctx.services;
        const community = await db.community.findUnique({ where: { slug: DEMO_SLUG } });
        if (!community) return void (await ctx.reply(ctx.t('demo.no_demo')));
        const personId = ctx.person.id;
        await db.$transaction(async (tx) => {
          await tx.membership.deleteMany({ where: { personId, communityId: community.id, role: { in: ['committee', 'staff'] } } });
          if (role === 'committee' || role === 'staff') {
            await tx.membership.create({ data: { personId, communityId: community.id, role, source: 'demo' } });
          }
          await tx.person.update({ where: { id: personId }, data: { isAdmin: role === 'admin' } });
          await recordAudit(tx, { actorId: personId, via: 'console', action: 'demo.switch_role', communityId: community.id, details: { role } });
        });
        await ctx.reply(ctx.t('demo.switched', { role: ctx.t(`roles.${role === 'resident' ? 'verified' : role}`) }));
      },
    },
  ],
};
