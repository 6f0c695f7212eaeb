/**
 * `linli poll list` and `linli proposal list`: what a community has, by the public numbers the
 * other commands accept. One short line per item for a person at a terminal, with the status in
 * the words the chat uses (投票中, 审议中); the global `--json` prints one JSON array for scripts
 * (ids, numbers, status keys and ISO times, nothing localized).
 */
import { POLL_STATUSES } from '../../domain/polls/states.ts';
import { listPolls } from '../../domain/polls/queries.ts';
import { listProposals } from '../../domain/proposals/queries.ts';
import { STATUSES as PROPOSAL_STATUSES } from '../../domain/proposals/states.ts';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';
import { labelWidth, padColumns, stateChoices, stateLabel } from '../words.ts';

/** The one most lists need: the cap on how many rows a list prints. */
const MAX_ROWS = 500;

/** A time as the operator reads it: the deployment's zone, minutes, no seconds. */
function localTime(env: CliEnv, at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: env.config.LINLI_TIMEZONE, dateStyle: 'short', timeStyle: 'short' }).format(at);
}

/** The --status option checked against a list of statuses; a refusal lists each key with its label. */
function statusOption(env: CliEnv, values: Record<string, unknown>, kind: 'poll' | 'proposal', allowed: readonly string[]): string | undefined {
  const raw = values.status;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !allowed.includes(raw)) {
    throw new UsageError('cli.errors.bad_status', { allowed: stateChoices(env.t, kind, allowed) });
  }
  return raw;
}

/** Prints rows as JSON or as lines; an empty list is said on stderr (stdout stays empty). */
function print<T>(env: CliEnv, rows: T[], line: (row: T) => string, none: string): void {
  if (!rows.length && !env.json) env.err(none);
  else env.print(rows, rows.map(line));
}

export const pollListCommand: CliCommand = {
  name: 'poll list',
  usage: `linli poll list --community <slug> [--status ${POLL_STATUSES.join('|')}]`,
  summary: 'cli.summary.poll_list',
  options: { community: { type: 'string' }, status: { type: 'string' } },
  async run(env, { values }) {
    const status = statusOption(env, values, 'poll', POLL_STATUSES);
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const polls = await listPolls(db, community.id, { status, take: MAX_ROWS });
    const counts = await db.pollParticipation.groupBy({ by: ['pollId'], where: { pollId: { in: polls.map((p) => p.id) }, advisory: false }, _count: { _all: true } });
    const votes = new Map(counts.map((c) => [c.pollId, c._count._all]));
    const rows = polls.map((p) => ({
      id: p.id,
      number: p.number,
      status: p.status,
      question: p.question,
      electorate: p.electorate,
      opensAt: p.opensAt.toISOString(),
      closesAt: p.closesAt.toISOString(),
      votes: votes.get(p.id) ?? 0,
    }));
    print(
      env,
      rows,
      (r) => env.t('cli.lists.poll_line', { number: r.number, status: padColumns(stateLabel(env.t, 'poll', r.status), labelWidth(env.t, 'poll', POLL_STATUSES)), opens: localTime(env, new Date(r.opensAt)), closes: localTime(env, new Date(r.closesAt)), votes: String(r.votes).padStart(5), question: r.question }),
      status ? env.t('cli.lists.no_polls_status', { slug: community.slug, status: stateLabel(env.t, 'poll', status) }) : env.t('cli.lists.no_polls', { slug: community.slug }),
    );
    return 0;
  },
};

export const proposalListCommand: CliCommand = {
  name: 'proposal list',
  usage: `linli proposal list --community <slug> [--status <${PROPOSAL_STATUSES.filter((s) => s !== 'draft').join('|')}>]`,
  summary: 'cli.summary.proposal_list',
  options: { community: { type: 'string' }, status: { type: 'string' } },
  async run(env, { values }) {
    const status = statusOption(env, values, 'proposal', PROPOSAL_STATUSES.filter((s) => s !== 'draft'));
    const db = await env.db();
    const community = await communityBySlug(db, requireOption(values, 'community'));
    const { items } = await listProposals(db, community.id, { status, pageSize: MAX_ROWS });
    const rows = items.map((p) => ({
      id: p.id,
      number: p.number,
      status: p.status,
      title: p.title,
      seconds: p.seconds,
      createdAt: p.createdAt.toISOString(),
    }));
    print(
      env,
      rows,
      (r) => env.t('cli.lists.proposal_line', { number: r.number, status: padColumns(stateLabel(env.t, 'proposal', r.status), labelWidth(env.t, 'proposal', PROPOSAL_STATUSES)), created: localTime(env, new Date(r.createdAt)), seconds: String(r.seconds).padStart(4), title: r.title }),
      status ? env.t('cli.lists.no_proposals_status', { slug: community.slug, status: stateLabel(env.t, 'proposal', status) }) : env.t('cli.lists.no_proposals', { slug: community.slug }),
    );
    return 0;
  },
};

export const LIST_COMMANDS = [pollListCommand, proposalListCommand];
