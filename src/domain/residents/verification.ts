/**
 * One-time verification codes: the committee hands a household (or a council member) a code;
 * redeeming it verifies the person for that community and unit, or grants the role.
 *
 * Only a hash of each code is stored, codes expire and work once, and redemption attempts are
 * throttled per platform account so guessing gets nowhere.
 */
import { createHash, randomInt } from 'node:crypto';
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Community } from '../../generated/prisma/client.ts';
import { recordAudit } from './audit.ts';
import { requirePermission } from './permissions.ts';
import { COMMITTEE_GRANTABLE, type Actor, type Role } from './roles.ts';

/** Characters of a code: no 0/O, 1/I/L, so codes read aloud or copied by hand survive. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;
/** Failed redemptions allowed per account within the window before it is throttled. */
export const MAX_FAILED_ATTEMPTS = 5;
export const ATTEMPT_WINDOW_MS = 15 * 60_000;
/** Longest unit label we accept (楼栋-单元-房号). */
export const MAX_UNIT_LENGTH = 40;

/** Normalises what a person typed: case, spaces, dashes, full-width characters. */
export function normalizeCode(input: string): string {
  return input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_]/g, '');
}

/** The stored form of a code. */
export function hashCode(code: string): string {
  return createHash('sha256').update(`linli-code:${normalizeCode(code)}`).digest('hex');
}

/** A fresh random code, shown as XXXX-XXXX. */
export function generateCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** Normalises a unit label such as "3栋 2单元 501" → "3栋-2单元-501". */
export function normalizeUnit(unit: string): string {
  return unit
    .normalize('NFKC')
    .trim()
    .replace(/[\s/\\]+/g, '-')
    .replace(/-+/g, '-');
}

/** What to issue. */
export interface IssueRequest {
  communityId: string;
  unit?: string | null;
  role: Role;
  count: number;
  expiresInMs: number;
}

/** Anything with the delegates issuing needs: the client or a transaction. */
type IssueDb = Pick<Db, 'verificationCode' | 'auditEntry'>;

/** Checks an issue request (permission, role, count, expiry, unit); returns the normalised unit. */
export function checkIssueRequest(actor: Actor, req: IssueRequest): string | null {
  requirePermission(actor, 'code.issue', req.communityId);
  if (!actor.isAdmin && !COMMITTEE_GRANTABLE.includes(req.role)) throw new DomainError('codes.role_needs_admin', { role: req.role });
  if (!Number.isInteger(req.count) || req.count < 1 || req.count > 500) throw new DomainError('codes.bad_count');
  if (!(req.expiresInMs >= 60 * 60_000 && req.expiresInMs <= 366 * 24 * 60 * 60_000)) throw new DomainError('codes.bad_expiry');
  const unit = req.unit ? normalizeUnit(req.unit) : null;
  if (unit !== null && (unit.length === 0 || unit.length > MAX_UNIT_LENGTH)) throw new DomainError('codes.bad_unit');
  if (req.role === 'verified' && !unit) throw new DomainError('codes.unit_required');
  return unit;
}

/** Writes checked codes and their audit entry; call inside a transaction. */
export async function writeCodes(tx: IssueDb, actor: Actor, via: string, req: IssueRequest, unit: string | null, now: Date): Promise<string[]> {
  const codes = Array.from({ length: req.count }, generateCode);
  const expiresAt = new Date(now.getTime() + req.expiresInMs);
  await tx.verificationCode.createMany({
    data: codes.map((code) => ({
      communityId: req.communityId,
      codeHash: hashCode(code),
      hint: code.slice(-2),
      unit,
      role: req.role,
      createdById: actor.personId,
      createdAt: now,
      expiresAt,
    })),
  });
  await recordAudit(tx, {
    actorId: actor.personId,
    via,
    action: 'code.issue',
    communityId: req.communityId,
    targetType: 'code',
    details: { count: req.count, role: req.role, hasUnit: unit !== null, expiresAt: expiresAt.toISOString() },
  });
  return codes;
}

/** Creates codes; returns them in clear text — the only time they exist in clear text. */
export async function issueCodes(db: Db, actor: Actor, via: string, req: IssueRequest, now = new Date()): Promise<string[]> {
  const unit = checkIssueRequest(actor, req);
  return db.$transaction((tx) => writeCodes(tx, actor, via, req, unit, now));
}

/** The outcome of a successful redemption. */
export interface Redemption {
  community: Community;
  role: Role;
  unit: string | null;
}

/**
 * Redeems a code for a person. Every failure is a DomainError that says why in plain words:
 * unknown, already used, expired, revoked, or too many attempts.
 */
export async function redeemCode(
  db: Db,
  person: { id: string },
  account: { platform: string; userId: string },
  code: string,
  now = new Date(),
): Promise<Redemption> {
  const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS);
  const failures = await db.redemptionAttempt.count({
    where: { platform: account.platform, platformUserId: account.userId, success: false, at: { gte: since } },
  });
  if (failures >= MAX_FAILED_ATTEMPTS) {
    throw new DomainError('codes.throttled', { minutes: Math.ceil(ATTEMPT_WINDOW_MS / 60_000) });
  }
  const fail = async (key: string, params: Record<string, unknown> = {}) => {
    await db.redemptionAttempt.create({ data: { platform: account.platform, platformUserId: account.userId, success: false, at: now } });
    return new DomainError(key, params);
  };
  const normalized = normalizeCode(code);
  if (normalized.length !== CODE_LENGTH) throw await fail('codes.malformed');
  const row = await db.verificationCode.findUnique({ where: { codeHash: hashCode(normalized) }, include: { community: true } });
  if (!row) throw await fail('codes.unknown');
  if (row.revokedAt) throw await fail('codes.revoked');
  if (row.redeemedAt) throw await fail(row.redeemedById === person.id ? 'codes.already_yours' : 'codes.used');
  if (row.expiresAt <= now) throw await fail('codes.expired');

  await db.$transaction(async (tx) => {
    // The condition on redeemedAt makes a simultaneous second redemption find nothing to claim.
    const claimed = await tx.verificationCode.updateMany({
      where: { id: row.id, redeemedAt: null, revokedAt: null },
      data: { redeemedAt: now, redeemedById: person.id },
    });
    if (claimed.count !== 1) throw new DomainError('codes.used');
    let householdId: string | null = null;
    if (row.unit) {
      const household = await tx.household.upsert({
        where: { communityId_unit: { communityId: row.communityId, unit: row.unit } },
        create: { communityId: row.communityId, unit: row.unit },
        update: {},
      });
      householdId = household.id;
      await tx.membership.upsert({
        where: { personId_communityId_role: { personId: person.id, communityId: row.communityId, role: 'verified' } },
        create: { personId: person.id, communityId: row.communityId, role: 'verified', householdId, source: 'code' },
        update: { householdId, source: 'code', grantedAt: now },
      });
    }
    if (row.role !== 'verified') {
      await tx.membership.upsert({
        where: { personId_communityId_role: { personId: person.id, communityId: row.communityId, role: row.role } },
        create: { personId: person.id, communityId: row.communityId, role: row.role, householdId, source: 'code' },
        update: { source: 'code', grantedAt: now },
      });
    }
    await tx.person.update({ where: { id: person.id }, data: { activeCommunityId: row.communityId } });
    await tx.redemptionAttempt.create({ data: { platform: account.platform, platformUserId: account.userId, success: true, at: now } });
    await recordAudit(tx, {
      actorId: person.id,
      via: account.platform,
      action: 'code.redeem',
      communityId: row.communityId,
      targetType: 'code',
      targetId: row.id,
      details: { role: row.role },
    });
  });
  return { community: row.community, role: row.role as Role, unit: row.unit };
}
