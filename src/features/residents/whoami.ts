/** /whoami: the person's name, roles and (in a private chat only) their unit, per community. */
import type { CommandDef } from '../../core/feature.ts';

export const whoamiCommand: CommandDef = {
  name: 'whoami',
  description: 'commands.whoami',
  menu: true,
  order: 11,
  async run(ctx) {
    // One plain query (Prisma's include would take three): roles, community names, units.
    const memberships = await ctx.services.db.$queryRaw<{ communityId: string; role: string; name: string; unit: string | null }[]>`
      SELECT m."communityId", m."role", c."name", h."unit"
      FROM "Membership" m
      JOIN "Community" c ON c."id" = m."communityId"
      LEFT JOIN "Household" h ON h."id" = m."householdId"
      WHERE m."personId" = ${ctx.person.id}
      ORDER BY m."grantedAt" ASC, m."id" ASC`;
    const lines = [ctx.t('residents.whoami_title', { name: ctx.person.displayName })];
    if (ctx.actor.isAdmin) lines.push(ctx.t('residents.whoami_admin'));
    const byCommunity = new Map<string, { name: string; roles: string[]; unit: string | null }>();
    for (const m of memberships) {
      const entry = byCommunity.get(m.communityId) ?? { name: m.name, roles: [], unit: null };
      entry.roles.push(ctx.t(`roles.${m.role}`));
      entry.unit ??= m.unit;
      byCommunity.set(m.communityId, entry);
    }
    if (!byCommunity.size) lines.push(ctx.t('residents.whoami_unverified'));
    for (const c of byCommunity.values()) {
      // Unit numbers are personal data: shown only in a private chat.
      const unit = c.unit && ctx.chat.kind === 'private' ? ctx.t('residents.whoami_unit', { unit: c.unit }) : '';
      lines.push(ctx.t('residents.whoami_line', { community: c.name, roles: c.roles.join('、'), unit }));
    }
    if (ctx.chat.kind === 'group') await ctx.replyPrivately(lines.join('\n'));
    else await ctx.reply(lines.join('\n'));
  },
};
