/**
 * The one private reminder of a poll that closes within 24 hours, to each eligible person who
 * has not voted, with the poll's vote buttons and an opt-out. Sent with notifyPerson, so it goes
 * through the outbox once per person and account, in the one language rule every notice uses.
 */
import type { Services } from '../../core/services.ts';
import type { PollWithOptions } from '../../domain/polls/polls.ts';
import { markReminded, nonVoters, reminderCommunity } from '../../domain/polls/reminders.ts';
import { notifyPerson } from '../notify.ts';
import { remindersAction } from './actions.ts';
import { cardKey } from './cards.ts';
import { pollCard } from './render.ts';

/** Sends the reminders of a poll; how many were queued. */
export async function remind(services: Services, poll: PollWithOptions): Promise<number> {
  const community = await reminderCommunity(services.db, poll.communityId);
  let sent = 0;
  for (const person of await nonVoters(services.db, poll)) {
    sent += await notifyPerson(
      services,
      { id: person.personId, locale: person.locale, identities: person.identities },
      {
        key: `${cardKey(poll.id)}:remind:${person.personId}`,
        communityId: poll.communityId,
        refType: 'poll-reminder',
        refId: poll.id,
        message: (t) => ({
          text: t('polls.reminder', { number: poll.number, question: poll.question, when: poll.closesAt, community: community?.name ?? '' }),
          buttons: [...(pollCard(t, poll, null).buttons ?? []), [{ label: t('polls.reminders_off_button'), action: remindersAction.pack({ to: 'off' }) }]],
        }),
      },
    );
  }
  await markReminded(services.db, poll.id, services.clock());
  return sent;
}
