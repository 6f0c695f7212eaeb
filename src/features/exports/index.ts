/**
 * `/export` for committee members and staff, in a private chat: pick what to export (each
 * feature offers its exporters), pick the item (a poll…) where there is a choice, and receive
 * the CSV and XLSX files. Every export is audited.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { ExporterDef } from '../../core/feature.ts';
import type { Feature } from '../feature.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';

const MIME = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

function exporter(ctx: Ctx, id: string): ExporterDef {
  const found = ctx.services.exporters.find((e) => e.id === id);
  if (!found) throw new DomainError('errors.stale_button');
  return found;
}

/** Checks the person may export here and that this is a private chat (files hold results). */
function exportCommunity(ctx: Ctx): string {
  if (ctx.chat.kind !== 'private') throw new DomainError('exports.private_only');
  const community = ctx.requireCommunity();
  requirePermission(ctx.actor, 'export', community.id);
  return community.id;
}

async function sendExport(ctx: Ctx, def: ExporterDef, communityId: string, itemId: string | null): Promise<void> {
  await ctx.reply(ctx.t('exports.preparing'));
  for (const format of ['csv', 'xlsx'] as const) {
    const file = await def.build(ctx, communityId, itemId, format);
    await ctx.reply({ text: ctx.t('exports.file_caption', { name: file.name }), document: { data: file.data, name: file.name, mimeType: MIME[format] } });
  }
  await recordAudit(ctx.services.db, {
    actorId: ctx.person.id,
    via: ctx.via,
    action: 'export',
    communityId,
    targetType: def.id,
    targetId: itemId ?? undefined,
  });
}

/** The exports feature. */
export const exportsFeature: Feature = {
  name: 'exports',
  commands: [
    {
      name: 'export',
      description: 'exports.command',
      order: 60,
      visible: (ctx) => ctx.chat.kind === 'private' && can(ctx.actor, 'export', ctx.community?.id),
      async run(ctx) {
        exportCommunity(ctx);
        const list = ctx.services.exporters;
        if (!list.length) return void (await ctx.reply(ctx.t('exports.nothing')));
        await ctx.reply({ text: ctx.t('exports.choose'), buttons: list.map((e) => [{ label: ctx.t(e.label), action: `exp:${e.id}` }]) });
      },
    },
  ],
  legacyActions: [
    {
      prefix: 'exp',
      async run(ctx, [id, itemId]) {
        const communityId = exportCommunity(ctx);
        const def = exporter(ctx, id);
        await ctx.toast('');
        if (itemId) return sendExport(ctx, def, communityId, itemId);
        if (!def.items) return sendExport(ctx, def, communityId, null);
        const items = await def.items(ctx, communityId);
        if (!items.length) return void (await ctx.reply(ctx.t('exports.no_items')));
        await ctx.reply({ text: ctx.t('exports.choose_item'), buttons: items.slice(0, 30).map((i) => [{ label: i.label, action: `exp:${id}:${i.id}` }]) });
      },
    },
  ],
};
