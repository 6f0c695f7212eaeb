/**
 * Printable verification slips: one one-time code per register household, for a building or the
 * whole community. Printing again withdraws the household's earlier unused slip, so a lost or
 * stolen slip stops working the moment a new one is printed. The PDF itself is drawn in
 * src/features/register/slipsPdf.ts; this decides who gets a slip and makes the codes.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Community } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { writeHouseholdCodes } from '../residents/verification.ts';
import { requireBuildingAccess } from './leads.ts';
import { compareUnits } from './units.ts';

/** How long a printed slip works: long enough to reach everyone, short enough to be renewed. */
export const SLIP_VALIDITY_MS = 180 * 86_400_000;
/** Most slips one run prints (a PDF of about 1,000 pages); print a large community by building. */
export const MAX_SLIPS = 6000;

/** What to print. */
export interface SlipRequest {
  communityId: string;
  /** One building; absent: the whole community (committee members only). */
  buildingId?: string | null;
  /** Only households nobody has verified for yet (a reprint for those who lost theirs). */
  onlyUnverified?: boolean;
}

/** One slip to print. */
export interface Slip {
  householdId: string;
  unit: string;
  building: string;
  code: string;
}

/** Slips ready to print. */
export interface SlipBatch {
  community: Community;
  slips: Slip[];
  expiresAt: Date;
  /** Earlier unused slips withdrawn by this printing. */
  revoked: number;
}

/** Makes the codes for a run of slips, in natural unit order, and audits the printing. */
export async function issueSlips(db: Db, actor: Actor, via: string, req: SlipRequest, now: Date): Promise<SlipBatch> {
  let buildingName: string | null = null;
  if (req.buildingId) {
    const building = await requireBuildingAccess(db, actor, 'register.building', req.buildingId);
    if (building.communityId !== req.communityId) throw new DomainError('register.unknown_building');
    buildingName = building.name;
  } else {
    requirePermission(actor, 'register.view', req.communityId);
  }
  const community = await db.community.findUniqueOrThrow({ where: { id: req.communityId } });
  const rows = await db.household.findMany({
    where: { communityId: req.communityId, active: true, inRegister: true, ...(req.buildingId ? { buildingId: req.buildingId } : {}) },
    select: { id: true, unit: true, building: { select: { name: true } }, memberships: req.onlyUnverified ? { where: { role: 'verified' }, select: { id: true }, take: 1 } : undefined },
  });
  const households = rows.filter((h) => !req.onlyUnverified || !h.memberships?.length).sort((a, b) => compareUnits(a.unit, b.unit));
  if (!households.length) throw new DomainError(req.onlyUnverified ? 'register.nothing_to_print' : 'register.empty');
  if (households.length > MAX_SLIPS) throw new DomainError('register.too_many_slips', { max: MAX_SLIPS, count: households.length });
  const expiresAt = new Date(now.getTime() + SLIP_VALIDITY_MS);
  const { codes, revoked } = await db.$transaction(
    async (tx) => {
      const written = await writeHouseholdCodes(tx, actor, via, { communityId: req.communityId, households, purpose: 'slip', expiresAt }, now);
      await recordAudit(tx, {
        actorId: actor.personId,
        via,
        action: 'register.slips',
        communityId: req.communityId,
        targetType: req.buildingId ? 'building' : 'community',
        targetId: req.buildingId ?? req.communityId,
        details: { building: buildingName, count: households.length, onlyUnverified: !!req.onlyUnverified, revoked: written.revoked },
      });
      return written;
    },
    { timeout: 60_000, maxWait: 60_000 },
  );
  return {
    community,
    slips: households.map((h) => ({ householdId: h.id, unit: h.unit, building: h.building?.name ?? '', code: codes.get(h.id)! })),
    expiresAt,
    revoked,
  };
}
