/**
 * One-time verification codes: the committee hands a household (or a council member) a code;
 * redeeming it verifies the person for that community and unit, or grants the role.
 *
 * Only a hash of each code is stored, codes expire and work once, and failed redemptions are
 * throttled per platform account and per community, so guessing — from one account or from
 * many — gets nowhere.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Community } from '../../generated/prisma/client.ts';
import { insertMany } from '../register/bulkInsert.ts';
import { canonicalUnit } from '../register/units.ts';
import { recordAudit } from './audit.ts';
import { requirePermission } from './permissions.ts';
import { BUILDING_ROLES, COMMITTEE_GRANTABLE, type Actor, type Role } from './roles.ts';
import { inPersonForNewMember } from '../polls/inPerson.ts';

/** Characters of a code: no 0/O, 1/I/L, so codes read aloud or copied by hand survive. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 8;
/** Failed redemptions allowed per account within the window before it is throttled. */
export const MAX_FAILED_ATTEMPTS = 5;
export const ATTEMPT_WINDOW_MS = 15 * 60_000;
/**
 * Failed redemptions allowed per community within its window, whichever accounts made them:
 * many fresh accounts guessing together get no further than one. People in no community yet
 * (the usual guesser) share one window of their own.
 */
export const MAX_COMMUNITY_FAILURES = 20;
export const COMMUNITY_WINDOW_MS = 10 * 60_000;
/** The community window of people who belong to none yet. */
export const NO_COMMUNITY = '-';
/** Longest unit label we accept (楼栋-单元-房号). */
export const MAX_UNIT_LENGTH = 40;

/** Normalises what a person typed: case, spaces, dashes (any kind), full-width characters. */
export function normalizeCode(input: string): string {
  return input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-_\u2010-\u2015]/g, '');
}

/**
 * True when a message is a verification code: eight letters and digits, in any case or width,
 * with or without the dash or spaces ("cfty day7", "ＣＦＴＹ－ＤＡＹ７"). `unprompted` is for a
 * message nobody asked for: then words ("thank you", "whatever") are not taken for a code —
 * it must hold a digit, be written in capitals as the slips print it, or keep the 4+4 split.
 */
export function looksLikeCode(input: string, unprompted = false): boolean {
  const text = input.normalize('NFKC').trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9\s\-_\u2010-\u2015]*$/.test(text)) return false;
  if (!/^[A-Z0-9]{8}$/.test(normalizeCode(text))) return false;
  return !unprompted || /\d/.test(text) || text === text.toUpperCase() || /^[A-Za-z0-9]{4}[\s\-_\u2010-\u2015]+[A-Za-z0-9]{4}$/.test(text);
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

/**
 * Normalises a unit label: to the register's canonical form when it reads as one ("3栋 2单元
 * 501", "3-2-501", "３幢二单元501室" → "3栋-2单元-501"), so a typed code meets the household the
 * register lists; otherwise spaces and slashes become dashes ("A座 商铺 12" → "A座-商铺-12").
 */
export function normalizeUnit(unit: string): string {
  return (
    canonicalUnit(unit) ??
    unit
      .normalize('NFKC')
      .trim()
      .replace(/[\s/\\]+/g, '-')
      .replace(/-+/g, '-')
  );
}

/** What to issue. */
export interface IssueRequest {
  communityId: string;
  unit?: string | null;
  role: Role;
  count: number;
  expiresInMs: number;
  /** The building of a 楼栋长 code (required for it, ignored otherwise). */
  buildingId?: string | null;
  /** The register household the code verifies into (a re-issued slip). */
  householdId?: string | null;
  /** code | slip | in_person (see VerificationCode.purpose). */
  purpose?: CodePurpose;
}

/** Why a code was made: typed from /codes or `linli invite`, printed on a slip, or shown by someone vouching in person. */
export type CodePurpose = 'code' | 'slip' | 'in_person';

/** Anything with the delegates issuing needs: the client or a transaction. */
type IssueDb = Pick<Db, 'verificationCode' | 'auditEntry' | '$executeRaw'>;

/** Checks an issue request (permission, role, count, expiry, unit); returns the normalised unit. */
export function checkIssueRequest(actor: Actor, req: IssueRequest): string | null {
  requirePermission(actor, 'code.issue', req.communityId);
  if (BUILDING_ROLES.includes(req.role)) {
    // A 楼栋长 code names its building; it is made from the building's page in /register.
    if (!req.buildingId) throw new DomainError('codes.building_role_from_register');
    requirePermission(actor, 'register.lead', req.communityId);
  } else if (!actor.isAdmin && !COMMITTEE_GRANTABLE.includes(req.role)) {
    throw new DomainError('codes.role_needs_admin', { role: req.role });
  }
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
      householdId: req.householdId ?? null,
      buildingId: BUILDING_ROLES.includes(req.role) ? (req.buildingId ?? null) : null,
      purpose: req.purpose ?? 'code',
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
    details: { count: req.count, role: req.role, hasUnit: unit !== null, purpose: req.purpose ?? 'code', expiresAt: expiresAt.toISOString() },
  });
  return codes;
}

/**
 * Writes one code per register household (printed slips, in-person verification) and withdraws
 * the household's earlier unused codes of the same purpose, so only the newest slip works.
 * Permission is the caller's to check (src/domain/register). Call inside a transaction; returns
 * the codes in clear text by household id.
 */
export async function writeHouseholdCodes(
  tx: IssueDb,
  actor: Actor,
  via: string,
  input: { communityId: string; households: { id: string; unit: string }[]; purpose: Exclude<CodePurpose, 'code'>; expiresAt: Date },
  now: Date,
): Promise<{ codes: Map<string, string>; revoked: number }> {
  const ids = input.households.map((h) => h.id);
  let revoked = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const { count } = await tx.verificationCode.updateMany({
      where: { householdId: { in: ids.slice(i, i + 500) }, purpose: input.purpose, redeemedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    revoked += count;
  }
  const codes = new Map(input.households.map((h) => [h.id, generateCode()]));
  const rows = input.households.map((h) => {
    const code = codes.get(h.id)!;
    return { communityId: input.communityId, codeHash: hashCode(code), hint: code.slice(-2), unit: h.unit, role: 'verified', householdId: h.id, buildingId: null, purpose: input.purpose, createdById: actor.personId, createdAt: now, expiresAt: input.expiresAt, redeemedAt: null, redeemedById: null, revokedAt: null };
  });
  await insertMany(tx, 'VerificationCode', rows);
  await recordAudit(tx, {
    actorId: actor.personId,
    via,
    action: 'code.issue',
    communityId: input.communityId,
    targetType: 'code',
    details: { count: rows.length, role: 'verified', hasUnit: true, purpose: input.purpose, revoked, expiresAt: input.expiresAt.toISOString() },
  });
  return { codes, revoked };
}

/** Creates codes; returns them in clear text — the only time they exist in clear text. */
export async function issueCodes(db: Db, actor: Actor, via: string, req: IssueRequest, now = new Date()): Promise<string[]> {
  const unit = checkIssueRequest(actor, req);
  return db.$transaction((tx) => writeCodes(tx, actor, via, req, unit, now));
}

/**
 * The community window an attempt counts against: the community the person acts in (where a
 * committee member or resident redeems a code for a new role), else the shared window of
 * people who belong to no community yet.
 */
async function attemptCommunity(db: Db, personId: string): Promise<string> {
  const person = await db.person.findUnique({ where: { id: personId }, select: { activeCommunityId: true } });
  return person?.activeCommunityId ?? NO_COMMUNITY;
}

/** The outcome of a successful redemption. */
export interface Redemption {
  community: Community;
  role: Role;
  unit: string | null;
  /** The unit the person was verified for before, when the code moved them to another household. */
  movedFrom: string | null;
}

/**
 * The household of `unit`, created when it is new. Two neighbours of one flat redeeming their
 * codes at the same moment both reach here: Prisma's upsert (find, then create) lets the second
 * create fail on the unique (community, unit) on PostgreSQL, where the two transactions run side
 * by side. `ON CONFLICT DO NOTHING` waits for the other insert and yields to it instead; the read
 * that follows sees whichever row won.
 */
async function ensureHousehold(tx: Pick<Db, '$executeRaw' | 'household'>, communityId: string, unit: string, now: Date): Promise<string> {
  await tx.$executeRaw`INSERT INTO "Household" ("id", "communityId", "unit", "active", "inRegister", "createdAt")
    VALUES (${randomUUID()}, ${communityId}, ${unit}, ${true}, ${false}, ${now}) ON CONFLICT ("communityId", "unit") DO NOTHING`;
  const household = await tx.household.findUniqueOrThrow({ where: { communityId_unit: { communityId, unit } }, select: { id: true } });
  return household.id;
}

/** How a redemption treats a person already verified for another household of the community. */
export interface RedeemOptions {
  /**
   * true: refuse with `codes.confirm_move` (naming both units, no failed attempt recorded) so the
   * caller can ask first; false (the default, as /verify always did): move them.
   */
  askBeforeMove?: boolean;
}

/**
 * Redeems a code for a person. Every failure is a DomainError that says why in plain words:
 * unknown, already used, expired, revoked, a household no longer in the register, or too many
 * attempts.
 */
export async function redeemCode(
  db: Db,
  person: { id: string },
  account: { platform: string; userId: string },
  code: string,
  now = new Date(),
  opts: RedeemOptions = {},
): Promise<Redemption> {
  const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS);
  const failures = await db.redemptionAttempt.count({
    where: { platform: account.platform, platformUserId: account.userId, success: false, at: { gte: since } },
  });
  if (failures >= MAX_FAILED_ATTEMPTS) {
    throw new DomainError('codes.throttled', { minutes: Math.ceil(ATTEMPT_WINDOW_MS / 60_000) });
  }
  // Checked before the code is looked up, so the refusal says nothing about the code typed.
  const community = await attemptCommunity(db, person.id);
  const communityFailures = await db.redemptionAttempt.count({ where: { community, success: false, at: { gte: new Date(now.getTime() - COMMUNITY_WINDOW_MS) } } });
  if (communityFailures >= MAX_COMMUNITY_FAILURES) {
    throw new DomainError('codes.community_throttled', { minutes: Math.ceil(COMMUNITY_WINDOW_MS / 60_000) });
  }
  const fail = async (key: string, params: Record<string, unknown> = {}) => {
    await db.redemptionAttempt.create({ data: { platform: account.platform, platformUserId: account.userId, success: false, at: now, community } });
    return new DomainError(key, params);
  };
  const normalized = normalizeCode(code);
  if (normalized.length !== CODE_LENGTH) throw await fail('codes.malformed');
  const row = await db.verificationCode.findUnique({ where: { codeHash: hashCode(normalized) }, include: { community: true, household: true } });
  if (!row) throw await fail('codes.unknown');
  if (row.revokedAt) throw await fail('codes.revoked');
  if (row.redeemedAt) throw await fail(row.redeemedById === person.id ? 'codes.already_yours' : 'codes.used');
  if (row.expiresAt <= now) throw await fail('codes.expired');
  // A slip for a flat that has left the register verifies nobody (its code is withdrawn on import; this covers a race).
  if (row.household && !row.household.active) throw new DomainError('codes.household_inactive', { unit: row.household.unit });
  const targetUnit = row.household?.unit ?? row.unit;

  const current = targetUnit
    ? await db.membership.findUnique({
        where: { personId_communityId_role: { personId: person.id, communityId: row.communityId, role: 'verified' } },
        include: { household: true },
      })
    : null;
  const movedFrom = current?.household && current.household.unit !== targetUnit ? current.household.unit : null;
  if (movedFrom && opts.askBeforeMove) throw new DomainError('codes.confirm_move', { from: movedFrom, to: targetUnit, community: row.community.name });

  await db.$transaction(async (tx) => {
    // The condition on redeemedAt makes a simultaneous second redemption find nothing to claim.
    const claimed = await tx.verificationCode.updateMany({
      where: { id: row.id, redeemedAt: null, revokedAt: null },
      data: { redeemedAt: now, redeemedById: person.id },
    });
    if (claimed.count !== 1) throw new DomainError('codes.used');
    const source = row.purpose === 'code' ? 'code' : row.purpose;
    let householdId: string | null = row.householdId;
    if (!householdId && row.unit) {
      householdId = await ensureHousehold(tx as unknown as Db, row.communityId, row.unit, now);
    }
    if (householdId) {
      await tx.membership.upsert({
        where: { personId_communityId_role: { personId: person.id, communityId: row.communityId, role: 'verified' } },
        create: { personId: person.id, communityId: row.communityId, role: 'verified', householdId, source },
        update: { householdId, source, grantedAt: now },
      });
      // The person's other roles here (a council member who moved) follow them to the new household.
      if (movedFrom) await tx.membership.updateMany({ where: { personId: person.id, communityId: row.communityId, householdId: { not: null } }, data: { householdId } });
    }
    if (row.role !== 'verified') {
      if (row.role === 'building_lead' && row.buildingId) {
        const lead = await tx.membership.findUnique({ where: { personId_communityId_role: { personId: person.id, communityId: row.communityId, role: row.role } } });
        // Buildings left over from a role taken away earlier do not come back with a new one.
        if (!lead) await tx.buildingLead.deleteMany({ where: { personId: person.id, communityId: row.communityId } });
        await tx.buildingLead.upsert({
          where: { buildingId_personId: { buildingId: row.buildingId, personId: person.id } },
          create: { buildingId: row.buildingId, personId: person.id, communityId: row.communityId, grantedById: row.createdById, grantedAt: now },
          update: {},
        });
      }
      await tx.membership.upsert({
        where: { personId_communityId_role: { personId: person.id, communityId: row.communityId, role: row.role } },
        create: { personId: person.id, communityId: row.communityId, role: row.role, householdId, source },
        update: { source, grantedAt: now },
      });
    }
    // Counted at a meeting with their household before they verified: counted there, not again online.
    if (householdId) await inPersonForNewMember(tx, row.communityId, person.id, householdId, now);
    await tx.person.update({ where: { id: person.id }, data: { activeCommunityId: row.communityId } });
    await tx.redemptionAttempt.create({ data: { platform: account.platform, platformUserId: account.userId, success: true, at: now, community } });
    await recordAudit(tx, {
      actorId: person.id,
      via: account.platform,
      action: 'code.redeem',
      communityId: row.communityId,
      targetType: 'code',
      targetId: row.id,
      details: { role: row.role, purpose: row.purpose, ...(movedFrom ? { moved: true } : {}) },
    });
    if (row.purpose === 'in_person' && householdId) {
      // Who vouched for the neighbour face to face: the 楼栋长 or committee member who made the code.
      await recordAudit(tx, {
        actorId: row.createdById,
        via: account.platform,
        action: 'verification.in_person',
        communityId: row.communityId,
        targetType: 'household',
        targetId: householdId,
        details: { personId: person.id, codeId: row.id },
      });
    }
  });
  return { community: row.community, role: row.role as Role, unit: targetUnit, movedFrom };
}
