/**
 * Poll commands for staff with shell access: `linli poll create` (posts it, prints its id),
 * `linli poll close` and `linli export poll` (a poll named by its number in a community, or its id). They act as the deployment's operator and
 * are audited with via "cli"; posts go into the outbox, which the running bot delivers.
 */
import { createLinli } from '../../app/createLinli.ts';
import type { Services } from '../../core/services.ts';
import type { Db } from '../../db/client.ts';
import { createPoll } from '../../domain/polls/polls.ts';
import { ELECTORATES, parseQuorum, PASS_RULES, type Electorate, type PassRule } from '../../domain/polls/rules.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { writeTable } from '../../export/table.ts';
import { exportFileName, pollExportSheets } from '../../features/polls/export.ts';
import { closeAndAnnounce, publishPoll } from '../../features/polls/lifecycle.ts';
import { asCli, isDuration, LOCALE_USAGE, localeOption, parseDuration, requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';
import { COMMUNITY_OPTION, pollFromArgs } from '../refs.ts';
import { pollBallotsCommand, pollPaperCommand } from './pollPaper.ts';

/** The actor the CLI acts as. */
const CLI_ACTOR = { personId: 'cli', isAdmin: true, grants: [] };
const BY = { actor: CLI_ACTOR, via: 'cli' };

/** Services without platform adapters: the outbox stores posts for the running bot. */
async function cliServices(env: CliEnv): Promise<Services> {
  const db: Db = await env.db();
  return (await createLinli({ config: env.config, db, log: env.log, telegram: false, wechat: false, schedule: false })).services;
}

/** Parses "2026-12-01T18:00+08:00" or a duration from now such as "2d". */
export function parseWhen(raw: string, now: Date): Date {
  const s = raw.trim();
  if (isDuration(s)) return new Date(now.getTime() + parseDuration(s));
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const d = new Date(s);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new UsageError(`"${raw}" is neither an ISO time (2026-12-01T18:00+08:00) nor a duration such as 36h or 2d`);
}

export const pollCreateCommand: CliCommand = {
  name: 'poll create',
  usage:
    'linli poll create --community <slug> --question <q> --option <a> --option <b> [--standard] [--multi <k>] [--electorate council|residents|households] [--named|--anonymous] [--final] [--opens <ISO or 2h>] [--closes <ISO or 2d>] [--quorum <count or %>] [--rule majority|electorate|two-thirds] [--live] [--description <text>]',
  summary: 'Create a poll, post it to the community’s groups and print its id',
  options: {
    community: { type: 'string' },
    question: { type: 'string' },
    description: { type: 'string' },
    option: { type: 'string', multiple: true },
    standard: { type: 'boolean' },
    multi: { type: 'string' },
    electorate: { type: 'string' },
    named: { type: 'boolean' },
    anonymous: { type: 'boolean' },
    final: { type: 'boolean' },
    opens: { type: 'string' },
    closes: { type: 'string' },
    quorum: { type: 'string' },
    rule: { type: 'string' },
    live: { type: 'boolean' },
  },
  async run(env, { values }) {
    const services = await cliServices(env);
    const now = services.clock();
    const community = await asCli(services, () => communityBySlug(services.db, requireOption(values, 'community')));
    const options = ((values.option as string[] | undefined) ?? []).map((label) => ({ label }));
    if (values.standard && options.length) throw new UsageError('use either --standard or --option, not both');
    if (!values.standard && options.length < 2) throw new UsageError('give at least two --option values (or --standard for For/Against/Abstain)');
    const electorate = (values.electorate as string | undefined) ?? 'residents';
    if (!(ELECTORATES as readonly string[]).includes(electorate)) throw new UsageError(`--electorate must be one of ${ELECTORATES.join(', ')}`);
    const rule = (values.rule as string | undefined) ?? 'majority';
    if (!(PASS_RULES as readonly string[]).includes(rule)) throw new UsageError(`--rule must be one of ${PASS_RULES.join(', ')}`);
    if (values.named && values.anonymous) throw new UsageError('use either --named or --anonymous');
    const multi = values.multi === undefined ? 1 : Number(values.multi);
    if (!Number.isInteger(multi) || multi < 1) throw new UsageError('--multi must be a whole number of at least 1');
    const quorum = parseQuorum((values.quorum as string | undefined) ?? '');
    if (!quorum) throw new UsageError('--quorum must be a head count (50) or a share (30%)');
    const opensAt = values.opens ? parseWhen(String(values.opens), now) : now;
    const closesAt = parseWhen((values.closes as string | undefined) ?? '3d', opensAt);
    const poll = await asCli(services, () =>
      createPoll(services.db, BY, community.id, {
        question: requireOption(values, 'question'),
        description: (values.description as string | undefined) ?? null,
        options: values.standard ? 'standard' : options,
        maxChoices: multi,
        electorate: electorate as Electorate,
        anonymous: !values.named,
        allowChange: !values.final,
        opensAt,
        closesAt,
        quorum,
        rule: rule as PassRule,
        liveResults: Boolean(values.live),
      }, now),
    );
    const groups = poll.status === 'open' ? await publishPoll(services, poll) : 0;
    env.out(poll.id);
    env.err(`poll #${poll.number} ${poll.status}; posted to ${groups} group(s); closes ${poll.closesAt.toISOString()}`);
    return 0;
  },
};

export const pollCloseCommand: CliCommand = {
  name: 'poll close',
  usage: 'linli poll close <number> --community <slug>  (or: linli poll close <id>)',
  summary: 'Close a poll now and post its result',
  options: { ...COMMUNITY_OPTION },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const poll = await pollFromArgs(services.db, positionals[0], values);
    const closed = await asCli(services, () => closeAndAnnounce(services, poll.id, BY));
    if (!closed) throw new UsageError(`poll ${poll.id} is not open (${poll.status})`);
    const result = JSON.parse(closed.result ?? '{}');
    env.out(`closed poll #${closed.number}: turnout ${result.turnout}/${result.electorateSize}, quorum ${result.quorumMet ? 'met' : 'not met'}, ${result.passed ? 'passed' : 'not passed'}`);
    return 0;
  },
};

export const exportPollCommand: CliCommand = {
  name: 'export poll',
  usage: `linli export poll <number> --community <slug> --format csv|xlsx [--out <file>] ${LOCALE_USAGE}  (or the poll id instead of number and --community)`,
  summary: 'Export a poll (metadata, tallies, named votes) as CSV or XLSX',
  options: { ...COMMUNITY_OPTION, format: { type: 'string' }, out: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values, positionals }) {
    const format = (values.format as string | undefined) ?? 'csv';
    if (format !== 'csv' && format !== 'xlsx') throw new UsageError('--format must be csv or xlsx');
    const locale = localeOption(values) ?? env.config.LINLI_DEFAULT_LOCALE;
    const services = await cliServices(env);
    const poll = await pollFromArgs(services.db, positionals[0], values);
    const out = (values.out as string | undefined) ?? exportFileName(services.i18n.bind(locale), poll, format);
    const sheets = await pollExportSheets(services.db, poll, services.i18n.bind(locale), services.clock(), services.i18n.timeZone);
    const written = await writeTable({ format, out, timeZone: services.i18n.timeZone, sheets });
    await recordAudit(services.db, { actorId: null, via: 'cli', action: 'export', communityId: poll.communityId, targetType: 'polls', targetId: poll.id, details: { format, rows: written.rows } });
    env.out(`wrote ${out} (${written.rows} rows, ${written.bytes} bytes)`);
    return 0;
  },
};

export const POLL_COMMANDS = [pollCreateCommand, pollCloseCommand, pollBallotsCommand, pollPaperCommand, exportPollCommand];
