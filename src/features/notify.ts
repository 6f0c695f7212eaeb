/**
 * Private notices to a person outside a conversation: a proposal's author told of a decision,
 * the committee alerted to a low rating, a quarterly reminder, a form that ran out of time.
 * They all go one way: through the outbox under a key the caller gives (so a retried job or a
 * redelivered event never sends twice, and a crash loses nothing), to the person's private
 * chat on the platforms they use, in one language chosen one way — the person's (saved, else
 * what their client reports), else the community's, else the deployment's.
 */
import type { Services } from '../core/services.ts';
import type { Adapter } from '../platform/adapter.ts';
import type { OutMessage } from '../platform/messages.ts';
import { personLocale, type TFn } from '../i18n/i18n.ts';

/** A person as a notice needs them: their language and their accounts. */
export interface Recipient {
  id: string;
  locale: string | null;
  clientLanguage?: string | null;
  erasedAt?: Date | null;
  identities: { platform: string; platformUserId: string }[];
}

/** One notice. */
export interface PersonNotice {
  /** Idempotency key of the notice; each account's copy is `<key>:<platform>:<user id>`. */
  key: string;
  /** The community the notice is about: its language is the fallback, and the outbox row names it. */
  communityId?: string | null;
  refType?: string;
  refId?: string;
  /** The message in the person's language; `adapter` is the platform's (for its deep links). */
  message(t: TFn, adapter: Adapter): OutMessage;
  /** 'every' platform the person uses (default), or only the 'first' one running here. */
  reach?: 'every' | 'first';
  /** Only this platform (a form's expiry is told where the form was). */
  platform?: string;
}

/**
 * Enqueues a private notice to a person (by id, or as already loaded with their identities).
 * Returns how many copies were enqueued now: 0 when the person erased themselves, has no
 * account on a running platform, or was already sent this notice.
 */
export async function notifyPerson(services: Services, who: string | Recipient, notice: PersonNotice): Promise<number> {
  const { db, outbox, i18n, config } = services;
  const person: Recipient | null = typeof who === 'string' ? await db.person.findUnique({ where: { id: who }, include: { identities: true } }) : who;
  if (!person || person.erasedAt) return 0;
  const reachable = person.identities.flatMap((identity) => {
    if (notice.platform && identity.platform !== notice.platform) return [];
    const adapter = services.adapterFor(identity.platform);
    return adapter ? [{ identity, adapter }] : [];
  });
  const targets = notice.reach === 'first' ? reachable.slice(0, 1) : reachable;
  if (!targets.length) return 0;

  const community = !person.locale && !person.clientLanguage && notice.communityId ? await db.community.findUnique({ where: { id: notice.communityId }, select: { locale: true } }) : null;
  const t = i18n.bind(personLocale({ locale: person.locale, clientLanguage: person.clientLanguage ?? null }, community?.locale ?? config.LINLI_DEFAULT_LOCALE));
  let sent = 0;
  for (const { identity, adapter } of targets) {
    const enqueued = await outbox.enqueue({
      key: `${notice.key}:${identity.platform}:${identity.platformUserId}`,
      platform: identity.platform,
      chatId: adapter.privateChatId(identity.platformUserId),
      communityId: notice.communityId ?? null,
      refType: notice.refType,
      refId: notice.refId,
      message: notice.message(t, adapter),
    });
    if (enqueued) sent++;
  }
  return sent;
}
