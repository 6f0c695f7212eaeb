/**
 * `linli export proposals --community <slug> --format csv|xlsx --out <file>`: every proposal of
 * a community for the committee's paperwork. Audited like the chat export.
 */
import { resolve } from 'node:path';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import { writeTable } from '../../export/table.ts';
import { proposalsSheet } from '../../features/proposals/export.ts';
import { createTranslator } from '../../i18n/i18n.ts';
import { formatOption, LOCALE_USAGE, localeOption, requireOption, type CliCommand } from '../command.ts';

export const exportProposalsCommand: CliCommand = {
  name: 'export proposals',
  usage: `linli export proposals --community <slug> --format csv|xlsx --out <file> ${LOCALE_USAGE}`,
  summary: 'cli.summary.export_proposals',
  options: { community: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values }) {
    const slug = requireOption(values, 'community');
    const format = formatOption(values);
    const out = resolve(requireOption(values, 'out'));
    const locale = localeOption(values);
    const db = await env.db();
    const community = await communityBySlug(db, slug);
    const i18n = createTranslator({ defaultLocale: env.config.LINLI_DEFAULT_LOCALE, timeZone: env.config.LINLI_TIMEZONE });
    const t = i18n.bind(locale ?? community.locale);
    const result = await writeTable({ format, out, timeZone: env.config.LINLI_TIMEZONE, sheets: [proposalsSheet(db, t, community.id)] });
    await recordAudit(db, { actorId: null, via: 'cli', action: 'export', communityId: community.id, targetType: 'proposals', details: { format, rows: result.rows } });
    env.print({ out, rows: result.rows }, env.t('cli.export.proposals_written', { count: result.rows, out }));
    return 0;
  },
};
