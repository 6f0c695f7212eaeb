/**
 * The one private reminder of a poll that closes within 24 hours, to each eligible person who
 * has not voted, with the poll's vote buttons and an opt-out. Sent through the outbox, once per
 * person and platform (outbox keys).
 */
import type { Services } from '../../core/services.ts';
import type { PollWithOptions } from '../../domain/polls/polls.ts';
import { markReminded, nonVoters, reminderCommunity } from '../../domain/polls/reminders.ts';
import type { Platform } from '../../platform/messages.ts';
import { remindersAction } from './actions.ts';
import { cardKey } from './cards.ts';
import { pollCard } from './render.ts';

/** Sends the reminders of a poll; how many were queued. */
export async function remind(services: Services, poll: PollWithOptions): Promise<number> {
  const { db, outbox, i18n, adapters } = services;
  const community = await reminderCommunity(db, poll.communityId);
  let sent = 0;
  for (const person of await nonVoters(db, poll)) {
    const t = i18n.bind(person.locale ?? community?.locale ?? services.config.LINLI_DEFAULT_LOCALE);
    const card = pollCard(t, poll, null);
    for (const identity of person.identities) {
      const adapter = adapters.get(identity.platform as Platform);
      const chatId = adapter ? adapter.privateChatId(identity.platformUserId) : identity.platformUserId;
      const ok = await outbox.enqueue({
        key: `${cardKey(poll.id)}:remind:${person.personId}:${identity.platform}`,
        platform: identity.platform,
        chatId,
        communityId: poll.communityId,
        refType: 'poll-reminder',
        refId: poll.id,
        message: {
          text: t('polls.reminder', { number: poll.number, question: poll.question, when: poll.closesAt, community: community?.name ?? '' }),
          buttons: [...(card.buttons ?? []), [{ label: t('polls.reminders_off_button'), action: remindersAction.pack({ to: 'off' }) }]],
        },
      });
      if (ok) sent++;
    }
  }
  await markReminded(db, poll.id, services.clock());
  return sent;
}
