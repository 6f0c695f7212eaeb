/**
 * Ratings on the command line: `linli export ratings` (the same spreadsheet staff get with
 * /export) and `linli rating target add|list|rename|deactivate|activate`.
 */
import { communityBySlug } from '../../domain/residents/communities.ts';
import { parsePeriod } from '../../domain/ratings/periods.ts';
import { addTarget, ensureDefaultTargets, listTargets, renameTarget, setTargetActive, targetLabel } from '../../domain/ratings/targets.ts';
import { writeTable } from '../../export/table.ts';
import { createTranslator } from '../../i18n/i18n.ts';
import { ratingSheets } from '../../features/ratings/export.ts';
import { CLI_ACTOR, formatOption, requireOption, UsageError, type CliCommand } from '../command.ts';

export const exportRatingsCommand: CliCommand = {
  name: 'export ratings',
  usage: 'linli export ratings --community <slug> [--period 2026Q4] --format csv|xlsx --out <file>',
  summary: 'cli.summary.export_ratings',
  options: { community: { type: 'string' }, period: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  async run(env, { values }) {
    const format = formatOption(values);
    const out = requireOption(values, 'out');
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const period = typeof values.period === 'string' ? parsePeriod(values.period) : null;
    const t = createTranslator({ defaultLocale: community.locale, timeZone: env.config.LINLI_TIMEZONE }).bind(community.locale);
    const result = await writeTable({ format, out, sheets: await ratingSheets(db, t, community.id, period) });
    env.print({ out, ...result }, env.t('cli.export.written', { out, count: result.rows, bytes: result.bytes }));
    return 0;
  },
};

export const ratingTargetCommand: CliCommand = {
  name: 'rating target',
  usage: 'linli rating target add|list|rename|deactivate|activate --community <slug> [--kind property --name <name>] [--id <target id>]',
  summary: 'cli.summary.rating_target',
  options: { community: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } },
  async run(env, { values, positionals }) {
    const action = positionals[0];
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const by = { actor: CLI_ACTOR, via: 'cli' };
    const t = createTranslator({ defaultLocale: env.config.LINLI_DEFAULT_LOCALE, timeZone: env.config.LINLI_TIMEZONE }).bind(community.locale);
    switch (action) {
      case 'list': {
        await ensureDefaultTargets(db, community.id);
        const targets = (await listTargets(db, community.id)).map((x) => ({ id: x.id, kind: x.kind, active: x.active, label: targetLabel(t, x) }));
        env.print(targets, targets.map((x) => `${x.id}\t${x.kind}\t${env.t(x.active ? 'cli.ratings.active' : 'cli.ratings.inactive')}\t${x.label}`));
        return 0;
      }
      case 'add': {
        const target = await addTarget(db, by, community.id, requireOption(values, 'kind'), requireOption(values, 'name'));
        env.print({ id: target.id, kind: target.kind, name: target.name }, env.t('cli.ratings.added', { id: target.id, kind: target.kind, name: target.name }));
        return 0;
      }
      case 'rename': {
        const target = await renameTarget(db, by, community.id, requireOption(values, 'id'), requireOption(values, 'name'));
        env.print({ id: target.id, name: target.name }, env.t('cli.ratings.renamed', { id: target.id, name: target.name }));
        return 0;
      }
      case 'deactivate':
      case 'activate': {
        const target = await setTargetActive(db, by, community.id, requireOption(values, 'id'), action === 'activate');
        env.print({ id: target.id, active: target.active }, env.t(target.active ? 'cli.ratings.now_active' : 'cli.ratings.now_inactive', { id: target.id }));
        return 0;
      }
      default:
        throw new UsageError('cli.ratings.say_action');
    }
  },
};
