/**
 * Residents' rights over their personal information (PIPL 个人信息保护法 §44–47): see everything
 * Linli stores about them (/mydata) and have it erased (/forgetme).
 *
 * Erasure keeps every tally correct: ballots, seconds and ratings stay (they are counted),
 * only the link back to the person goes. A personal key `p:<personId>` (or an invited member's
 * `a:<personId>`) becomes an opaque random `x:<random>` so the one-vote unique indexes still
 * hold; household keys `h:<id>` stay (the household still voted).
 */
import { randomBytes } from 'node:crypto';
import type { Db, Prisma } from '../../db/client.ts';
import { recordAudit } from './audit.ts';
import { eraseRequester, personalRequests, type PersonalRequest } from '../requests/privacy.ts';

// Kept on purpose after erasure (see README): audit actor ids as opaque ids (official acts stay
// accountable; the Person row they point to no longer holds anything personal), actor ids of
// committee acts on other people's records, household keys on household ballots.

/** A chosen option as stored: standard options (赞成/反对/弃权) keep an empty label and their kind. */
export interface BallotChoiceData {
  label: string;
  kind: string;
}

/** Everything Linli stores about one person, as collected for /mydata (which puts it into words). */
export interface PersonalData {
  person: { id: string; displayName: string; locale: string | null; isAdmin: boolean; remindersOff: boolean; createdAt: Date };
  identities: { platform: string; platformUserId: string; username: string | null; createdAt: Date }[];
  memberships: { community: string; role: string; unit: string | null; source: string; grantedAt: Date }[];
  proposals: { community: string; number: number; title: string; status: string; createdAt: Date }[];
  seconds: { community: string; proposalNumber: number; proposalTitle: string; createdAt: Date }[];
  /** Polls the person voted in; `choices` only for named polls (a secret ballot names nobody). */
  ballots: { community: string; pollNumber: number; question: string; anonymous: boolean; choices: BallotChoiceData[]; advisory: boolean; castAt: Date }[];
  /** `target` as stored: a default target has no name of its own until renamed (its kind names it). */
  ratings: { target: { name: string | null; kind: string }; period: string; overall: number; comment: string | null; createdAt: Date }[];
  /** Residents' requests (民意诉求) the person raised, with their words. */
  requests: PersonalRequest[];
  codesRedeemed: { community: string; role: string; unit: string | null; redeemedAt: Date | null }[];
  codesIssued: number;
  redemptionAttempts: { at: Date; success: boolean }[];
  scenes: { scene: string; startedAt: Date }[];
  audit: { at: Date; action: string; communityId: string | null; targetType: string | null; targetId: string | null; details: unknown }[];
}

/** The personal voter key of a person, as ballots, seconds and ratings store it. */
export function personalKey(personId: string): string {
  return `p:${personId}`;
}

/** A key that counts once and links to no one. */
export function opaqueKey(): string {
  return `x:${randomBytes(12).toString('base64url')}`;
}

function parseJson(s: string | null): unknown {
  if (s === null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** Gathers everything stored about a person. */
export async function collectPersonalData(db: Db, personId: string): Promise<PersonalData> {
  const key = personalKey(personId);
  const person = await db.person.findUniqueOrThrow({ where: { id: personId }, include: { identities: true, sceneSessions: true } });
  const accounts = person.identities.map((i) => ({ platform: i.platform, platformUserId: i.platformUserId }));
  const [memberships, proposals, seconds, ballots, ratings, codes, codesIssued, attempts, audit, requests] = await Promise.all([
    db.membership.findMany({ where: { personId }, include: { community: true, household: true }, orderBy: { grantedAt: 'asc' } }),
    db.proposal.findMany({ where: { authorId: personId }, include: { community: true }, orderBy: { createdAt: 'asc' } }),
    db.proposalSecond.findMany({ where: { OR: [{ personId }, { voterKey: key }] }, include: { proposal: { include: { community: true } } }, orderBy: { createdAt: 'asc' } }),
    // Participation says that the person voted; only a named poll's ballot says what.
    db.pollParticipation.findMany({
      where: { OR: [{ personId }, { voterKey: key }] },
      include: { poll: { include: { community: true } }, ballot: { include: { choices: { include: { option: true } } } } },
      orderBy: { castAt: 'asc' },
    }),
    db.rating.findMany({ where: { raterKey: key }, include: { target: true }, orderBy: { createdAt: 'asc' } }),
    db.verificationCode.findMany({ where: { redeemedById: personId }, include: { community: true }, orderBy: { redeemedAt: 'asc' } }),
    db.verificationCode.count({ where: { createdById: personId } }),
    accounts.length ? db.redemptionAttempt.findMany({ where: { OR: accounts }, orderBy: { at: 'asc' } }) : [],
    db.auditEntry.findMany({ where: { actorId: personId }, orderBy: { at: 'asc' }, take: 5000 }),
    personalRequests(db, personId),
  ]);
  return {
    person: { id: person.id, displayName: person.displayName, locale: person.locale, isAdmin: person.isAdmin, remindersOff: person.remindersOff, createdAt: person.createdAt },
    identities: person.identities.map((i) => ({ platform: i.platform, platformUserId: i.platformUserId, username: i.username, createdAt: i.createdAt })),
    memberships: memberships.map((m) => ({ community: m.community.name, role: m.role, unit: m.household?.unit ?? null, source: m.source, grantedAt: m.grantedAt })),
    proposals: proposals.map((p) => ({ community: p.community.name, number: p.number, title: p.title, status: p.status, createdAt: p.createdAt })),
    seconds: seconds.map((s) => ({ community: s.proposal.community.name, proposalNumber: s.proposal.number, proposalTitle: s.proposal.title, createdAt: s.createdAt })),
    ballots: ballots.map((b) => ({
      community: b.poll.community.name,
      pollNumber: b.poll.number,
      question: b.poll.question,
      anonymous: b.poll.anonymous,
      choices: b.poll.anonymous ? [] : (b.ballot?.choices.map((c) => ({ label: c.option.label, kind: c.option.kind })) ?? []),
      advisory: b.advisory,
      castAt: b.castAt,
    })),
    ratings: ratings.map((r) => ({ target: { name: r.target.name, kind: r.target.kind }, period: r.period, overall: r.overall, comment: r.comment, createdAt: r.createdAt })),
    requests,
    codesRedeemed: codes.map((c) => ({ community: c.community.name, role: c.role, unit: c.unit, redeemedAt: c.redeemedAt })),
    codesIssued,
    redemptionAttempts: attempts.map((a) => ({ at: a.at, success: a.success })),
    scenes: person.sceneSessions.map((s) => ({ scene: s.scene, startedAt: s.startedAt })),
    audit: audit.map((a) => ({ at: a.at, action: a.action, communityId: a.communityId, targetType: a.targetType, targetId: a.targetId, details: parseJson(a.details) })),
  };
}

/** What /forgetme changed, for the confirmation and the audit log (counts only). */
export interface ErasureSummary {
  identities: number;
  memberships: number;
  ballots: number;
  seconds: number;
  ratings: number;
  proposals: number;
  requests: number;
}

/** How to erase: the placeholder name, the person's private chats, the time. */
export interface ErasureOptions {
  via: string;
  /** Neutral name that replaces the display name and proposals' author name. */
  placeholder: string;
  /** The person's private chats per platform, whose queued messages and choice memory go too. */
  privateChats: { platform: string; chatId: string }[];
  now: Date;
  /**
   * Cuts the keyed link of the person's secret ballots in polls still open, inside the erasure's
   * transaction (`services.polls.ballots.unlinkVoter`); without it the link goes when each poll closes.
   */
  unlinkSecretBallots?: (tx: Prisma.TransactionClient, personId: string) => Promise<number>;
}

/**
 * Erases a person's personal data in one transaction. Afterwards the Person row is an
 * anonymous anchor (placeholder name, no identities, no roles); the next message from the
 * same platform account meets Linli as a new person.
 */
export async function forgetPerson(db: Db, personId: string, opts: ErasureOptions): Promise<ErasureSummary> {
  const key = personalKey(personId);
  return db.$transaction(async (tx) => {
    const identities = await tx.identity.findMany({ where: { personId } });
    const accounts = identities.map((i) => ({ platform: i.platform, platformUserId: i.platformUserId }));

    // Votes, seconds and ratings: keep the rows (they are counted), cut the link.
    if (opts.unlinkSecretBallots) await opts.unlinkSecretBallots(tx, personId);
    const ballots = await tx.pollParticipation.findMany({ where: { OR: [{ personId }, { voterKey: key }] }, select: { id: true, voterKey: true } });
    for (const b of ballots) {
      await tx.pollParticipation.update({ where: { id: b.id }, data: { personId: null, voterName: null, voterKey: /^[pa]:/.test(b.voterKey) ? opaqueKey() : b.voterKey } });
    }
    const seconds = await tx.proposalSecond.findMany({ where: { OR: [{ personId }, { voterKey: key }] }, select: { id: true, voterKey: true } });
    for (const s of seconds) {
      await tx.proposalSecond.update({ where: { id: s.id }, data: { personId: null, voterKey: s.voterKey.startsWith('p:') ? opaqueKey() : s.voterKey } });
    }
    const ratings = await tx.rating.findMany({ where: { raterKey: key }, select: { id: true, raterKey: true } });
    for (const r of ratings) {
      await tx.rating.update({ where: { id: r.id }, data: { raterKey: opaqueKey() } });
    }

    // Proposals stay public records; the author becomes the placeholder, and the author's own
    // lifecycle moves (submit, withdraw) lose their actor. Committee moves stay accountable.
    const authored = await tx.proposal.findMany({ where: { authorId: personId }, select: { id: true } });
    const authoredIds = authored.map((p) => p.id);
    if (authoredIds.length) {
      await tx.proposalEvent.updateMany({ where: { proposalId: { in: authoredIds }, actorId: personId }, data: { actorId: null } });
      await tx.proposal.updateMany({ where: { id: { in: authoredIds } }, data: { authorId: null, authorName: opts.placeholder } });
    }

    // Requests stay counted in the monthly figures; the resident's words, photo and place go.
    const requests = await eraseRequester(tx, personId, opts.now);

    // Comments stay in the discussion, signed with the placeholder; a vote's reason sat next to a
    // named ballot and goes with the person.
    await tx.comment.updateMany({ where: { authorId: personId }, data: { authorId: null, authorName: opts.placeholder } });
    await tx.voteReason.deleteMany({ where: { personId } });
    await tx.verificationCode.updateMany({ where: { redeemedById: personId }, data: { redeemedById: null } });
    if (accounts.length) await tx.redemptionAttempt.deleteMany({ where: { OR: accounts } });
    if (opts.privateChats.length) {
      await tx.outboxMessage.deleteMany({ where: { OR: opts.privateChats } });
      await tx.choiceMemory.deleteMany({ where: { OR: opts.privateChats } });
    }
    const memberships = await tx.membership.deleteMany({ where: { personId } });
    // Building-lead appointments and web-console sessions name the person: they go too.
    await tx.buildingLead.deleteMany({ where: { personId } });
    await tx.consoleSession.deleteMany({ where: { personId } });
    await tx.sceneSession.deleteMany({ where: { personId } });
    await tx.identityLinkCode.deleteMany({ where: { personId } });
    await tx.identity.deleteMany({ where: { personId } });
    await tx.person.update({
      where: { id: personId },
      data: { displayName: opts.placeholder, locale: null, isAdmin: false, remindersOff: true, activeCommunityId: null, erasedAt: opts.now },
    });
    const summary: ErasureSummary = {
      identities: identities.length,
      memberships: memberships.count,
      ballots: ballots.length,
      seconds: seconds.length,
      ratings: ratings.length,
      proposals: authoredIds.length,
      requests,
    };
    await recordAudit(tx, { actorId: personId, via: opts.via, action: 'person.forget', targetType: 'person', targetId: personId, details: { ...summary } });
    return summary;
  });
}
