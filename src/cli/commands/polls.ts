/**
 * Poll commands for staff with shell access: `linli poll create` (posts it, prints its id),
 * `linli poll close` and `linli export poll` (a poll named by its number in a community, or its id). They act as the deployment's operator and
 * are audited with via "cli"; posts go into the outbox, which the running bot delivers.
 */
import { createPoll } from '../../domain/polls/polls.ts';
import { ELECTORATES, parseQuorum, PASS_RULES, type Electorate, type PassRule } from '../../domain/polls/rules.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { writeTable } from '../../export/table.ts';
import { exportFileName, pollExportSheets } from '../../features/polls/export.ts';
import { closeAndAnnounce, publishPoll } from '../../features/polls/lifecycle.ts';
import { CLI_ACTOR, cliServices, formatOption, isDuration, LOCALE_USAGE, localeOption, parseDuration, requireOption, UsageError, type CliCommand } from '../command.ts';
import { COMMUNITY_OPTION, pollFromArgs } from '../refs.ts';
import { stateLabel } from '../words.ts';
import { pollBallotsCommand, pollPaperCommand } from './pollPaper.ts';

const BY = { actor: CLI_ACTOR, via: 'cli' };

/** Parses "2026-12-01T18:00+08:00" or a duration from now such as "2d". */
export function parseWhen(raw: string, now: Date): Date {
  const s = raw.trim();
  if (isDuration(s)) return new Date(now.getTime() + parseDuration(s));
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) {
    const d = new Date(s);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw new UsageError('cli.polls.bad_when', { raw });
}

export const pollCreateCommand: CliCommand = {
  name: 'poll create',
  usage:
    'linli poll create --community <slug> --question <question> --option <option> --option <option> [--standard] [--multi <count>] [--electorate council|residents|households] [--named|--anonymous] [--final] [--opens <ISO or 2h>] [--closes <ISO or 2d>] [--quorum <count or %>] [--rule majority|electorate|two-thirds] [--live] [--description <text>]',
  summary: 'cli.summary.poll_create',
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
    const community = await communityBySlug(services.db, requireOption(values, 'community'));
    const options = ((values.option as string[] | undefined) ?? []).map((label) => ({ label }));
    if (values.standard && options.length) throw new UsageError('cli.polls.standard_or_options');
    if (!values.standard && options.length < 2) throw new UsageError('cli.polls.two_options');
    const electorate = (values.electorate as string | undefined) ?? 'residents';
    if (!(ELECTORATES as readonly string[]).includes(electorate)) throw new UsageError('cli.polls.bad_electorate', { allowed: ELECTORATES.join(', ') });
    const rule = (values.rule as string | undefined) ?? 'majority';
    if (!(PASS_RULES as readonly string[]).includes(rule)) throw new UsageError('cli.polls.bad_rule', { allowed: PASS_RULES.join(', ') });
    if (values.named && values.anonymous) throw new UsageError('cli.polls.named_or_anonymous');
    const multi = values.multi === undefined ? 1 : Number(values.multi);
    if (!Number.isInteger(multi) || multi < 1) throw new UsageError('cli.polls.bad_multi');
    const quorum = parseQuorum((values.quorum as string | undefined) ?? '');
    if (!quorum) throw new UsageError('cli.polls.bad_quorum');
    const opensAt = values.opens ? parseWhen(String(values.opens), now) : now;
    const closesAt = parseWhen((values.closes as string | undefined) ?? '3d', opensAt);
    const poll = await createPoll(services.db, BY, community.id, {
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
      }, now);
    const groups = poll.status === 'open' ? await publishPoll(services, poll) : 0;
    env.print({ id: poll.id, number: poll.number, status: poll.status, groups, closesAt: poll.closesAt.toISOString() }, poll.id);
    if (!env.json) env.err(env.t('cli.polls.created', { number: poll.number, status: stateLabel(env.t, 'poll', poll.status), count: groups, closes: poll.closesAt.toISOString() }));
    return 0;
  },
};

export const pollCloseCommand: CliCommand = {
  name: 'poll close',
  usage: 'linli poll close <number|id> [--community <slug>]',
  summary: 'cli.summary.poll_close',
  options: { ...COMMUNITY_OPTION },
  async run(env, { values, positionals }) {
    const services = await cliServices(env);
    const poll = await pollFromArgs(services.db, positionals[0], values);
    const closed = await closeAndAnnounce(services, poll.id, BY);
    if (!closed) throw new UsageError('cli.polls.not_open', { number: poll.number, status: stateLabel(env.t, 'poll', poll.status) });
    const result = JSON.parse(closed.result ?? '{}') as { turnout?: number; electorateSize?: number; quorumMet?: boolean; passed?: boolean };
    env.print(
      { id: closed.id, number: closed.number, turnout: result.turnout, electorateSize: result.electorateSize, quorumMet: Boolean(result.quorumMet), passed: Boolean(result.passed) },
      env.t('cli.polls.closed', {
        number: closed.number,
        turnout: result.turnout,
        size: result.electorateSize,
        quorum: env.t(`cli.polls.quorum_${result.quorumMet ? 'met' : 'not_met'}_${closed.electorate === 'households' ? 'households' : 'people'}`),
        outcome: env.t(result.passed ? 'cli.polls.passed' : 'cli.polls.not_passed'),
      }),
    );
    return 0;
  },
};

export const exportPollCommand: CliCommand = {
  name: 'export poll',
  usage: `linli export poll <number|id> [--community <slug>] --format csv|xlsx [--out <file>] ${LOCALE_USAGE}`,
  summary: 'cli.summary.export_poll',
  options: { ...COMMUNITY_OPTION, format: { type: 'string' }, out: { type: 'string' }, locale: { type: 'string' } },
  async run(env, { values, positionals }) {
    const format = formatOption(values, 'csv');
    const locale = localeOption(values) ?? env.config.LINLI_DEFAULT_LOCALE;
    const services = await cliServices(env);
    const poll = await pollFromArgs(services.db, positionals[0], values);
    const out = (values.out as string | undefined) ?? exportFileName(services.i18n.bind(locale), poll, format);
    const sheets = await pollExportSheets(services.db, poll, services.i18n.bind(locale), services.clock(), services.i18n.timeZone);
    const written = await writeTable({ format, out, timeZone: services.i18n.timeZone, sheets });
    await recordAudit(services.db, { actorId: null, via: 'cli', action: 'export', communityId: poll.communityId, targetType: 'polls', targetId: poll.id, details: { format, rows: written.rows } });
    env.print({ out, rows: written.rows, bytes: written.bytes }, env.t('cli.export.written', { out, count: written.rows, bytes: written.bytes }));
    return 0;
  },
};

export const POLL_COMMANDS = [pollCreateCommand, pollCloseCommand, pollBallotsCommand, pollPaperCommand, exportPollCommand];
