/**
 * The committee's view of its verification codes: list them with their status, withdraw one
 * that was lost or handed to the wrong person, and re-issue (withdraw + a fresh code for the
 * same unit and role). Issuing and redeeming live in verification.ts.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { VerificationCode } from '../../generated/prisma/client.ts';
import { recordAudit } from './audit.ts';
import { requirePermission } from './permissions.ts';
import { isRole, type Actor } from './roles.ts';
import { checkIssueRequest, writeCodes } from './verification.ts';

/** Where a code stands. */
export type CodeStatus = 'unused' | 'used' | 'expired' | 'revoked';

/** One code as the committee sees it (never the code itself: only its last characters). */
export interface CodeView {
  id: string;
  hint: string;
  unit: string | null;
  role: string;
  status: CodeStatus;
  createdAt: Date;
  expiresAt: Date;
}

/** Codes per page in /codes. */
export const CODES_PAGE_SIZE = 10;

/** The status of a code at `now`; revoked wins over used, used over expired. */
export function codeStatus(code: Pick<VerificationCode, 'revokedAt' | 'redeemedAt' | 'expiresAt'>, now: Date): CodeStatus {
  if (code.revokedAt) return 'revoked';
  if (code.redeemedAt) return 'used';
  if (code.expiresAt <= now) return 'expired';
  return 'unused';
}

/** A page of the community's codes, newest first. */
export async function listCodes(
  db: Db,
  actor: Actor,
  communityId: string,
  page: number,
  now: Date,
): Promise<{ codes: CodeView[]; page: number; pages: number; total: number }> {
  requirePermission(actor, 'code.list', communityId);
  const total = await db.verificationCode.count({ where: { communityId } });
  const pages = Math.max(1, Math.ceil(total / CODES_PAGE_SIZE));
  const current = Math.min(Math.max(0, Math.trunc(page) || 0), pages - 1);
  const rows = await db.verificationCode.findMany({
    where: { communityId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: current * CODES_PAGE_SIZE,
    take: CODES_PAGE_SIZE,
  });
  return {
    codes: rows.map((r) => view(r, now)),
    page: current,
    pages,
    total,
  };
}

/** Loads a code, or a "no such code" refusal. */
async function codeOf(db: Db, codeId: string): Promise<VerificationCode> {
  const code = await db.verificationCode.findUnique({ where: { id: codeId } });
  if (!code) throw new DomainError('codes.not_found');
  return code;
}

/** A code row as the committee sees it at `now`. */
function view(r: VerificationCode, now: Date): CodeView {
  return { id: r.id, hint: r.hint, unit: r.unit, role: r.role, status: codeStatus(r, now), createdAt: r.createdAt, expiresAt: r.expiresAt };
}

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** Marks a code withdrawn inside a transaction; refuses when it was redeemed meanwhile. */
async function markRevoked(tx: Tx, actor: Actor, via: string, code: VerificationCode, now: Date, refusal: string): Promise<void> {
  // The condition keeps a redemption (or a second tap) that just happened from slipping through.
  const { count } = await tx.verificationCode.updateMany({ where: { id: code.id, redeemedAt: null, revokedAt: null }, data: { revokedAt: now } });
  if (count !== 1) throw new DomainError(refusal);
  await recordAudit(tx, { actorId: actor.personId, via, action: 'code.revoke', communityId: code.communityId, targetType: 'code', targetId: code.id, details: { role: code.role, hint: code.hint } });
}

/** Withdraws an unused code. Withdrawing it again is a no-op; a used code cannot be withdrawn. */
export async function revokeCode(db: Db, actor: Actor, via: string, codeId: string, now: Date): Promise<CodeView> {
  const code = await codeOf(db, codeId);
  requirePermission(actor, 'code.revoke', code.communityId);
  if (code.redeemedAt) throw new DomainError('codes.cannot_revoke_used');
  if (code.revokedAt) return view(code, now);
  await db.$transaction((tx) => markRevoked(tx, actor, via, code, now, 'codes.cannot_revoke_used'));
  return view(await db.verificationCode.findUniqueOrThrow({ where: { id: code.id } }), now);
}

/** Shortest and longest validity of a re-issued code (the original's validity, clamped). */
const MIN_VALIDITY_MS = 60 * 60_000;
const MAX_VALIDITY_MS = 366 * 24 * 60 * 60_000;

/**
 * Re-issues an unused code that was lost or leaked, or an expired one: in one transaction the old one is
 * withdrawn and a new one for the same unit and role, valid as long as the old one was, is
 * created and returned in clear text.
 */
export async function reissueCode(db: Db, actor: Actor, via: string, codeId: string, now: Date): Promise<{ code: string; expiresAt: Date; unit: string | null; role: string }> {
  const old = await codeOf(db, codeId);
  requirePermission(actor, 'code.revoke', old.communityId);
  if (old.redeemedAt) throw new DomainError('codes.cannot_reissue_used');
  // A withdrawn code was either re-issued already (a second tap) or withdrawn on purpose.
  if (old.revokedAt) throw new DomainError('codes.cannot_reissue_revoked');
  if (!isRole(old.role)) throw new DomainError('codes.not_found');
  const validity = Math.min(MAX_VALIDITY_MS, Math.max(MIN_VALIDITY_MS, old.expiresAt.getTime() - old.createdAt.getTime()));
  // A re-issued slip still verifies into its register household; a 楼栋长 code still names its building.
  const purpose = old.purpose === 'slip' || old.purpose === 'in_person' ? old.purpose : 'code';
  const req = { communityId: old.communityId, unit: old.unit, role: old.role, count: 1, expiresInMs: validity, householdId: old.householdId, buildingId: old.buildingId, purpose } as const;
  const unit = checkIssueRequest(actor, req);
  const [code] = await db.$transaction(async (tx) => {
    await markRevoked(tx, actor, via, old, now, 'codes.cannot_reissue_revoked');
    const fresh = await writeCodes(tx, actor, via, req, unit, now);
    await recordAudit(tx, { actorId: actor.personId, via, action: 'code.reissue', communityId: old.communityId, targetType: 'code', targetId: old.id, details: { role: old.role, newHint: fresh[0].slice(-2) } });
    return fresh;
  });
  return { code, expiresAt: new Date(now.getTime() + validity), unit: old.unit, role: old.role };
}
