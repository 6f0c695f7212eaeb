/**
 * Rating targets (评议对象) of a community. Committee members add, rename and deactivate them;
 * Linli itself creates the 党群服务中心 and 社区工作站 of every community (so rating works from
 * day one) and one target per completed 民生微实事 project.
 */
import { DomainError } from '../errors.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { isUniqueViolation, type Db } from '../../db/client.ts';
import type { RatingTarget } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';

/** Kinds of target, as stored. */
export const TARGET_KINDS = ['service_centre', 'service_item', 'workstation', 'property', 'municipal', 'project'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Kinds a committee member may add by hand (projects come from completed proposals). */
export const ADDABLE_KINDS: readonly TargetKind[] = ['service_centre', 'service_item', 'workstation', 'property', 'municipal'];

/** The targets every community has. */
export const DEFAULT_TARGETS: readonly TargetKind[] = ['service_centre', 'workstation'];

/** Longest target name, in characters. */
export const MAX_TARGET_NAME = 40;

/** True for a kind Linli knows. */
export function isTargetKind(value: string): value is TargetKind {
  return (TARGET_KINDS as readonly string[]).includes(value);
}

/** How a target is called: its own name, or for an unrenamed default target the kind's name. */
export function targetLabel(t: TFn, target: Pick<RatingTarget, 'kind' | 'name'>): string {
  return target.name ?? t(`ratings.kind.${target.kind}`);
}

/**
 * Creates the community's default targets if they do not exist yet. Idempotent and safe when
 * called concurrently (a unique system key per community). Called lazily on /rate and
 * /ratings, so communities created before this feature existed get them too.
 */
export async function ensureDefaultTargets(db: Db, communityId: string): Promise<void> {
  const existing = await db.ratingTarget.findMany({ where: { communityId, systemKey: { in: [...DEFAULT_TARGETS] } }, select: { systemKey: true } });
  const have = new Set(existing.map((e) => e.systemKey));
  for (const kind of DEFAULT_TARGETS) {
    if (have.has(kind)) continue;
    try {
      await db.ratingTarget.create({ data: { communityId, kind, systemKey: kind } });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
}

/** A completed project becomes a target (idempotent: one per proposal). */
export async function ensureProjectTarget(db: Db, input: { communityId: string; proposalId: string; title: string }): Promise<RatingTarget> {
  const systemKey = `project:${input.proposalId}`;
  const found = await db.ratingTarget.findUnique({ where: { communityId_systemKey: { communityId: input.communityId, systemKey } } });
  if (found) return found;
  const name = cleanTargetName(input.title) || input.proposalId;
  try {
    return await db.ratingTarget.create({
      data: { communityId: input.communityId, kind: 'project', name: [...name].slice(0, MAX_TARGET_NAME).join(''), systemKey, proposalId: input.proposalId },
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return db.ratingTarget.findUniqueOrThrow({ where: { communityId_systemKey: { communityId: input.communityId, systemKey } } });
  }
}

/** The community's targets, active ones first by kind then age. */
export async function listTargets(db: Db, communityId: string, opts: { activeOnly?: boolean } = {}): Promise<RatingTarget[]> {
  const targets = await db.ratingTarget.findMany({
    where: { communityId, ...(opts.activeOnly ? { active: true } : {}) },
    orderBy: { createdAt: 'asc' },
  });
  const order = (t: RatingTarget) => TARGET_KINDS.indexOf(t.kind as TargetKind);
  return targets.sort((a, b) => Number(b.active) - Number(a.active) || order(a) - order(b));
}

/** A target of the community, or a localized refusal (also for a target of another community). */
export async function targetIn(db: Db, communityId: string, targetId: string): Promise<RatingTarget> {
  const target = await db.ratingTarget.findUnique({ where: { id: targetId } });
  if (!target) throw new DomainError('ratings.unknown_target');
  if (target.communityId !== communityId) throw new DomainError('ratings.target_other_community');
  return target;
}

/** Trims and collapses whitespace; control characters go. */
export function cleanTargetName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.normalize('NFC').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
}

function checkedName(raw: string): string {
  const name = cleanTargetName(raw);
  const len = [...name].length;
  if (len < 2) throw new DomainError('ratings.target_name_short');
  if (len > MAX_TARGET_NAME) throw new DomainError('ratings.target_name_long', { max: MAX_TARGET_NAME });
  return name;
}

/** Who acts and how, for the audit log. */
export interface ActingAs {
  actor: Actor;
  via: string;
}

/** Adds a target (committee). */
export async function addTarget(db: Db, by: ActingAs, communityId: string, kind: string, rawName: string): Promise<RatingTarget> {
  requirePermission(by.actor, 'rating.manage', communityId);
  if (!isTargetKind(kind) || !ADDABLE_KINDS.includes(kind)) throw new DomainError('ratings.bad_kind', { kinds: ADDABLE_KINDS.join(', ') });
  const name = checkedName(rawName);
  const clash = await db.ratingTarget.findFirst({ where: { communityId, name, active: true } });
  if (clash) throw new DomainError('ratings.target_exists', { name });
  return db.$transaction(async (tx) => {
    const target = await tx.ratingTarget.create({ data: { communityId, kind, name } });
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: 'rating.target.add', communityId, targetType: 'ratingTarget', targetId: target.id, details: { kind, name } });
    return target;
  });
}

/** Renames a target (committee). */
export async function renameTarget(db: Db, by: ActingAs, communityId: string, targetId: string, rawName: string): Promise<RatingTarget> {
  requirePermission(by.actor, 'rating.manage', communityId);
  const target = await targetIn(db, communityId, targetId);
  const name = checkedName(rawName);
  return db.$transaction(async (tx) => {
    const updated = await tx.ratingTarget.update({ where: { id: target.id }, data: { name } });
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: 'rating.target.rename', communityId, targetType: 'ratingTarget', targetId: target.id, details: { from: target.name, to: name } });
    return updated;
  });
}

/** Deactivates (hides from /rate) or reactivates a target; its ratings stay (committee). */
export async function setTargetActive(db: Db, by: ActingAs, communityId: string, targetId: string, active: boolean): Promise<RatingTarget> {
  requirePermission(by.actor, 'rating.manage', communityId);
  const target = await targetIn(db, communityId, targetId);
  if (target.active === active) return target;
  return db.$transaction(async (tx) => {
    const updated = await tx.ratingTarget.update({ where: { id: target.id }, data: { active } });
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: active ? 'rating.target.activate' : 'rating.target.deactivate', communityId, targetType: 'ratingTarget', targetId: target.id });
    return updated;
  });
}
