/**
 * How an operator names a poll on the command line: by its public number in a community
 * (`linli export poll 3 --community cfty`, as residents see "第3号投票"), or by its id. A miss
 * is told in the operator's terms — which community was searched and how to list what exists —
 * never "send /polls", which is advice for a chat.
 */
import type { Db } from '../db/client.ts';
import { findPoll, type PollWithOptions } from '../domain/polls/polls.ts';
import { communityBySlug } from '../domain/residents/communities.ts';
import { UsageError } from './command.ts';

/** The `--community` option commands that take a poll reference accept. */
export const COMMUNITY_OPTION = { community: { type: 'string' } } as const;

/** True for a public number: 3, #3, 第3号. */
function publicNumber(ref: string): number | null {
  const m = /^(?:#|第)?\s*(\d{1,9})\s*号?$/.exec(ref.trim());
  return m ? Number(m[1]) : null;
}

/** The poll a positional argument names, with `--community` when it is a number. */
export async function pollFromArgs(db: Db, ref: string | undefined, values: Record<string, unknown>): Promise<PollWithOptions> {
  if (!ref?.trim()) throw new UsageError('cli.refs.name_poll');
  const slug = typeof values.community === 'string' ? values.community.trim() : '';
  const number = publicNumber(ref);
  if (number !== null) {
    if (!slug) throw new UsageError('cli.refs.needs_community');
    const community = await communityBySlug(db, slug).catch(() => {
      throw new UsageError('cli.refs.no_community', { slug });
    });
    const poll = await findPoll(db, String(number), community.id);
    if (!poll) throw new UsageError('cli.refs.no_poll', { slug, number });
    return poll;
  }
  const poll = await findPoll(db, ref);
  if (!poll) throw new UsageError('cli.refs.no_poll_id', { id: ref.trim().slice(0, 40) });
  if (slug) {
    const community = await communityBySlug(db, slug).catch(() => null);
    if (!community || community.id !== poll.communityId) throw new UsageError('cli.refs.not_in_community', { id: poll.id, slug });
  }
  return poll;
}
