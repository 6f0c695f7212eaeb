/**
 * `linli console link --person <id>` prints a one-time sign-in link to the web console for a
 * committee member or staff (the same link /console sends in chat); `linli console revoke
 * --person <id>` ends every session of a person (a lost phone, a clerk who left). A person is
 * named by id or by platform account (telegram:<user id>).
 */
import type { Db } from '../../db/client.ts';
import type { Person } from '../../generated/prisma/client.ts';
import { consoleActor } from '../../features/console/access.ts';
import { createSignInLink } from '../../features/console/links.ts';
import { revokeSessions } from '../../features/console/sessions.ts';
import { requireOption, UsageError, type CliCommand } from '../command.ts';

async function personOf(db: Db, ref: string): Promise<Person> {
  const account = /^(telegram|wechat|console):(.+)$/.exec(ref);
  const person = account
    ? (await db.identity.findUnique({ where: { platform_platformUserId: { platform: account[1], platformUserId: account[2] } }, include: { person: true } }))?.person
    : await db.person.findUnique({ where: { id: ref } });
  if (!person || person.erasedAt) throw new UsageError(`no person ${ref} (give a person id or telegram:<user id>)`);
  return person;
}

export const consoleLinkCommand: CliCommand = {
  name: 'console link',
  usage: 'linli console link --person <id or telegram:<user id>>',
  summary: 'Print a one-time web console sign-in link (valid 10 minutes) for a committee member or staff',
  options: { person: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    const person = await personOf(db, requireOption(values, 'person'));
    const actor = await consoleActor(db, env.config, person);
    // A refusal (a resident, too many links) is a DomainError the CLI prints in English.
    const link = await createSignInLink(db, env.config, actor, 'cli', new Date());
    env.out(link.url);
    env.out(`valid until ${link.expiresAt.toISOString()}, once, for ${person.displayName}`);
    return 0;
  },
};

export const consoleRevokeCommand: CliCommand = {
  name: 'console revoke',
  usage: 'linli console revoke --person <id or telegram:<user id>>',
  summary: 'Sign a person out of the web console everywhere (and void their unused link)',
  options: { person: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    const person = await personOf(db, requireOption(values, 'person'));
    const n = await revokeSessions(db, person.id, { actorId: null, via: 'cli' }, new Date());
    env.out(`${n} session(s) of ${person.displayName} ended`);
    return 0;
  },
};

export const CONSOLE_COMMANDS: CliCommand[] = [consoleLinkCommand, consoleRevokeCommand];
