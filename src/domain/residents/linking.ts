/**
 * Identity linking: one person on Telegram and WeChat is one resident with one vote.
 *
 * A verified person creates a one-time link code on one platform (`/link`) and redeems it on
 * the other (`/link <code>`); the two persons Linli had for the two accounts then become one:
 * identities, memberships and open scenes move to the person that is kept, the other is removed.
 * Codes are stored hashed, expire after LINK_CODE_TTL_MS, work once, and failed redemptions are
 * throttled together with verification codes (same RedemptionAttempt table).
 *
 * The one-vote rule when merging: ballots, seconds, ratings and proposals are keyed by person
 * (voterKey "p:<personId>"), so two persons who both took part could hold two ballots in one
 * poll. Linking therefore keeps the person who has taken part and absorbs the one who has
 * not; when BOTH have taken part, linking is refused and the committee resolves it. Nothing a
 * person cast is ever re-keyed or deleted by linking.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import type { Person } from '../../generated/prisma/client.ts';
import { inPersonForNewMember } from '../polls/inPerson.ts';
import { recordAudit } from './audit.ts';
import { communitiesOf, type Actor } from './roles.ts';
import { ATTEMPT_WINDOW_MS, MAX_FAILED_ATTEMPTS, generateCode, normalizeCode } from './verification.ts';
import { createHash } from 'node:crypto';

/** How long a link code works. */
export const LINK_CODE_TTL_MS = 15 * 60_000;
/** Link codes a person may create per hour. */
export const MAX_LINK_CODES_PER_HOUR = 5;
const CODE_LENGTH = 8;

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** The stored form of a link code (a different salt than verification codes). */
export function hashLinkCode(code: string): string {
  return createHash('sha256').update(`linli-link:${normalizeCode(code)}`).digest('hex');
}

/**
 * Creates a link code for a verified person (any role in a community, or an admin). Earlier
 * unused codes of the person stop working. Returns the code in clear text — the only time.
 */
export async function createLinkCode(db: Db, actor: Actor, via: string, now: Date): Promise<{ code: string; expiresAt: Date }> {
  if (!actor.isAdmin && communitiesOf(actor).length === 0) throw new DomainError('linking.not_verified');
  const hourAgo = new Date(now.getTime() - 60 * 60_000);
  const recent = await db.identityLinkCode.count({ where: { personId: actor.personId, createdAt: { gte: hourAgo } } });
  if (recent >= MAX_LINK_CODES_PER_HOUR) throw new DomainError('linking.too_many_codes', { minutes: 60 });
  const code = generateCode();
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  await db.$transaction(async (tx) => {
    await tx.identityLinkCode.updateMany({ where: { personId: actor.personId, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    await tx.identityLinkCode.create({ data: { personId: actor.personId, codeHash: hashLinkCode(code), expiresAt, createdAt: now } });
    await recordAudit(tx, { actorId: actor.personId, via, action: 'identity.link_code', targetType: 'person', targetId: actor.personId, details: { expiresAt: expiresAt.toISOString() } });
  });
  return { code, expiresAt };
}

/** The outcome of a successful link. */
export interface LinkResult {
  /** The person both accounts now belong to. */
  person: Person;
  /** The platforms the person has identities on, after linking. */
  platforms: string[];
}

/**
 * Redeems a link code from the account `account` (whose person is `person`). Every failure is a
 * DomainError that says why; bad guesses are throttled per platform account.
 */
export async function redeemLinkCode(db: Db, person: { id: string }, account: { platform: string; userId: string }, code: string, now: Date): Promise<LinkResult> {
  const since = new Date(now.getTime() - ATTEMPT_WINDOW_MS);
  const failures = await db.redemptionAttempt.count({ where: { platform: account.platform, platformUserId: account.userId, success: false, at: { gte: since } } });
  if (failures >= MAX_FAILED_ATTEMPTS) throw new DomainError('codes.throttled', { minutes: Math.ceil(ATTEMPT_WINDOW_MS / 60_000) });
  const fail = async (key: string, params: Record<string, unknown> = {}) => {
    await db.redemptionAttempt.create({ data: { platform: account.platform, platformUserId: account.userId, success: false, at: now } });
    return new DomainError(key, params);
  };
  const normalized = normalizeCode(code);
  if (normalized.length !== CODE_LENGTH) throw await fail('linking.malformed');
  const row = await db.identityLinkCode.findUnique({ where: { codeHash: hashLinkCode(normalized) } });
  if (!row) throw await fail('linking.unknown');
  if (row.personId === person.id) throw new DomainError('linking.same_person');
  if (row.usedAt) throw await fail('linking.used');
  if (row.expiresAt <= now) throw await fail('linking.expired');

  return db.$transaction(async (tx) => {
    // The condition on usedAt makes a simultaneous second redemption find nothing to claim.
    const claimed = await tx.identityLinkCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count !== 1) throw new DomainError('linking.used');
    const creator = await tx.person.findUniqueOrThrow({ where: { id: row.personId }, include: { identities: true } });
    const redeemer = await tx.person.findUniqueOrThrow({ where: { id: person.id }, include: { identities: true } });
    const taken = redeemer.identities.find((i) => creator.identities.some((c) => c.platform === i.platform));
    if (taken) throw new DomainError('linking.platform_taken', { platform: taken.platform });

    const [creatorActive, redeemerActive] = [await participation(tx, creator.id), await participation(tx, redeemer.id)];
    if (creatorActive && redeemerActive) throw new DomainError('linking.both_active');
    // Keep the person who has taken part (their ballots stay theirs); else the code's creator.
    const [keep, absorb] = redeemerActive ? [redeemer, creator] : [creator, redeemer];

    const moved = await mergeMemberships(tx, absorb.id, keep.id);
    // The merged person may now hold a council seat and a household a meeting named as
    // attending (one account had each): counted at that meeting, as if they had verified into it
    // after the entry (redeemCode does the same) — never a tap on top of the meeting's count.
    const households = await tx.membership.findMany({ where: { personId: keep.id, role: 'verified', householdId: { not: null } }, select: { communityId: true, householdId: true } });
    for (const m of households) await inPersonForNewMember(tx, m.communityId, keep.id, m.householdId!, now);
    await tx.identity.updateMany({ where: { personId: absorb.id }, data: { personId: keep.id } });
    await tx.sceneSession.updateMany({ where: { personId: absorb.id }, data: { personId: keep.id } });
    const merged = await tx.person.update({
      where: { id: keep.id },
      data: {
        locale: keep.locale ?? absorb.locale,
        isAdmin: keep.isAdmin || absorb.isAdmin,
        activeCommunityId: keep.activeCommunityId ?? absorb.activeCommunityId,
        remindersOff: keep.remindersOff || absorb.remindersOff,
      },
      include: { identities: true },
    });
    await tx.person.delete({ where: { id: absorb.id } });
    await tx.redemptionAttempt.create({ data: { platform: account.platform, platformUserId: account.userId, success: true, at: now } });
    await recordAudit(tx, {
      actorId: keep.id,
      via: account.platform,
      action: 'identity.link',
      targetType: 'person',
      targetId: keep.id,
      details: { absorbedPersonId: absorb.id, platforms: merged.identities.map((i) => i.platform), ...moved },
    });
    return { person: merged, platforms: [...new Set(merged.identities.map((i) => i.platform))].sort() };
  });
}

/**
 * Whether a person has taken part in anything that counts (ballot, second, proposal, rating).
 * Keep in step with the participation models in prisma/schema when they change.
 */
async function participation(tx: Tx, personId: string): Promise<boolean> {
  const key = `p:${personId}`;
  const counts = await Promise.all([
    tx.pollParticipation.count({ where: { OR: [{ personId }, { voterKey: key }] } }),
    tx.proposalSecond.count({ where: { OR: [{ personId }, { voterKey: key }] } }),
    tx.proposal.count({ where: { authorId: personId } }),
    tx.rating.count({ where: { raterKey: key } }),
  ]);
  return counts.some((n) => n > 0);
}

/**
 * Moves the absorbed person's memberships to the kept one. A role the kept person already holds
 * in a community stays as it is (its household wins), so nobody ends up verified twice.
 */
async function mergeMemberships(tx: Tx, fromId: string, toId: string): Promise<{ membershipsMoved: number; membershipsDropped: number }> {
  const from = await tx.membership.findMany({ where: { personId: fromId } });
  const to = await tx.membership.findMany({ where: { personId: toId } });
  let membershipsMoved = 0;
  let membershipsDropped = 0;
  for (const m of from) {
    if (to.some((t) => t.communityId === m.communityId && t.role === m.role)) {
      await tx.membership.delete({ where: { id: m.id } });
      membershipsDropped++;
    } else {
      await tx.membership.update({ where: { id: m.id }, data: { personId: toId } });
      membershipsMoved++;
    }
  }
  return { membershipsMoved, membershipsDropped };
}
