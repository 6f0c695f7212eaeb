/**
 * `linli poll list` and `linli proposal list`: what a community has, by the public numbers the
 * other commands accept. One short line per item for a person at a terminal; `--json` prints
 * one JSON array for scripts (ids, numbers, statuses and ISO times, nothing localized).
 */
import { POLL_STATUSES } from '../../domain/polls/states.ts';
import { listPolls } from '../../domain/polls/queries.ts';
import { listProposals } from '../../domain/proposals/queries.ts';
import { STATUSES as PROPOSAL_STATUSES } from '../../domain/proposals/states.ts';
import { communityBySlug } from '../../domain/residents/communities.ts';
import { requireOption, UsageError, type CliCommand, type CliEnv } from '../command.ts';

/** The one most lists need: the cap on how many rows a list prints. */
const MAX_ROWS = 500;

/** A time as the operator reads it: the deployment's zone, minutes, no seconds. */
function localTime(env: CliEnv, at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: env.config.LINLI_TIMEZONE, dateStyle: 'short', timeStyle: 'short' }).format(at);
}

/** The --status option checked against a list of statuses. */
function statusOption(values: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  const raw = values.status;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !allowed.includes(raw)) throw new UsageError(`--status must be one of ${allowed.join(', ')}`);
  return raw;
}

/** Prints rows as JSON or as lines. */
function print<T>(env: CliEnv, json: boolean, rows: T[], line: (row: T) => string, none: string): void {
  if (json) env.out(JSON.stringify(rows, null, 2));
  else if (!rows.length) env.err(none);
  else for (const row of rows) env.out(line(row));
}

export const pollListCommand: CliCommand = {
  name: 'poll list',
  usage: `linli poll list --community <slug> [--status ${POLL_STATUSES.join('|')}] [--json]`,
  summary: "List a community's polls by number, newest first, with status, times and votes",
  options: { community: { type: 'string' }, status: { type: 'string' }, json: { type: 'boolean' } },
  async run(env, { values }) {
    const status = statusOption(values, POLL_STATUSES);
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
    print(env, Boolean(values.json), rows, (r) =>
      `#${r.number}  ${r.status.padEnd(9)}  ${localTime(env, new Date(r.opensAt))} → ${localTime(env, new Date(r.closesAt))}  ${String(r.votes).padStart(5)} votes  ${r.question}`,
      `community ${community.slug} has no${status ? ` ${status}` : ''} polls`);
    return 0;
  },
};

export const proposalListCommand: CliCommand = {
  name: 'proposal list',
  usage: `linli proposal list --community <slug> [--status <${PROPOSAL_STATUSES.filter((s) => s !== 'draft').join('|')}>] [--json]`,
  summary: "List a community's micro-project proposals by number, newest first, with status and seconds",
  options: { community: { type: 'string' }, status: { type: 'string' }, json: { type: 'boolean' } },
  async run(env, { values }) {
    const status = statusOption(values, PROPOSAL_STATUSES.filter((s) => s !== 'draft'));
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
    print(env, Boolean(values.json), rows, (r) =>
      `#${r.number}  ${r.status.padEnd(13)}  ${localTime(env, new Date(r.createdAt))}  ${String(r.seconds).padStart(4)} seconds  ${r.title}`,
      `community ${community.slug} has no${status ? ` ${status}` : ''} proposals`);
    return 0;
  },
};

export const LIST_COMMANDS = [pollListCommand, proposalListCommand];
