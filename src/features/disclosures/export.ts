/**
 * The export of a community's disclosures (every version with its fingerprint and chain link,
 * and every line item), for /export in chat and `linli export disclosures`.
 */
import { readableFileName } from '../../export/fileName.ts';
import type { ExporterDef } from '../../core/feature.ts';
import type { Db } from '../../db/client.ts';
import type { Translator } from '../../i18n/i18n.ts';
import { writeTableToBuffer, type TableSheet } from '../../export/table.ts';
import { categoryLabel } from '../../domain/disclosures/categories.ts';
import { headCode } from '../../domain/disclosures/chain.ts';
import { statementOf } from '../../domain/disclosures/disclosures.ts';

/** The export of a community's disclosures: one sheet of versions, one of line items. */
export async function disclosureSheets(db: Db, i18n: Translator, locale: string, communityId: string): Promise<TableSheet[]> {
  const t = i18n.bind(locale);
  const versions = await db.disclosureVersion.findMany({
    where: { communityId },
    include: { disclosure: true },
    orderBy: { chainSeq: 'asc' },
  });
  const tz = i18n.timeZone;
  const when = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: tz, dateStyle: 'short', timeStyle: 'short' }).format(d);
  const versionRows = versions.map((v) => {
    const s = statementOf(v);
    return {
      number: v.disclosure.number,
      version: v.version,
      category: categoryLabel(t, v.disclosure.category),
      period: v.disclosure.period,
      periodKey: v.disclosure.periodKey,
      title: v.title,
      publishedAt: when(v.publishedAt),
      current: v.version === v.disclosure.latestVersion ? t('disclosures.export_yes') : t('disclosures.export_no'),
      reason: v.reason,
      income: s ? s.incomeFen / 100 : null,
      expense: s ? s.expenseFen / 100 : null,
      closing: s ? s.closingFen / 100 : null,
      // The line items of this very version are on the second sheet, under its number and version.
      items: s ? s.items.length : null,
      body: v.body,
      fingerprint: headCode(v.hash),
      chainSeq: v.chainSeq,
      hash: v.hash,
      prevHash: v.prevHash,
    };
  });
  const itemRows = versions.flatMap((v) =>
    (statementOf(v)?.items ?? []).map((i) => ({
      number: v.disclosure.number,
      version: v.version,
      date: i.date,
      item: i.item,
      type: t(`disclosures.type_${i.type}`),
      amount: i.amountFen / 100,
      fund: i.fund,
      note: i.note,
    })),
  );
  const h = (k: string) => t(`disclosures.export_col.${k}`);
  return [
    {
      name: t('disclosures.export_sheet_versions'),
      columns: ['number', 'version', 'category', 'period', 'periodKey', 'title', 'publishedAt', 'current', 'reason', 'income', 'expense', 'closing', 'items', 'body', 'fingerprint', 'chainSeq', 'hash', 'prevHash'].map((key) => ({ key, header: h(key) })),
      rows: versionRows,
    },
    {
      name: t('disclosures.export_sheet_items'),
      columns: ['number', 'version', 'date', 'item', 'type', 'amount', 'fund', 'note'].map((key) => ({ key, header: h(key) })),
      rows: itemRows,
    },
  ];
}

/** The staff export in /export. */
export const disclosuresExporter: ExporterDef = {
  id: 'disclosures',
  label: 'disclosures.export_label',
  async build(ctx, communityId, _itemId, format) {
    const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: communityId } });
    const sheets = await disclosureSheets(ctx.services.db, ctx.services.i18n, ctx.locale, communityId);
    return { name: readableFileName(ctx.t('exports.file_disclosures', { community: community.name }), format), data: await writeTableToBuffer({ format, sheets }) };
  },
};
