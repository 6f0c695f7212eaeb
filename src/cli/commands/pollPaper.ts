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
import type { Services } from '../../core/services.ts';
import { isDomainError } from '../../domain/errors.ts';
import type { BallotRef } from '../../domain/polls/paper.ts';
import { pollFromArgs } from '../refs.ts';
import { BALLOTS_PER_PAGE } from '../../features/polls/ballotsPdf.ts';
import { ballotsPdfOf } from '../../features/polls/ballots.ts';
import { LOCALES } from '../../i18n/i18n.ts';
import { CLI_ACTOR, cliServices, domainMessage, localeOption, readFileOption, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

const BY = { actor: CLI_ACTOR, via: 'cli' };
/** Rows of one CSV of returned ballots. */
const MAX_CSV_ROWS = 20_000;

/** A refused CSV row in the operator's language (a usage error or a domain refusal). */
function message(env: CliEnv, services: Services, err: unknown): string {
  if (err instanceof UsageError) return env.t(err.key, err.params);
  if (isDomainError(err)) return domainMessage(services.i18n, env.locale, err.key, err.params);
  throw err;
}

/** The poll named by number in --community or by id (one rule for every poll command, src/cli/refs.ts). */
function namedPoll(services: Services, values: Record<string, unknown>, ref: string | undefined) {
  return pollFromArgs(services.db, ref, values);
}

/** Positions given as "1", "1;3" or repeated --option values. */
function positionsOf(raw: string[]): number[] {
  const parts = raw.flatMap((r) => r.normalize('NFKC').split(/[;,，、\s]+/)).filter(Boolean);
  if (!parts.length || parts.some((p) => !/^\d{1,2}$/.test(p))) throw new UsageError('cli.paper.bad_option', { value: raw.join(' ') });
  return parts.map(Number);
}

export const pollBallotsCommand: CliCommand = {
  name: 'poll ballots',
  usage: `linli poll ballots <number|id> --community <slug> --out <ballots.pdf> [--locale ${LOCALES.join('|')}]`,
  summary: 'cli.summary.poll_ballots',
  options: { community: { type: 'string' }, out: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values, positionals }) {
    const out = resolve(requireOption(values, 'out'));
    const services = await cliServices(env);
    const poll = await namedPoll(services, values, positionals[0]);
    const community = await services.db.community.findUniqueOrThrow({ where: { id: poll.communityId } });
    const locale = localeOption(values) ?? community.locale;
    const printed = await ballotsPdfOf(services.db, BY, poll.id, services.i18n.bind(locale), services.clock());
    await writeFile(out, printed.pdf);
    const pages = Math.ceil(printed.count / BALLOTS_PER_PAGE);
    env.print(
      { out, poll: printed.number, ballots: printed.count, pages, created: printed.created, kept: printed.count - printed.created },
      env.t('cli.paper.ballots_written', { count: printed.count, pages, number: printed.number, out, created: printed.created, kept: printed.count - printed.created }),
    );
    return 0;
  },
};

export const pollPaperCommand: CliCommand = {
  name: 'poll paper',
  usage: 'linli poll paper <number|id> --community <slug> (--unit <3栋2单元501> | --code <P3-XXXX-XXXX>) --option <n> [--option <m>] [--correct --reason <why>] | --csv <returned.csv>',
  summary: 'cli.summary.poll_paper',
  options: { community: { type: 'string' }, unit: { type: 'string' }, code: { type: 'string' }, option: { type: 'string', multiple: true }, correct: { type: 'boolean' }, reason: { type: 'string' }, csv: { type: 'string' } },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const poll = await namedPoll(services, values, positionals[0]);
    const now = () => services.clock();
    if (values.csv) {
      if (values.unit || values.code || values.option || values.correct) throw new UsageError('cli.paper.csv_or_one');
      const { bytes } = await readFileOption(values, 'csv');
      let rows: Record<string, string>[];
      try {
        rows = parse(bytes, { columns: (h: string[]) => h.map((c) => c.replace(/^\uFEFF/, '').trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true });
      } catch (err) {
        throw new UsageError('cli.paper.not_csv', { reason: (err as Error).message });
      }
      if (rows.length > MAX_CSV_ROWS) throw new UsageError('cli.paper.too_many_rows', { count: rows.length, max: MAX_CSV_ROWS });
      const header = Object.keys(rows[0] ?? {});
      const refCol = header.find((h) => ['code', '选票编码', '编码'].includes(h)) ?? header.find((h) => ['unit', '房号', '住户'].includes(h));
      const optCol = header.find((h) => ['option', 'options', '选项'].includes(h));
      if (!refCol || !optCol) throw new UsageError('cli.paper.csv_columns');
      let entered = 0;
      const refused: string[] = [];
      for (const [i, row] of rows.entries()) {
        const line = i + 2;
        try {
          const ref: BallotRef = ['code', '选票编码', '编码'].includes(refCol) ? { code: row[refCol] ?? '' } : { unit: row[refCol] ?? '' };
          await services.polls.ballots.enterPaper(BY, poll.id, ref, positionsOf([row[optCol] ?? '']), now());
          entered++;
        } catch (err) {
          refused.push(env.t('cli.paper.row_refused', { row: line, reason: message(env, services, err) }));
        }
      }
      env.print({ poll: poll.number, entered, refused }, env.t('cli.paper.csv_done', { number: poll.number, entered, count: refused.length }));
      for (const r of refused) env.err(r);
      return refused.length ? 1 : 0;
    }
    if (!!values.unit === !!values.code) throw new UsageError('cli.paper.unit_or_code');
    const ref: BallotRef = values.code ? { code: String(values.code) } : { unit: String(values.unit) };
    const positions = positionsOf((values.option as string[] | undefined) ?? []);
    const outcome = values.correct
      ? await services.polls.ballots.correctPaper(BY, poll.id, ref, positions, (values.reason as string | undefined) ?? '', now())
      : await services.polls.ballots.enterPaper(BY, poll.id, ref, positions, now());
    env.print(
      { poll: poll.number, unit: outcome.unit, positions: outcome.positions, corrected: Boolean(values.correct) },
      env.t(values.correct ? 'cli.paper.corrected' : 'cli.paper.entered', { number: poll.number, unit: outcome.unit, options: outcome.positions.join(env.t('cli.paper.option_separator')) }),
    );
    return 0;
  },
};
