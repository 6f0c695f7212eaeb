/**
 * One-time sign-in links. `/console` in a private chat or `linli console link` creates one for a
 * person who may open the console somewhere; it works once, for ten minutes, and only its hash
 * is stored. Asking again retires the earlier link. Links are rate-limited per person, and
 * opening links is throttled per client address, so neither can be used to guess.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { DomainError } from '../../domain/errors.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import type { Actor } from '../../domain/residents/roles.ts';
import type { ConsoleLink, Person } from '../../generated/prisma/client.ts';
import { consoleActor, consoleCommunities } from './access.ts';
import { consoleUrl } from './web/paths.ts';

/** How long a link works. */
export const LINK_TTL_MS = 10 * 60_000;
/** Links a person may ask for per hour. */
export const MAX_LINKS_PER_HOUR = 5;
/** Failed link openings per client address in the window before it is turned away. */
export const MAX_FAILED_OPENINGS = 10;
export const OPENING_WINDOW_MS = 15 * 60_000;

/** A new secret for a link or a cookie: 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored form of a secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(`linli-console:${secret}`).digest('hex');
}

/** The stored form of a client address (counted, never shown). */
export function hashSource(address: string): string {
  return createHash('sha256').update(`linli-console-source:${address}`).digest('hex').slice(0, 32);
}

/** A token as it may appear in a link; anything else is refused before the database is asked. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Creates a sign-in link for the actor. Refused (a localized reason) to anyone who may open no
 * community's console, and after too many links in an hour. Returns the URL — the only time the
 * token exists in clear.
 */
export async function createSignInLink(
  db: Db,
  config: Pick<Config, 'LINLI_PUBLIC_URL' | 'PORT'>,
  actor: Actor,
  via: string,
  now: Date,
): Promise<{ url: string; expiresAt: Date }> {
  if (!(await consoleCommunities(db, actor)).length) throw new DomainError('webconsole.link.refused');
  const hourAgo = new Date(now.getTime() - 60 * 60_000);
  const recent = await db.consoleLink.count({ where: { personId: actor.personId, createdAt: { gte: hourAgo } } });
  if (recent >= MAX_LINKS_PER_HOUR) throw new DomainError('webconsole.link.too_many', { n: MAX_LINKS_PER_HOUR });
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + LINK_TTL_MS);
  await db.$transaction(async (tx) => {
    await tx.consoleLink.updateMany({ where: { personId: actor.personId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    await tx.consoleLink.create({ data: { tokenHash: hashSecret(token), personId: actor.personId, via, createdAt: now, expiresAt } });
    await recordAudit(tx, { actorId: actor.personId, via, action: 'console.link', targetType: 'person', targetId: actor.personId, details: { expiresAt: expiresAt.toISOString() } });
  });
  return { url: consoleUrl(config, `/signin/${token}`), expiresAt };
}

/** A link that may be used now, with its person. */
export interface OpenLink {
  link: ConsoleLink;
  person: Person;
}

/**
 * Checks a link from the address bar without using it up: unknown, used, expired, a person who
 * was erased — each a localized reason. Failures count against the client address.
 */
export async function openLink(db: Db, token: string, source: string, now: Date): Promise<OpenLink> {
  const since = new Date(now.getTime() - OPENING_WINDOW_MS);
  const failed = await db.consoleSignInAttempt.count({ where: { source, success: false, at: { gte: since } } });
  if (failed >= MAX_FAILED_OPENINGS) throw new DomainError('webconsole.link.too_many_attempts', { minutes: OPENING_WINDOW_MS / 60_000 });
  const refuse = async (key: string, params?: Record<string, unknown>): Promise<never> => {
    await db.consoleSignInAttempt.create({ data: { source, success: false, at: now } });
    throw new DomainError(key, params);
  };
  const link = TOKEN.test(token) ? await db.consoleLink.findUnique({ where: { tokenHash: hashSecret(token) } }) : null;
  if (!link) return refuse('webconsole.link.unknown');
  if (link.usedAt) return refuse('webconsole.link.used');
  if (link.expiresAt <= now) {
    // A link cut short by a newer one was replaced, not timed out: say which, with the real lifetime.
    if (link.expiresAt.getTime() < link.createdAt.getTime() + LINK_TTL_MS) return refuse('webconsole.link.replaced');
    return refuse('webconsole.link.expired', { linkMinutes: LINK_TTL_MS / 60_000 });
  }
  const person = await db.person.findUnique({ where: { id: link.personId } });
  if (!person || person.erasedAt) return refuse('webconsole.link.unknown');
  return { link, person };
}

/** A started session: the cookie's secret (only here in clear) and the row. */
export interface StartedSession {
  secret: string;
  sessionId: string;
  person: Person;
}

/**
 * Uses a link: checks it again, checks the person may still open the console (roles can be
 * taken away in ten minutes), and starts the session in the same transaction that marks the
 * link used — of two tabs submitting the same link, one signs in and the other is told the
 * link was used. The sign-in is audited.
 */
export async function useLink(db: Db, config: Pick<Config, 'LINLI_ADMINS'>, token: string, source: string, now: Date): Promise<StartedSession> {
  const { link, person } = await openLink(db, token, source, now);
  const actor = await consoleActor(db, config, person);
  if (!(await consoleCommunities(db, actor)).length) throw new DomainError('webconsole.link.refused');
  const secret = newSecret();
  const sessionId = await db.$transaction(async (tx) => {
    const claimed = await tx.consoleLink.updateMany({ where: { id: link.id, usedAt: null }, data: { usedAt: now } });
    if (!claimed.count) return null;
    const session = await tx.consoleSession.create({
      data: { tokenHash: hashSecret(secret), personId: person.id, csrfToken: newSecret(), linkId: link.id, createdAt: now, lastSeenAt: now },
    });
    await tx.consoleSignInAttempt.create({ data: { source, success: true, at: now } });
    await recordAudit(tx, { actorId: person.id, via: 'console', action: 'console.signin', targetType: 'console_session', targetId: session.id, details: { link: link.via } });
    return session.id;
  });
  if (!sessionId) throw new DomainError('webconsole.link.used');
  return { secret, sessionId, person };
}
