/**
 * The features' staff exports (services.exporters) are written for /export and take a chat
 * context, of which they read the services, the actor, the language and `t`. The console hands
 * them this context: the signed-in person, and nothing that could answer in a chat — a call to
 * any chat method is a bug and fails loudly instead of sending something somewhere.
 */
import type { Ctx } from '../../../core/context.ts';
import type { Services } from '../../../core/services.ts';
import type { Actor } from '../../../domain/residents/roles.ts';
import type { Person } from '../../../generated/prisma/client.ts';
import type { Locale } from '../../../i18n/i18n.ts';

const noChat = (): never => {
  throw new Error('an export asked the console for a chat; exports must only read');
};

/** A context for running an exporter on behalf of a console visitor. */
export function exportCtx(services: Services, person: Person, actor: Actor, locale: Locale): Ctx {
  const chat = { platform: 'console' as const, chatId: `web:${person.id}`, kind: 'private' as const };
  const ctx: Ctx = {
    services,
    incoming: { type: 'text', chat, sender: { platform: 'console', userId: `web:${person.id}`, displayName: person.displayName }, text: '' } as unknown as Ctx['incoming'],
    chat,
    sender: { platform: 'console', userId: `web:${person.id}`, displayName: person.displayName },
    person,
    actor,
    locale,
    t: services.i18n.bind(locale),
    group: null,
    community: null,
    capabilities: {} as Ctx['capabilities'],
    via: 'console',
    actionAnswered: false,
    reply: noChat,
    toast: noChat,
    toastInBackground: noChat,
    replyPrivately: noChat,
    downloadFile: noChat,
    deepLink: () => undefined,
    privateCtx: () => ctx,
    inPrivate: noChat,
    requireCommunity: noChat,
  };
  return ctx;
}
