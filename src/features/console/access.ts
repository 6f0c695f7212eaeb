/**
 * Who may open the console, and where. There is no separate console role: a community shows in
 * the console when the person holds there one of the permissions its pages need, decided by the
 * same `can` the chat uses. A resident holds none of them, so a resident's link is refused; a
 * committee member of one community never gets another's pages.
 */
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { DomainError } from '../../domain/errors.ts';
import { loadActor } from '../../domain/residents/people.ts';
import { can, type Permission } from '../../domain/residents/permissions.ts';
import { communitiesOf, type Actor } from '../../domain/residents/roles.ts';
import type { Community, Person } from '../../generated/prisma/client.ts';

/** The permissions behind the community-wide pages (the dashboard needs one of them). */
export const COMMUNITY_PERMISSIONS: readonly Permission[] = [
  'poll.manage',
  'export',
  'proposal.review',
  'disclosure.publish',
  'rating.report',
  'rating.manage',
  'announcement.create',
  'member.list',
  'audit.read',
];

/**
 * The permissions behind the console's pages (see pages/nav.ts for which page needs which):
 * the community-wide ones, and the register's by building, which a 楼栋长 holds for their own.
 */
export const CONSOLE_PERMISSIONS: readonly Permission[] = [...COMMUNITY_PERMISSIONS, 'register.building'];

/** Whether the actor may open the console of a community. */
export function mayOpen(actor: Actor, communityId: string): boolean {
  return CONSOLE_PERMISSIONS.some((p) => can(actor, p, communityId));
}

/**
 * The actor of a person, as the router builds it for a chat message: their memberships, and
 * admin when the person is one or one of their identities is named in LINLI_ADMINS.
 */
export async function consoleActor(db: Db, config: Pick<Config, 'LINLI_ADMINS'>, person: Pick<Person, 'id' | 'isAdmin'>): Promise<Actor> {
  const actor = await loadActor(db, person);
  if (actor.isAdmin || !config.LINLI_ADMINS.length) return actor;
  const identities = await db.identity.findMany({ where: { personId: person.id }, select: { platform: true, platformUserId: true } });
  const named = identities.some((i) => config.LINLI_ADMINS.some((a) => a.platform === i.platform && a.userId === i.platformUserId));
  return named ? { ...actor, isAdmin: true } : actor;
}

/** The communities the actor may open, by name. */
export async function consoleCommunities(db: Db, actor: Actor): Promise<Community[]> {
  const ids = actor.isAdmin ? undefined : communitiesOf(actor).filter((id) => mayOpen(actor, id));
  if (ids && !ids.length) return [];
  return db.community.findMany({ where: ids ? { id: { in: ids } } : {}, orderBy: { name: 'asc' } });
}

/**
 * The community a console page is about, by its slug — or the same refusal for a community
 * that does not exist and one the person may not open, so the console does not tell strangers
 * which communities exist.
 */
export async function requireConsoleCommunity(db: Db, actor: Actor, slug: string): Promise<Community> {
  const community = /^[a-z0-9-]{1,40}$/.test(slug) ? await db.community.findUnique({ where: { slug } }) : null;
  if (!community || !mayOpen(actor, community.id)) throw new DomainError('webconsole.errors.no_such_community');
  return community;
}
