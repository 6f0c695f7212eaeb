/**
 * Communities (社区) and the chat groups bound to them.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { Prisma, type ChatGroup, type Community } from '../../generated/prisma/client.ts';
import { recordAudit } from './audit.ts';
import { can, canAnywhere, requirePermission } from './permissions.ts';
import type { Actor } from './roles.ts';

/** A slug is what people type in `/bind <slug>`: short, ASCII, unambiguous. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;

/** Data for a new community. */
export interface NewCommunity {
  slug: string;
  name: string;
  street?: string;
  district?: string;
}

/** Creates a community (CLI and demo). Refuses a malformed or taken slug. */
export async function createCommunity(db: Db, input: NewCommunity, audit: { actorId: string | null; via: string }, now = new Date()): Promise<Community> {
  const slug = input.slug.trim().toLowerCase();
  if (!SLUG_PATTERN.test(slug)) throw new DomainError('errors.bad_slug', { slug });
  const name = input.name.trim();
  if (!name || name.length > 60) throw new DomainError('errors.bad_community_name');
  if (await db.community.findUnique({ where: { slug } })) throw new DomainError('errors.slug_taken', { slug });
  return db.$transaction(async (tx) => {
    const community = await tx.community.create({
      data: { slug, name, street: input.street?.trim() || null, district: input.district?.trim() || null, createdAt: now },
    });
    await recordAudit(tx, { ...audit, action: 'community.create', communityId: community.id, targetType: 'community', targetId: community.id, details: { slug, name } });
    return community;
  });
}

/** Finds a community by slug or throws a localized "no such community". */
export async function communityBySlug(db: Db, slug: string): Promise<Community> {
  const community = await db.community.findUnique({ where: { slug: slug.trim().toLowerCase() } });
  if (!community) throw new DomainError('errors.unknown_community', { slug });
  return community;
}

/** Records a group chat the first time Linli sees it and keeps its title current. */
export async function ensureGroup(db: Db, chat: { platform: string; chatId: string; title?: string }): Promise<ChatGroup> {
  // Most group events come from known, unchanged groups: read first, write only when needed.
  // Plain SQL: this runs for every group event and costs a third of the model query.
  const [known] = await db.$queryRaw<ChatGroup[]>`SELECT * FROM "ChatGroup" WHERE "platform" = ${chat.platform} AND "chatId" = ${chat.chatId}`;
  if (known && known.active && (!chat.title || chat.title === known.title)) return known;
  return db.chatGroup.upsert({
    where: { platform_chatId: { platform: chat.platform, chatId: chat.chatId } },
    create: { platform: chat.platform, chatId: chat.chatId, title: chat.title ?? null },
    update: chat.title ? { title: chat.title, active: true } : { active: true },
  });
}

/** The community's columns, prefixed so they do not collide with the group's in one row. */
const COMMUNITY_COLUMNS = Prisma.raw(
  Object.values(Prisma.CommunityScalarFieldEnum)
    .map((f) => `c."${f}" AS "c:${f}"`)
    .join(', '),
);

/**
 * {@link ensureGroup} and the group's community, in ONE plain query for a known, unchanged group
 * (every group event needs both; two queries cost twice the Prisma overhead). Anything else —
 * a new group, a new title, a group marked inactive — takes the ordinary way.
 */
export async function groupWithCommunity(db: Db, chat: { platform: string; chatId: string; title?: string }): Promise<{ group: ChatGroup; community: Community | null }> {
  const [row] = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT g.*, ${COMMUNITY_COLUMNS} FROM "ChatGroup" g LEFT JOIN "Community" c ON c."id" = g."communityId"
    WHERE g."platform" = ${chat.platform} AND g."chatId" = ${chat.chatId}`;
  if (row) {
    const group: Record<string, unknown> = {};
    const community: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) {
      if (k.startsWith('c:')) community[k.slice(2)] = v;
      else group[k] = v;
    }
    const known = group as unknown as ChatGroup;
    if (known.active && (!chat.title || chat.title === known.title)) {
      return { group: known, community: community.id != null ? (community as unknown as Community) : null };
    }
  }
  const group = await ensureGroup(db, chat);
  return { group, community: group.communityId ? await communityById(db, group.communityId) : null };
}

/** Longest piece of what someone typed that a refusal in a group may quote back. */
export const QUOTE_MAX = 20;

/**
 * A short, single-line fragment of user text for a refusal that a group will see: control and
 * formatting characters removed, cut to QUOTE_MAX characters with an ellipsis. The locale puts
 * it in 「…」, so the bot never repeats a stranger's message to a group.
 */
export function quoteFragment(text: string): string {
  const clean = [...text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ').replace(/\s+/g, ' ').trim()];
  return clean.length <= QUOTE_MAX ? clean.join('') : `${clean.slice(0, QUOTE_MAX - 1).join('')}…`;
}

/**
 * Binds a group to a community. Allowed for admins and the community's committee members;
 * rebinding a group that belongs to another community needs that community's permission too.
 *
 * The permission comes before any lookup: someone who may bind nowhere gets the same refusal
 * whatever they typed, and a committee member hears the same answer for a slug that does not
 * exist and for one of a community that is not theirs — /bind is no oracle of community codes.
 */
export async function bindGroup(db: Db, actor: Actor, via: string, group: ChatGroup, slug: string, now = new Date()): Promise<Community> {
  if (!canAnywhere(actor, 'community.bind')) throw new DomainError('errors.forbidden');
  if (!slug.trim()) throw new DomainError('residents.bind_usage');
  const found = SLUG_PATTERN.test(slug.trim().toLowerCase()) ? await db.community.findUnique({ where: { slug: slug.trim().toLowerCase() } }) : null;
  if (!found || !can(actor, 'community.bind', found.id)) {
    throw new DomainError(actor.isAdmin ? 'residents.bind_unknown' : 'residents.bind_not_yours', { slug: quoteFragment(slug) });
  }
  const community = found;
  if (group.communityId && group.communityId !== community.id) requirePermission(actor, 'community.bind', group.communityId);
  await db.$transaction(async (tx) => {
    await tx.chatGroup.update({
      where: { id: group.id },
      data: { communityId: community.id, boundAt: now, boundById: actor.personId, active: true },
    });
    await recordAudit(tx, {
      actorId: actor.personId,
      via,
      action: 'group.bind',
      communityId: community.id,
      targetType: 'group',
      targetId: group.id,
      details: { platform: group.platform, chatId: group.chatId, title: group.title, previous: group.communityId },
    });
  });
  return community;
}

/** A community by id, with one plain query (it runs for every event; see ensureGroup). */
export async function communityById(db: Db, id: string): Promise<Community | null> {
  const [community] = await db.$queryRaw<Community[]>`SELECT * FROM "Community" WHERE "id" = ${id}`;
  return community ?? null;
}

