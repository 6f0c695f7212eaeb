/**
 * `/export` for committee members and staff, in a private chat: pick what to export (each
 * feature offers its exporters), pick the item (a poll…) where there is a choice, and receive
 * the CSV and XLSX files. Every export is audited.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { onAction, type ActionDef, type CommandDef, type ExporterDef } from '../../core/feature.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import { privateCommand } from '../privateCommand.ts';
import { chooseExport, chooseExportItem } from './actions.ts';

const MIME = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** Items offered at most (a button each). */
const MAX_ITEMS = 30;

function exporter(ctx: Ctx, id: string): ExporterDef {
  const found = ctx.services.exporters.find((e) => e.id === id);
  if (!found) throw new DomainError('errors.stale_button');
  return found;
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

/** The /export command: files hold results, so only in a private chat. */
export const exportCommand: CommandDef = privateCommand('exports.private_only', {
  name: 'export',
  description: 'exports.command',
  order: 60,
  permission: 'export',
  async run(ctx) {
    ctx.requireCommunity();
    const list = ctx.services.exporters;
    if (!list.length) return void (await ctx.reply(ctx.t('exports.nothing')));
    await ctx.reply({ text: ctx.t('exports.choose'), buttons: list.map((e) => [{ label: ctx.t(e.label), action: chooseExport.pack({ exporter: e.id }) }]) });
  },
});

/** Exports act in the community the person acts in. */
const guard = { chat: 'private', permission: 'export' } as const;

export const exportActions: ActionDef[] = [
  onAction(
    chooseExport,
    async (ctx, { exporter: id }) => {
      const communityId = ctx.requireCommunity().id;
      const def = exporter(ctx, id);
      await ctx.toast('');
      if (!def.items) return sendExport(ctx, def, communityId, null);
      const items = await def.items(ctx, communityId);
      if (!items.length) return void (await ctx.reply(ctx.t('exports.no_items')));
      await ctx.reply({ text: ctx.t('exports.choose_item'), buttons: items.slice(0, MAX_ITEMS).map((i) => [{ label: i.label, action: chooseExportItem.pack({ exporter: id, item: i.id }) }]) });
    },
    guard,
  ),
  onAction(
    chooseExportItem,
    async (ctx, { exporter: id, item }) => {
      const communityId = ctx.requireCommunity().id;
      const def = exporter(ctx, id);
      await ctx.toast('');
      await sendExport(ctx, def, communityId, item);
    },
    guard,
  ),
];
