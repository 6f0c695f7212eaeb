/**
 * The bodies that meet and what the seeds require of them: the residents' council (居民议事会)
 * at least six times a year and at least once a quarter (seed 000 §(十二), seed 002 三(二)1(3));
 * the residents' (representatives') meeting (居民(代表)会议) at least twice a year (seed 000
 * §(五)1); the joint meeting of the two committees (两委联席会议) and any other meeting without a
 * required frequency. A community changes its bodies' frequency, quorum and membership; a body
 * row is made on first use with the defaults below.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { MeetingBody } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';

/** The bodies Linli knows, in display order. */
export const BODY_KINDS = ['council', 'assembly', 'joint', 'other'] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

/** True for a known body kind. */
export function isBodyKind(value: string): value is BodyKind {
  return (BODY_KINDS as readonly string[]).includes(value);
}

/** The i18n key of a body's name. */
export const bodyLabelKey = (kind: string) => `meetings.body_${kind}`;

/** The seeds' requirements, used until a community sets its own. */
export const BODY_DEFAULTS: Record<BodyKind, { perYear: number; perQuarter: number }> = {
  council: { perYear: 6, perQuarter: 1 },
  assembly: { perYear: 2, perQuarter: 0 },
  joint: { perYear: 0, perQuarter: 0 },
  other: { perYear: 0, perQuarter: 0 },
};

/** Default quorum: strictly more than half of the members signed in. */
export const DEFAULT_QUORUM_SHARE = 0.5;

/** The body of a community, made with the defaults when it was never used. */
export async function bodyFor(db: Db, communityId: string, kind: BodyKind): Promise<MeetingBody> {
  const existing = await db.meetingBody.findUnique({ where: { communityId_kind: { communityId, kind } } });
  if (existing) return existing;
  return db.meetingBody.upsert({
    where: { communityId_kind: { communityId, kind } },
    create: { communityId, kind, ...BODY_DEFAULTS[kind], quorumShare: DEFAULT_QUORUM_SHARE },
    update: {},
  });
}

/** All bodies of a community (made on first look), in display order. */
export async function bodiesOf(db: Db, communityId: string): Promise<MeetingBody[]> {
  const out: MeetingBody[] = [];
  for (const kind of BODY_KINDS) out.push(await bodyFor(db, communityId, kind));
  return out;
}

/** A member of a body as attendance counts them. */
export interface BodyMember {
  personId: string;
  name: string;
}

/**
 * The members of a body. A body lists its members; a council that lists nobody consists of the
 * community's holders of the council role (议事会成员 codes), so a committee that already handed
 * out those codes need not list anyone twice.
 */
export async function membersOf(db: Db, body: Pick<MeetingBody, 'id' | 'communityId' | 'kind'>): Promise<BodyMember[]> {
  const listed = await db.meetingBodyMember.findMany({ where: { bodyId: body.id }, orderBy: { addedAt: 'asc' } });
  const source = listed.length || body.kind !== 'council'
    ? listed.map((m) => m.personId)
    : (await db.membership.findMany({ where: { communityId: body.communityId, role: 'council' }, orderBy: { grantedAt: 'asc' }, select: { personId: true } })).map((m) => m.personId);
  // A person may hold the council role through two households: one member still.
  const ids = [...new Set(source)];
  if (!ids.length) return [];
  const people = await db.person.findMany({ where: { id: { in: ids }, erasedAt: null }, select: { id: true, displayName: true } });
  const byId = new Map(people.map((p) => [p.id, p.displayName]));
  return ids.filter((id) => byId.has(id)).map((id) => ({ personId: id, name: byId.get(id) ?? '' }));
}

/** Members needed for a quorum: strictly more than `share` of them. */
export function quorumNeeded(members: number, share: number): number {
  return Math.floor(members * share) + 1;
}

/** What a committee changes about a body. */
export interface BodyRules {
  perYear?: number;
  perQuarter?: number;
  quorumShare?: number;
}

/** Changes a body's frequency or quorum (committee; audited). */
export async function setBodyRules(db: Db, actor: Actor, via: string, communityId: string, kind: BodyKind, rules: BodyRules): Promise<MeetingBody> {
  requirePermission(actor, 'meeting.manage', communityId);
  for (const n of [rules.perYear, rules.perQuarter]) if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > 52)) throw new DomainError('meetings.bad_frequency');
  if (rules.quorumShare !== undefined && !(rules.quorumShare >= 0 && rules.quorumShare < 1)) throw new DomainError('meetings.bad_quorum');
  const body = await bodyFor(db, communityId, kind);
  const updated = await db.meetingBody.update({ where: { id: body.id }, data: rules });
  await recordAudit(db, { actorId: via === 'cli' ? null : actor.personId, via, action: 'meeting.body', communityId, targetType: 'meetingBody', targetId: body.id, details: { kind, ...rules } });
  return updated;
}

/** Adds or removes a member of a body (committee; audited). The person must be known to Linli. */
export async function setBodyMember(db: Db, actor: Actor, via: string, communityId: string, kind: BodyKind, personId: string, member: boolean): Promise<MeetingBody> {
  requirePermission(actor, 'meeting.manage', communityId);
  const person = await db.person.findUnique({ where: { id: personId } });
  if (!person || person.erasedAt) throw new DomainError('meetings.unknown_person');
  const body = await bodyFor(db, communityId, kind);
  if (member) await db.meetingBodyMember.upsert({ where: { bodyId_personId: { bodyId: body.id, personId } }, create: { bodyId: body.id, personId }, update: {} });
  else await db.meetingBodyMember.deleteMany({ where: { bodyId: body.id, personId } });
  await recordAudit(db, { actorId: via === 'cli' ? null : actor.personId, via, action: member ? 'meeting.member_add' : 'meeting.member_remove', communityId, targetType: 'meetingBody', targetId: body.id, details: { kind, personId } });
  return body;
}

/** People offered per page when a committee member picks a body's new member. */
export const CANDIDATES_PER_PAGE = 20;

/** Roles whose holders may be picked as a body's members: verified residents and council holders. */
const CANDIDATE_ROLES = ['verified', 'council'];

/** A body by id, for the committee of its community. */
export async function bodyById(db: Db, actor: Actor, bodyId: string): Promise<MeetingBody> {
  const body = await db.meetingBody.findUnique({ where: { id: bodyId } });
  if (!body) throw new DomainError('meetings.body_not_found');
  requirePermission(actor, 'meeting.manage', body.communityId);
  return body;
}

/**
 * One page of the people a committee member may add to a body: the community's verified
 * residents and council holders who are not members yet, by name.
 */
export async function bodyCandidates(db: Db, actor: Actor, bodyId: string, page: number): Promise<{ body: MeetingBody; people: BodyMember[]; page: number; pages: number }> {
  const body = await bodyById(db, actor, bodyId);
  const members = new Set((await membersOf(db, body)).map((m) => m.personId));
  const held = await db.membership.findMany({ where: { communityId: body.communityId, role: { in: CANDIDATE_ROLES }, person: { erasedAt: null } }, select: { personId: true, person: { select: { displayName: true } } } });
  const byId = new Map<string, string>();
  for (const h of held) if (!members.has(h.personId)) byId.set(h.personId, h.person.displayName);
  const all = [...byId].map(([personId, name]) => ({ personId, name })).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.personId.localeCompare(b.personId));
  const pages = Math.max(1, Math.ceil(all.length / CANDIDATES_PER_PAGE));
  const at = Math.min(Math.max(0, Math.trunc(page) || 0), pages - 1);
  return { body, people: all.slice(at * CANDIDATES_PER_PAGE, (at + 1) * CANDIDATES_PER_PAGE), page: at, pages };
}

/**
 * Adds or removes a member picked in chat (committee; audited). A council that lists nobody
 * consists of its role holders: its list is written out first, so removing one keeps the others.
 * Only the community's verified residents and council holders can be added.
 */
export async function changeBodyMember(db: Db, actor: Actor, via: string, bodyId: string, personId: string, member: boolean): Promise<{ body: MeetingBody; changed: boolean }> {
  const body = await bodyById(db, actor, bodyId);
  const current = await membersOf(db, body);
  const isMember = current.some((m) => m.personId === personId);
  if (isMember === member) return { body, changed: false };
  if (member) {
    const holds = await db.membership.count({ where: { communityId: body.communityId, personId, role: { in: CANDIDATE_ROLES }, person: { erasedAt: null } } });
    if (!holds) throw new DomainError('meetings.member_not_candidate');
  }
  const kind = body.kind as BodyKind;
  if (!(await db.meetingBodyMember.count({ where: { bodyId } }))) {
    for (const m of current) await db.meetingBodyMember.upsert({ where: { bodyId_personId: { bodyId, personId: m.personId } }, create: { bodyId, personId: m.personId }, update: {} });
  }
  await setBodyMember(db, actor, via, body.communityId, kind, personId, member);
  return { body, changed: true };
}
