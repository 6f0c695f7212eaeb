/**
 * The web console (管理后台) for committee members and staff. This file is the wiring:
 * `/console` in a private chat answers with a one-time sign-in link; the pages are a Fastify
 * plugin (`registerConsole`) the app mounts on its HTTP server, or `startConsoleServer` serves
 * alone (tests, and `npm start` until the shared server carries it).
 */
import type { Feature } from '../feature.ts';
import { communitiesOf } from '../../domain/residents/roles.ts';
import { mayOpen } from './access.ts';
import { createSignInLink, LINK_TTL_MS } from './links.ts';

export { registerConsole, type ConsoleOptions } from './web/plugin.ts';
export { startConsoleServer, type ConsoleServer } from './server.ts';
export { createSignInLink } from './links.ts';
export { demoConsoleLink } from './demo.ts';

/** The console feature: the /console command. */
export const consoleFeature: Feature = {
  name: 'console',
  commands: [
    {
      name: 'console',
      description: 'webconsole.command',
      chat: 'private',
      order: 65,
      visible: (ctx) => ctx.chat.kind === 'private' && (ctx.actor.isAdmin || communitiesOf(ctx.actor).some((id) => mayOpen(ctx.actor, id))),
      async run(ctx) {
        const { services } = ctx;
        const { url, expiresAt } = await createSignInLink(services.db, services.config, ctx.actor, ctx.via, services.clock());
        // A button only for a public https address: Telegram refuses buttons to local addresses.
        const button = url.startsWith('https:') ? [[{ label: ctx.t('webconsole.link.open_button'), url }]] : undefined;
        await ctx.reply({ text: ctx.t('webconsole.link.sent', { url, when: expiresAt, minutes: LINK_TTL_MS / 60_000 }), buttons: button });
      },
    },
  ],
};
