/**
 * People and their platform identities: the first time Linli meets a platform account it
 * creates a person for it; administrators named in LINLI_ADMINS are recognised on sight.
 */
import type { AdminRef } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/client.ts';
import { Prisma, type ChatGroup, type Community, type Membership, type Person, type SceneSession } from '../../generated/prisma/client.ts';
import { isRole, type Actor } from './roles.ts';

/** The platform account behind an event. */
export interface PlatformAccount {
  platform: string;
  userId: string;
  displayName: string;
  username?: string;
  /** The app's language, when the platform reports it. */
  languageCode?: string;
}

/** Longest display name we keep; platform names can be arbitrarily long. */
export const MAX_DISPLAY_NAME = 32;

/** Finds or creates the person behind a platform account. */
export async function resolvePerson(db: Db, account: PlatformAccount, admins: AdminRef[]): Promise<Person> {
  return (await resolveActor(db, account, admins)).person;
}

/**
 * Finds or creates the person behind a platform account, with their roles, in one query for
 * the common case (a known person) — this runs for every incoming event.
 */
export async function resolveActor(db: Db, account: PlatformAccount, admins: AdminRef[]): Promise<{ person: Person; actor: Actor }> {
  const { person, actor } = await resolveActorIn(db, account, admins);
  return { person, actor };
}

/** Where an event happened, for {@link resolveActorIn}. */
export interface EventChat {
  platform: string;
  chatId: string;
  kind: 'group' | 'private';
  title?: string;
}

/** The person, their roles, and what the router reads with them about the chat. */
export interface ActorInChat {
  person: Person;
  actor: Actor;
  /**
   * A group event: the known, active group (title unchanged) and its community, read in the
   * same query. Undefined when the group needs {@link groupWithCommunity}'s slower way (a new
   * group, a new title, a group the bot was removed from) or the event is not in a group.
   */
  group?: { group: ChatGroup; community: Community | null };
  /** The person's scene session in this chat as it was read (null: none); undefined when not read. */
  scene?: SceneSession | null;
}

const prefixed = (alias: string, fields: Record<string, string>) =>
  Object.values(fields)
    .map((f) => `${alias}."${f}" AS "${alias}:${f}"`)
    .join(', ');
const GROUP_COLUMNS = Prisma.raw(prefixed('g', Prisma.ChatGroupScalarFieldEnum));
const COMMUNITY_COLUMNS = Prisma.raw(prefixed('c', Prisma.CommunityScalarFieldEnum));
const SCENE_COLUMNS = Prisma.raw(prefixed('s', Prisma.SceneSessionScalarFieldEnum));

/**
 * {@link resolveActor}, and with `chat` also the group and its community (a group event) and the
 * person's scene session there, all in ONE query: every event needs them, and each query costs
 * Prisma's per-query overhead. A new person is created as in resolveActor (then no session).
 */
export async function resolveActorIn(db: Db, account: PlatformAccount, admins: AdminRef[], chat?: EventChat): Promise<ActorInChat> {
  const isAdmin = admins.some((a) => a.platform === account.platform && a.userId === account.userId);
  const existing = await findPersonWithRoles(db, account, chat);
  if (existing?.person) {
    const { memberships, person, group, scene } = existing;
    const language = account.languageCode && account.languageCode !== person.clientLanguage ? account.languageCode : undefined;
    if ((isAdmin && !person.isAdmin) || language) {
      // A person's first event (or a new app language): one plain statement, no re-read — the
      // row is already in hand. This runs once per person, e.g. for everyone in a first big vote.
      const updated: Person = { ...person, isAdmin: isAdmin || person.isAdmin, clientLanguage: language ?? person.clientLanguage };
      await db.$executeRaw`UPDATE "Person" SET "isAdmin" = ${updated.isAdmin}, "clientLanguage" = ${updated.clientLanguage} WHERE "id" = ${person.id}`;
      return { person: updated, actor: toActor(updated, memberships), group, scene };
    }
    return { person, actor: toActor(person, memberships), group, scene };
  }
  const person = await createPerson(db, account, isAdmin);
  return { person, actor: toActor(person, []), group: existing?.group, scene: chat ? null : undefined };
}

/** A membership as the actor needs it. */
type RoleRow = Pick<Membership, 'communityId' | 'role' | 'householdId'>;

/** Splits a row's `alias:field` columns off into their own object. */
function columnsOf(row: Record<string, unknown>, alias: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const prefix = `${alias}:`;
  for (const [k, v] of Object.entries(row)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/**
 * The person behind an account with their roles, in ONE query. This runs for every incoming
 * event: Prisma's nested include takes three queries and about seven times as long (measured
 * 450 µs against 63 µs), which capped votes per second. Plain SQL with quoted identifiers, valid
 * on SQLite and PostgreSQL alike. With `chat`, the same row carries the group (and community)
 * and the person's scene session there; it starts from a one-row table so that a group row
 * comes back even for a person not yet known.
 */
async function findPersonWithRoles(
  db: Db,
  account: PlatformAccount,
  chat?: EventChat,
): Promise<{ person: Person | null; memberships: RoleRow[]; group?: ActorInChat['group']; scene?: SceneSession | null } | null> {
  type Row = Person & { mCommunityId: string | null; mRole: string | null; mHouseholdId: string | null } & Record<string, unknown>;
  if (!chat) {
    const rows = await db.$queryRaw<Row[]>`
      SELECT p.*, m."communityId" AS "mCommunityId", m."role" AS "mRole", m."householdId" AS "mHouseholdId"
      FROM "Identity" i
      JOIN "Person" p ON p."id" = i."personId"
      LEFT JOIN "Membership" m ON m."personId" = p."id"
      WHERE i."platform" = ${account.platform} AND i."platformUserId" = ${account.userId}`;
    if (!rows.length) return null;
    return { person: personOf(rows[0]), memberships: rolesOf(rows) };
  }
  const inGroup = chat.kind === 'group';
  const rows = await db.$queryRaw<Row[]>`
    SELECT p.*, m."communityId" AS "mCommunityId", m."role" AS "mRole", m."householdId" AS "mHouseholdId", ${SCENE_COLUMNS}
      ${inGroup ? Prisma.sql`, ${GROUP_COLUMNS}, ${COMMUNITY_COLUMNS}` : Prisma.empty}
    FROM (SELECT 1 AS "one") one
    LEFT JOIN "Identity" i ON i."platform" = ${account.platform} AND i."platformUserId" = ${account.userId}
    LEFT JOIN "Person" p ON p."id" = i."personId"
    LEFT JOIN "Membership" m ON m."personId" = p."id"
    LEFT JOIN "SceneSession" s ON s."personId" = p."id" AND s."platform" = ${chat.platform} AND s."chatId" = ${chat.chatId}
    ${inGroup ? Prisma.sql`LEFT JOIN "ChatGroup" g ON g."platform" = ${chat.platform} AND g."chatId" = ${chat.chatId} LEFT JOIN "Community" c ON c."id" = g."communityId"` : Prisma.empty}`;
  const first = rows[0];
  let group: ActorInChat['group'];
  if (inGroup) {
    const g = columnsOf(first, 'g') as unknown as ChatGroup;
    // Only a known, active group with the same title is taken as read (see groupWithCommunity).
    if (g.id != null && g.active && (!chat.title || chat.title === g.title)) {
      const c = columnsOf(first, 'c');
      group = { group: g, community: c.id != null ? (c as unknown as Community) : null };
    }
  }
  if (first.id == null) return { person: null, memberships: [], group };
  const s = columnsOf(first, 's');
  return { person: personOf(first), memberships: rolesOf(rows), group, scene: s.id != null ? (s as unknown as SceneSession) : null };
}

const JOINED = /^(mCommunityId|mRole|mHouseholdId|[gcs]:.*)$/;

function personOf(row: Record<string, unknown>): Person {
  const person: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!JOINED.test(k)) person[k] = v;
  return person as unknown as Person;
}

function rolesOf(rows: { mCommunityId: string | null; mRole: string | null; mHouseholdId: string | null }[]): RoleRow[] {
  return rows
    .filter((r) => r.mCommunityId !== null && r.mRole !== null)
    .map((r) => ({ communityId: r.mCommunityId!, role: r.mRole!, householdId: r.mHouseholdId }));
}

async function createPerson(db: Db, account: PlatformAccount, isAdmin: boolean): Promise<Person> {
  try {
    return await db.person.create({
      data: {
        displayName: cleanDisplayName(account.displayName) || account.username || account.userId,
        isAdmin,
        clientLanguage: account.languageCode ?? null,
        identities: { create: { platform: account.platform, platformUserId: account.userId, username: account.username } },
      },
    });
  } catch (err) {
    // Two first messages from the same new account raced; the other one created the person.
    if (!isUniqueViolation(err)) throw err;
    const again = await db.identity.findUniqueOrThrow({
      where: { platform_platformUserId: { platform: account.platform, platformUserId: account.userId } },
      include: { person: true },
    });
    return again.person;
  }
}

/** Trims control characters and length from a name a platform or a person supplied. */
export function cleanDisplayName(name: string): string {
  return [...name.replace(/[\p{Cc}\p{Cf}]/gu, '').trim()].slice(0, MAX_DISPLAY_NAME).join('');
}

/** Loads the roles of a person into an Actor for permission checks. */
export async function loadActor(db: Db, person: Pick<Person, 'id' | 'isAdmin'>): Promise<Actor> {
  return toActor(person, await db.membership.findMany({ where: { personId: person.id } }));
}

function toActor(person: Pick<Person, 'id' | 'isAdmin'>, memberships: RoleRow[]): Actor {
  return {
    personId: person.id,
    isAdmin: person.isAdmin,
    grants: memberships
      .filter((m) => isRole(m.role))
      .map((m) => ({ communityId: m.communityId, role: m.role as Actor['grants'][number]['role'], householdId: m.householdId })),
  };
}
