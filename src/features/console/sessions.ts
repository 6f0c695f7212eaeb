/**
 * Browser sessions of the console. The cookie holds a random secret; the database holds its
 * hash, the person, the CSRF form token and when the session was last used. A session ends when
 * its person signs out or an operator revokes it, after a day without use, or a week after it
 * began — whichever comes first. A forged or stale cookie finds nothing and is told so.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../../domain/residents/audit.ts';
import type { ConsoleSession, Person } from '../../generated/prisma/client.ts';
import { hashSecret } from './links.ts';

/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 24 * 3600_000;
/** …and this long after sign-in in any case, so a forgotten tab does not stay signed in forever. */
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
/** lastSeenAt is written at most this often (one write per minute of use, not per click). */
const TOUCH_EVERY_MS = 60_000;

/** A cookie secret as we issue them; anything else is not looked up. */
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** A live session and its person. */
export interface LiveSession {
  session: ConsoleSession;
  person: Person;
}

/** Why there is no session: no cookie, or one that matches nothing live. */
export type NoSession = 'none' | 'ended';

/** The live session of a cookie, or why there is none. Refreshes its last use. */
export async function sessionOf(db: Db, cookie: string | undefined, now: Date): Promise<LiveSession | NoSession> {
  if (!cookie) return 'none';
  if (!SECRET.test(cookie)) return 'ended';
  const session = await db.consoleSession.findUnique({ where: { tokenHash: hashSecret(cookie) } });
  if (!session || !isLive(session, now)) return 'ended';
  const person = await db.person.findUnique({ where: { id: session.personId } });
  if (!person || person.erasedAt) return 'ended';
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    await db.consoleSession.update({ where: { id: session.id }, data: { lastSeenAt: now } });
  }
  return { session, person };
}

/** Not revoked, used within a day, begun within a week. */
export function isLive(session: Pick<ConsoleSession, 'revokedAt' | 'lastSeenAt' | 'createdAt'>, now: Date): boolean {
  if (session.revokedAt) return false;
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_IDLE_MS) return false;
  return now.getTime() - session.createdAt.getTime() < SESSION_MAX_MS;
}

/** Whether a submitted form token is the session's (compared in constant time). */
export function csrfMatches(session: Pick<ConsoleSession, 'csrfToken'>, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Signs a session out (the person's own button). Audited. */
export async function endSession(db: Db, session: Pick<ConsoleSession, 'id' | 'personId'>, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    const ended = await tx.consoleSession.updateMany({ where: { id: session.id, revokedAt: null }, data: { revokedAt: now } });
    if (ended.count) await recordAudit(tx, { actorId: session.personId, via: 'console', action: 'console.signout', targetType: 'console_session', targetId: session.id });
  });
}

/** Revokes every live session of a person (an operator, e.g. a lost phone). Returns how many. */
export async function revokeSessions(db: Db, personId: string, by: { actorId: string | null; via: string }, now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.consoleSession.updateMany({ where: { personId, revokedAt: null }, data: { revokedAt: now } });
    // Expired at the epoch: void whatever clock the link was made with.
    await tx.consoleLink.updateMany({ where: { personId, usedAt: null }, data: { expiresAt: new Date(0) } });
    await recordAudit(tx, { actorId: by.actorId, via: by.via, action: 'console.revoke', targetType: 'person', targetId: personId, details: { sessions: count } });
    return count;
  });
}
