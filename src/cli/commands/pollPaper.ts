/**
 * `linli poll ballots` and `linli poll paper`: printing a household poll's paper ballots, and
 * entering the returned ones — one by unit or code, or a whole stack from a CSV (columns
 * `code` or `unit`, and `option`; several options as "1;3"). Each entry is checked like in chat
 * (one ballot per household, the electorate, the voting time); a CSV goes on past a refused row
 * and lists every refusal with its row number. Audited with via "cli".
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { createLinli } from '../../app/createLinli.ts';
import type { Services } from '../../core/services.ts';
import type { Db } from '../../db/client.ts';
import { isDomainError } from '../../domain/errors.ts';
import type { BallotRef } from '../../domain/polls/paper.ts';
import { pollFromArgs } from '../refs.ts';
import { BALLOTS_PER_PAGE } from '../../features/polls/ballotsPdf.ts';
import { ballotsPdfOf } from '../../features/polls/ballots.ts';
import { LOCALES } from '../../i18n/i18n.ts';
import { readFileOption, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

const CLI_ACTOR = { personId: 'cli', isAdmin: true, grants: [] };
const BY = { actor: CLI_ACTOR, via: 'cli' };
/** Rows of one CSV of returned ballots. */
const MAX_CSV_ROWS = 20_000;

async function cliServices(env: CliEnv): Promise<Services> {
  const db: Db = await env.db();
  return (await createLinli({ config: env.config, db, log: env.log, telegram: false, wechat: false, schedule: false })).services;
}

/** A DomainError in the operator's English. */
function message(services: Services, err: unknown): string {
  if (isDomainError(err)) return services.i18n.t('en', err.key, err.params);
  throw err;
}

/** The poll named by number in --community or by id (one rule for every poll command, src/cli/refs.ts). */
function namedPoll(services: Services, values: Record<string, unknown>, ref: string | undefined) {
  return pollFromArgs(services.db, ref, values);
}

/** Positions given as "1", "1;3" or repeated --option values. */
function positionsOf(raw: string[]): number[] {
  const parts = raw.flatMap((r) => r.normalize('NFKC').split(/[;,，、\s]+/)).filter(Boolean);
  if (!parts.length || parts.some((p) => !/^\d{1,2}$/.test(p))) throw new UsageError(`--option must be option numbers (1, or 1;3), not "${raw.join(' ')}"`);
  return parts.map(Number);
}

export const pollBallotsCommand: CliCommand = {
  name: 'poll ballots',
  usage: `linli poll ballots <number|id> --community <slug> --out <ballots.pdf> [--locale ${LOCALES.join('|')}]`,
  summary: 'Print one paper ballot per household of a household poll (A4 PDF, two per page); a reprint keeps each code',
  options: { community: { type: 'string' }, out: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values, positionals }) {
    const out = resolve(requireOption(values, 'out'));
    const services = await cliServices(env);
    const poll = await namedPoll(services, values, positionals[0]);
    const community = await services.db.community.findUniqueOrThrow({ where: { id: poll.communityId } });
    const locale = (values.locale as string | undefined) ?? community.locale;
    if (!(LOCALES as readonly string[]).includes(locale)) throw new UsageError(`--locale must be one of ${LOCALES.join(', ')}`);
    let printed;
    try {
      printed = await ballotsPdfOf(services.db, BY, poll.id, services.i18n.bind(locale), services.clock());
    } catch (err) {
      throw new UsageError(message(services, err));
    }
    await writeFile(out, printed.pdf);
    env.out(`wrote ${printed.count} ballots (${Math.ceil(printed.count / BALLOTS_PER_PAGE)} pages) of poll #${printed.number} to ${out}; ${printed.created} new codes, ${printed.count - printed.created} kept from an earlier printing`);
    return 0;
  },
};

export const pollPaperCommand: CliCommand = {
  name: 'poll paper',
  usage: 'linli poll paper <number|id> --community <slug> (--unit <3栋2单元501> | --code <P3-XXXX-XXXX>) --option <n> [--option <m>] [--correct --reason <why>] | --csv <returned.csv>',
  summary: 'Enter returned paper ballots (one, or a CSV of code|unit,option); a household that voted already is refused with when and how',
  options: { community: { type: 'string' }, unit: { type: 'string' }, code: { type: 'string' }, option: { type: 'string', multiple: true }, correct: { type: 'boolean' }, reason: { type: 'string' }, csv: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const poll = await namedPoll(services, values, positionals[0]);
    const now = () => services.clock();
    if (values.csv) {
      if (values.unit || values.code || values.option || values.correct) throw new UsageError('use either --csv or --unit/--code with --option');
      const { bytes } = await readFileOption(values, 'csv');
      let rows: Record<string, string>[];
      try {
        rows = parse(bytes, { columns: (h: string[]) => h.map((c) => c.replace(/^\uFEFF/, '').trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
      } catch (err) {
        throw new UsageError(`--csv: not a CSV file (${(err as Error).message})`);
      }
      if (rows.length > MAX_CSV_ROWS) throw new UsageError(`--csv: ${rows.length} rows; at most ${MAX_CSV_ROWS} in one file`);
      const header = Object.keys(rows[0] ?? {});
      const refCol = header.find((h) => ['code', '选票编码', '编码'].includes(h)) ?? header.find((h) => ['unit', '房号', '住户'].includes(h));
      const optCol = header.find((h) => ['option', 'options', '选项'].includes(h));
      if (!refCol || !optCol) throw new UsageError('--csv needs a column code (or unit) and a column option');
      let entered = 0;
      const refused: string[] = [];
      for (const [i, row] of rows.entries()) {
        const line = i + 2;
        try {
          const ref: BallotRef = ['code', '选票编码', '编码'].includes(refCol) ? { code: row[refCol] ?? '' } : { unit: row[refCol] ?? '' };
          await services.polls.ballots.enterPaper(BY, poll.id, ref, positionsOf([row[optCol] ?? '']), now());
          entered++;
        } catch (err) {
          refused.push(`row ${line}: ${err instanceof UsageError ? err.message : message(services, err)}`);
        }
      }
      env.out(`poll #${poll.number}: ${entered} paper ballots entered, ${refused.length} refused`);
      for (const r of refused) env.err(r);
      return refused.length ? 1 : 0;
    }
    if (!!values.unit === !!values.code) throw new UsageError('give --unit or --code (one of them)');
    const ref: BallotRef = values.code ? { code: String(values.code) } : { unit: String(values.unit) };
    const positions = positionsOf((values.option as string[] | undefined) ?? []);
    try {
      const outcome = values.correct
        ? await services.polls.ballots.correctPaper(BY, poll.id, ref, positions, (values.reason as string | undefined) ?? '', now())
        : await services.polls.ballots.enterPaper(BY, poll.id, ref, positions, now());
      env.out(`poll #${poll.number}: ${values.correct ? 'corrected' : 'entered'} the paper ballot of ${outcome.unit} (option ${outcome.positions.join(', ')})`);
      return 0;
    } catch (err) {
      throw new UsageError(message(services, err));
    }
  },
};
