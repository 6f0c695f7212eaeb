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
import { CLI_LOCALE, requireOption, UsageError, type CliCommand } from '../command.ts';

/** The operator: whoever has shell access to the deployment. */
const CLI_ACTOR = { personId: 'cli', isAdmin: true, grants: [] };

export const exportRatingsCommand: CliCommand = {
  name: 'export ratings',
  usage: 'linli export ratings --community <slug> [--period 2026Q4] --format csv|xlsx --out <file>',
  summary: 'Write the satisfaction ratings of a community (summary per target and anonymous answers)',
  options: { community: { type: 'string' }, period: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  async run(env, { values }) {
    const format = requireOption(values, 'format');
    if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format must be csv or xlsx');
    const out = requireOption(values, 'out');
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const period = typeof values.period === 'string' ? parsePeriod(values.period) : null;
    const t = createTranslator({ defaultLocale: community.locale, timeZone: env.config.LINLI_TIMEZONE }).bind(community.locale);
    const result = await writeTable({ format, out, sheets: await ratingSheets(db, t, community.id, period) });
    env.out(`wrote ${out} (${JSON.stringify(result)})`);
    return 0;
  },
};

export const ratingTargetCommand: CliCommand = {
  name: 'rating target',
  usage: 'linli rating target add|list|rename|deactivate|activate --community <slug> [--kind property --name <name>] [--id <targetId>]',
  summary: 'Manage the rating targets (评议对象) of a community',
  options: { community: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' } },
  async run(env, { values, positionals }) {
    const action = positionals[0];
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const by = { actor: CLI_ACTOR, via: 'cli' };
    const t = createTranslator({ defaultLocale: CLI_LOCALE, timeZone: env.config.LINLI_TIMEZONE }).bind(community.locale);
    switch (action) {
      case 'list': {
        await ensureDefaultTargets(db, community.id);
        for (const x of await listTargets(db, community.id)) env.out(`${x.id}\t${x.kind}\t${x.active ? 'active' : 'inactive'}\t${targetLabel(t, x)}`);
        return 0;
      }
      case 'add': {
        const target = await addTarget(db, by, community.id, requireOption(values, 'kind'), requireOption(values, 'name'));
        env.out(`added ${target.id} ${target.kind} ${target.name}`);
        return 0;
      }
      case 'rename': {
        const target = await renameTarget(db, by, community.id, requireOption(values, 'id'), requireOption(values, 'name'));
        env.out(`renamed ${target.id} to ${target.name}`);
        return 0;
      }
      case 'deactivate':
      case 'activate': {
        const target = await setTargetActive(db, by, community.id, requireOption(values, 'id'), action === 'activate');
        env.out(`${target.id} is ${target.active ? 'active' : 'inactive'}`);
        return 0;
      }
      default:
        throw new UsageError('say add, list, rename, deactivate or activate');
    }
  },
};
