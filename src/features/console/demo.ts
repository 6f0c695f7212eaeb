/**
 * The console in the terminal demo: `npm start` with nothing configured runs the demo community
 * (src/features/demo), whose one person is a resident — and a resident's link is refused. So the
 * demo gets a committee clerk of its own (演示工作人员, on the console platform, made once) and
 * start-up prints a sign-in link for them: a newcomer sees the console with the first command.
 */
import type { Services } from '../../core/services.ts';
import { isDomainError } from '../../domain/errors.ts';
import { consoleActor } from './access.ts';
import { createSignInLink, LINK_TTL_MS } from './links.ts';

/** The clerk's console-platform user id. */
export const DEMO_CLERK_USER = 'demo-clerk';

/**
 * A sign-in link for the demo community's clerk, or a line saying why there is none (e.g. too
 * many restarts within the hour). Only for the demo community: it adds a committee member.
 */
export async function demoConsoleLink(services: Services, communityId: string, displayName: string): Promise<{ url: string; linkMinutes: number } | { refused: string }> {
  const { db, config, clock, i18n } = services;
  const identity = await db.identity.findUnique({ where: { platform_platformUserId: { platform: 'console', platformUserId: DEMO_CLERK_USER } }, include: { person: true } });
  const person = identity?.person ?? (await db.person.create({ data: { displayName, identities: { create: { platform: 'console', platformUserId: DEMO_CLERK_USER } } } }));
  await db.membership.upsert({
    where: { personId_communityId_role: { personId: person.id, communityId, role: 'committee' } },
    create: { personId: person.id, communityId, role: 'committee', source: 'demo' },
    update: {},
  });
  try {
    const { url } = await createSignInLink(db, config, await consoleActor(db, config, person), 'cli', clock());
    // The line printed says how long the link lasts: the link's own lifetime, not a number in the text.
    return { url, linkMinutes: LINK_TTL_MS / 60_000 };
  } catch (err) {
    if (!isDomainError(err)) throw err;
    return { refused: i18n.t(config.LINLI_DEFAULT_LOCALE, err.key, err.params) };
  }
}
