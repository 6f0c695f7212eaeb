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
  if (!person || person.erasedAt) throw new UsageError('cli.console.no_person', { ref });
  return person;
}

export const consoleLinkCommand: CliCommand = {
  name: 'console link',
  usage: 'linli console link --person <person id>|telegram:<user id>',
  summary: 'cli.summary.console_link',
  options: { person: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    const person = await personOf(db, requireOption(values, 'person'));
    const actor = await consoleActor(db, env.config, person);
    // A refusal (a resident, too many links) is a DomainError the CLI prints in the operator's language.
    const link = await createSignInLink(db, env.config, actor, 'cli', new Date());
    env.print({ url: link.url, expiresAt: link.expiresAt.toISOString(), personId: person.id, name: person.displayName }, link.url);
    env.err(env.t('cli.console.link_valid', { until: link.expiresAt.toISOString(), name: person.displayName }));
    return 0;
  },
};

export const consoleRevokeCommand: CliCommand = {
  name: 'console revoke',
  usage: 'linli console revoke --person <person id>|telegram:<user id>',
  summary: 'cli.summary.console_revoke',
  options: { person: { type: 'string' } },
  async run(env, { values }) {
    const db = await env.db();
    const person = await personOf(db, requireOption(values, 'person'));
    const n = await revokeSessions(db, person.id, { actorId: null, via: 'cli' }, new Date());
    env.print({ personId: person.id, ended: n }, env.t('cli.console.revoked', { count: n, name: person.displayName }));
    return 0;
  },
};

export const CONSOLE_COMMANDS: CliCommand[] = [consoleLinkCommand, consoleRevokeCommand];
