/**
 * What the console does to polls, each through the function the chat calls for the same act —
 * kept in this one file so that when poll code moves (into src/domain/polls), only these lines
 * are re-pointed.
 */
import type { Services } from '../../../core/services.ts';
import { DomainError } from '../../../domain/errors.ts';
import type { PollWithOptions } from '../../../domain/polls/polls.ts';
import type { Actor } from '../../../domain/residents/roles.ts';
import { closeAndAnnounce } from '../../polls/lifecycle.ts';

/**
 * Closes a poll early, as /closepoll and the chat's close button do: the domain checks
 * poll.manage against the poll's community, stores the result and audits it; the result and
 * its chart go to the community's groups through the outbox.
 */
export async function closePollEarly(services: Services, actor: Actor, pollId: string): Promise<PollWithOptions> {
  const closed = await closeAndAnnounce(services, pollId, { actor, via: 'console' });
  if (!closed) throw new DomainError('polls.not_open_now');
  return closed;
}
