/**
 * `linli poll ballots` and `linli poll paper`: printing a household poll's paper ballots, and
 * entering the returned ones — one by unit or code, or a whole stack from the CSV or Excel list
 * the clerk typed (`--file`, `--csv` its older name). A file goes through the same domain module
 * as /paper's 上传登记表 (src/domain/polls/paperBatch.ts: the register's sheet reader, headings
 * in Chinese and English, per-row refusals) and its report is the same text
 * (scenes/paperBatchText.ts), in the operator's language; `--dry-run` previews it and writes
 * nothing. Audited with via "cli".
 */
import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Services } from '../../core/services.ts';
import type { BallotRef } from '../../domain/polls/paper.ts';
import { enterPaperBatch, PaperBatchRefused, readPaperBatch, type BatchLine, type PaperBatchReport } from '../../domain/polls/paperBatch.ts';
import type { PollWithOptions } from '../../domain/polls/polls.ts';
import { pollFromArgs } from '../refs.ts';
import { BALLOTS_PER_PAGE } from '../../features/polls/ballotsPdf.ts';
import { ballotsPdfOf } from '../../features/polls/ballots.ts';
import { optionLabel } from '../../features/polls/render.ts';
import { LOCALES, type TFn } from '../../i18n/i18n.ts';
import { refusedLine, renderBatchRefusal, renderBatchRefused, renderBatchSummary } from '../../../scenes/paperBatchText.ts';
import { CLI_ACTOR, cliServices, localeOption, readFileOption, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

const BY = { actor: CLI_ACTOR, via: 'cli' };
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

/** A whole returned-ballots file has no row left unlisted at a shell (a chat shows 30). */
const ALL_ROWS = Number.MAX_SAFE_INTEGER;

/** "赞成" or "方案A、方案C": the marked options in the operator's language. */
function labelsOf(t: TFn, poll: PollWithOptions) {
  return (positions: number[]) => positions.map((p) => optionLabel(t, poll.options.find((o) => o.position === p)!)).join(t('register.list_separator'));
}

/** A report row for --json: its spreadsheet row, the unit, and what was (or would be) entered or why not. */
function jsonLine(t: TFn, l: BatchLine) {
  return l.refusal ? { row: l.line, unit: l.unit, key: l.refusal.key, reason: refusedLine(t, l) } : { row: l.line, unit: l.unit, positions: l.positions };
}

/**
 * `--file`: reads the list, enters it (or, with --dry-run, previews it) and prints the report
 * of /paper's 上传登记表 — entered rows on stdout, every refused row with its reason on stderr.
 * Exit 1 when a row was (or would be) refused, or the file as a whole.
 */
async function enterFile(env: CliEnv, values: Record<string, unknown>, option: 'file' | 'csv', poll: PollWithOptions, services: Awaited<ReturnType<typeof cliServices>>): Promise<number> {
  const { path, bytes } = await readFileOption(values, option);
  const file = basename(path);
  const dryRun = Boolean(values['dry-run']);
  let report: PaperBatchReport;
  try {
    const batch = await readPaperBatch(bytes, file);
    report = await enterPaperBatch(services.db, services.polls.ballots, BY, poll.id, batch, services.clock(), { dryRun });
  } catch (err) {
    if (!(err instanceof PaperBatchRefused)) throw err;
    env.err(renderBatchRefusal(env.t, err));
    if (env.json) env.print({ poll: poll.number, file, refused: true, problems: err.total }, []);
    return 1;
  }
  const text = renderBatchSummary(env.t, report, file, labelsOf(env.t, poll));
  const lines = dryRun ? [text, '', env.t('cli.paper.dry_run', { count: report.entered.length })] : [text];
  env.print(
    {
      poll: poll.number,
      file,
      dryRun,
      entered: report.entered.length,
      refused: report.refused.map((l) => jsonLine(env.t, l)),
      rows: report.entered.map((l) => jsonLine(env.t, l)),
    },
    lines,
  );
  if (report.refused.length) env.err(renderBatchRefused(env.t, report, ALL_ROWS));
  return report.refused.length ? 1 : 0;
}

export const pollPaperCommand: CliCommand = {
  name: 'poll paper',
  usage:
    'linli poll paper <number|id> --community <slug> (--unit <3栋2单元501> | --code <P3-XXXX-XXXX>) --option <n> [--option <m>] [--correct --reason <why>] | --file <returned.csv|.xlsx> [--dry-run]',
  summary: 'cli.summary.poll_paper',
  options: {
    community: { type: 'string' },
    unit: { type: 'string' },
    code: { type: 'string' },
    option: { type: 'string', multiple: true },
    correct: { type: 'boolean' },
    reason: { type: 'string' },
    file: { type: 'string' },
    csv: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(env, { values, positionals }) {
    const fileOption = values.file !== undefined ? 'file' : values.csv !== undefined ? 'csv' : null;
    if (values.file !== undefined && values.csv !== undefined) throw new UsageError('cli.paper.file_twice');
    if (fileOption && (values.unit || values.code || values.option || values.correct)) throw new UsageError('cli.paper.file_or_one');
    if (!fileOption && values['dry-run']) throw new UsageError('cli.paper.dry_run_file');
    const services = await cliServices(env);
    const poll = await namedPoll(services, values, positionals[0]);
    if (fileOption) return enterFile(env, values, fileOption, poll, services);
    const now = () => services.clock();
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
