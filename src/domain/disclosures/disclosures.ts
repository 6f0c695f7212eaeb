/**
 * Publishing and correcting disclosures, and reading them back. A published version is never
 * changed: a correction appends a new version with its reason, and every version is appended
 * to the community's hash chain in the same transaction as its audit entry.
 */
import { DomainError } from '../errors.ts';
import { isUniqueViolation, type Db, type Prisma } from '../../db/client.ts';
import { containsText, rowLockSql } from '../../db/dialect.ts';
import type { Disclosure, DisclosureVersion } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { communityCategories, isCategoryKey } from './categories.ts';
import { hashLink } from './chain.ts';
import { checkBody, MAX_BODY_CHARS } from './files.ts';
import { parsePeriodKey } from './period.ts';
import type { Statement } from './statement.ts';

export const TITLE_MAX = 60;
export const PERIOD_MAX = 30;
export const REASON_MAX = 200;

/** What a committee member hands in. */
export interface DisclosureDraft {
  category: string;
  period: string;
  title: string;
  /** The text; optional (a note) when a statement is attached. */
  body: string;
  statement: Statement | null;
}

/** A correction of an existing disclosure. */
export interface CorrectionDraft {
  title?: string;
  body: string;
  statement: Statement | null;
  reason: string;
}

/** A disclosure with its versions, oldest first. */
export type DisclosureWithVersions = Disclosure & { versions: DisclosureVersion[] };

type Tx = Prisma.TransactionClient;

/** Checks a title: 2 to TITLE_MAX characters. */
export function checkTitle(raw: string): string {
  const title = raw.replace(/\s+/g, ' ').trim();
  const n = [...title].length;
  if (n < 2 || n > TITLE_MAX) throw new DomainError('disclosures.bad_title', { max: TITLE_MAX });
  return title;
}

/** Checks a period label: 2 to PERIOD_MAX characters. */
export function checkPeriod(raw: string): string {
  const period = raw.replace(/\s+/g, ' ').trim();
  const n = [...period].length;
  if (n < 2 || n > PERIOD_MAX) throw new DomainError('disclosures.bad_period', { max: PERIOD_MAX });
  return period;
}

function checkContent(body: string, statement: Statement | null): string {
  if (!statement) return checkBody(body);
  const note = body.replace(/\r\n?/g, '\n').trim();
  if ([...note].length > MAX_BODY_CHARS) throw new DomainError('disclosures.body_too_long', { max: MAX_BODY_CHARS, length: [...note].length });
  return note;
}

/**
 * Appends a version to the community's chain. The chain continues from the stored head (not
 * from the newest row), so a version deleted behind the bot's back stays a visible gap.
 */
async function appendVersion(
  tx: Tx,
  disclosure: Disclosure,
  v: { version: number; title: string; body: string; statement: Statement | null; reason: string | null; publishedById: string | null; publishedVia: string; publishedAt: Date },
): Promise<DisclosureVersion> {
  const head = await tx.disclosureChainHead.findUnique({ where: { communityId: disclosure.communityId } });
  const last = head ? null : await tx.disclosureVersion.findFirst({ where: { communityId: disclosure.communityId }, orderBy: { chainSeq: 'desc' } });
  const chainSeq = (head?.seq ?? last?.chainSeq ?? 0) + 1;
  const prevHash = head?.hash ?? last?.hash ?? '';
  const format = v.statement ? 'statement' : 'text';
  const statement = v.statement ? JSON.stringify(v.statement) : null;
  // The stored row and the hashed content are the same fields, plus the disclosure's own.
  const row = {
    disclosureId: disclosure.id,
    communityId: disclosure.communityId,
    version: v.version,
    title: v.title,
    body: v.body,
    format,
    statement,
    reason: v.reason,
    publishedById: v.publishedById,
    publishedVia: v.publishedVia,
    publishedAt: v.publishedAt,
    chainSeq,
    prevHash,
  };
  const hash = hashLink({ ...row, number: disclosure.number, category: disclosure.category, period: disclosure.period, periodKey: disclosure.periodKey });
  const created = await tx.disclosureVersion.create({ data: { ...row, hash } });
  await tx.disclosureChainHead.upsert({
    where: { communityId: disclosure.communityId },
    create: { communityId: disclosure.communityId, seq: chainSeq, hash },
    update: { seq: chainSeq, hash },
  });
  return created;
}

/** Runs a chain write, retrying when a concurrent publication took the same chain position. */
async function withChainRetry<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 4) throw err;
    }
  }
}

/** Publishes a new disclosure (committee only). Returns it with its first version. */
export async function publishDisclosure(
  db: Db,
  actor: Actor,
  via: string,
  communityId: string,
  draft: DisclosureDraft,
  now: Date,
): Promise<{ disclosure: Disclosure; version: DisclosureVersion }> {
  requirePermission(actor, 'disclosure.publish', communityId);
  const community = await db.community.findUniqueOrThrow({ where: { id: communityId } });
  if (!isCategoryKey(draft.category) || !communityCategories(community).includes(draft.category)) {
    throw new DomainError('disclosures.unknown_category', { category: draft.category, allowed: communityCategories(community).join(', ') });
  }
  const title = checkTitle(draft.title);
  const period = checkPeriod(draft.period);
  const body = checkContent(draft.body, draft.statement);
  const publishedById = via === 'cli' ? null : actor.personId;
  return withChainRetry(() =>
    db.$transaction(async (tx) => {
      // One publication of a community at a time: the next number and the chain position are read, then written.
      await tx.$queryRaw(rowLockSql(tx, 'Community', communityId));
      const lastNumber = await tx.disclosure.findFirst({ where: { communityId }, orderBy: { number: 'desc' }, select: { number: true } });
      const disclosure = await tx.disclosure.create({
        data: { communityId, number: (lastNumber?.number ?? 0) + 1, category: draft.category, period, periodKey: parsePeriodKey(period), latestVersion: 1, createdAt: now },
      });
      const version = await appendVersion(tx, disclosure, { version: 1, title, body, statement: draft.statement, reason: null, publishedById, publishedVia: via, publishedAt: now });
      await recordAudit(tx, {
        actorId: publishedById,
        via,
        action: 'disclosure.publish',
        communityId,
        targetType: 'disclosure',
        targetId: disclosure.id,
        details: { number: disclosure.number, version: 1, category: disclosure.category, period, hash: version.hash },
      });
      return { disclosure, version };
    }),
  );
}

/** Publishes a correction: a new version with a reason (committee only). */
export async function correctDisclosure(
  db: Db,
  actor: Actor,
  via: string,
  disclosureId: string,
  draft: CorrectionDraft,
  now: Date,
): Promise<{ disclosure: Disclosure; version: DisclosureVersion; previous: DisclosureVersion }> {
  const existing = await db.disclosure.findUnique({ where: { id: disclosureId } });
  if (!existing) throw new DomainError('disclosures.not_found');
  requirePermission(actor, 'disclosure.publish', existing.communityId);
  const reason = draft.reason.replace(/\s+/g, ' ').trim();
  const reasonLength = [...reason].length;
  if (reasonLength < 2 || reasonLength > REASON_MAX) throw new DomainError('disclosures.bad_reason', { max: REASON_MAX });
  const body = checkContent(draft.body, draft.statement);
  const publishedById = via === 'cli' ? null : actor.personId;
  return withChainRetry(() =>
    db.$transaction(async (tx) => {
      await tx.$queryRaw(rowLockSql(tx, 'Community', existing.communityId));
      const disclosure = await tx.disclosure.findUniqueOrThrow({ where: { id: disclosureId } });
      const previous = await tx.disclosureVersion.findFirstOrThrow({ where: { disclosureId }, orderBy: { version: 'desc' } });
      // A ledger is corrected by a ledger: line items whose arithmetic is checked again, never a
      // sentence that replaces the figures residents could check.
      if (previous.statement && !draft.statement) throw new DomainError('disclosures.correction_needs_statement', { number: disclosure.number });
      const title = draft.title ? checkTitle(draft.title) : previous.title;
      const statement = draft.statement ? JSON.stringify(draft.statement) : null;
      if (title === previous.title && body === previous.body && statement === previous.statement) throw new DomainError('disclosures.correction_unchanged');
      const number = previous.version + 1;
      const version = await appendVersion(tx, disclosure, { version: number, title, body, statement: draft.statement, reason, publishedById, publishedVia: via, publishedAt: now });
      const updated = await tx.disclosure.update({ where: { id: disclosureId }, data: { latestVersion: number } });
      await recordAudit(tx, {
        actorId: publishedById,
        via,
        action: 'disclosure.correct',
        communityId: disclosure.communityId,
        targetType: 'disclosure',
        targetId: disclosure.id,
        details: { number: disclosure.number, version: number, reason, hash: version.hash, previousHash: previous.hash },
      });
      return { disclosure: updated, version, previous };
    }),
  );
}

/** A disclosure with all versions, or a refusal. */
export async function getDisclosure(db: Db, id: string): Promise<DisclosureWithVersions> {
  const d = await db.disclosure.findUnique({ where: { id }, include: { versions: { orderBy: { version: 'asc' } } } });
  if (!d || !d.versions.length) throw new DomainError('disclosures.not_found');
  return d;
}

/** A disclosure by its number in a community. */
export async function getDisclosureByNumber(db: Db, communityId: string, number: number): Promise<DisclosureWithVersions> {
  const d = await db.disclosure.findUnique({ where: { communityId_number: { communityId, number } }, include: { versions: { orderBy: { version: 'asc' } } } });
  if (!d || !d.versions.length) throw new DomainError('disclosures.not_found');
  return d;
}

/** The version residents read now. */
export function latestOf(d: DisclosureWithVersions): DisclosureVersion {
  return d.versions[d.versions.length - 1];
}

/** Parses a stored statement. */
export function statementOf(v: DisclosureVersion): Statement | null {
  return v.statement ? (JSON.parse(v.statement) as Statement) : null;
}

/** What a list shows per disclosure. */
export interface ListedDisclosure {
  disclosure: Disclosure;
  latest: DisclosureVersion;
}

/** A filter for listing. */
export interface DisclosureQuery {
  category?: string;
  periodKey?: string;
  /** Substring of the title, body, line items or period label (Chinese works as is). */
  keyword?: string;
  page?: number;
  pageSize?: number;
}

/** Lists a community's disclosures, newest period first, with the current version of each. */
export async function listDisclosures(db: Db, communityId: string, q: DisclosureQuery = {}): Promise<{ items: ListedDisclosure[]; total: number }> {
  const pageSize = q.pageSize ?? 8;
  const page = Math.max(0, q.page ?? 0);
  const where: Prisma.DisclosureWhereInput = { communityId, ...(q.category ? { category: q.category } : {}), ...(q.periodKey ? { periodKey: q.periodKey } : {}) };
  let rows: (Disclosure & { versions: DisclosureVersion[] })[];
  if (q.keyword) {
    const kw = q.keyword.trim();
    // Search every version's text but keep only disclosures whose CURRENT version matches,
    // so corrected-away wording is not found.
    const matches = await db.disclosureVersion.findMany({
      where: {
        communityId,
        disclosure: where,
        OR: [{ title: containsText(db, kw) }, { body: containsText(db, kw) }, { statement: containsText(db, kw) }, { disclosure: { period: containsText(db, kw) } }],
      },
      include: { disclosure: true },
      // Which 500 are read must not depend on the engine's row order.
      orderBy: [{ publishedAt: 'desc' }, { id: 'asc' }],
      take: 500,
    });
    rows = matches
      .filter((v) => v.version === v.disclosure.latestVersion)
      .map((v) => ({ ...v.disclosure, versions: [v] }));
  } else {
    rows = await db.disclosure.findMany({ where, include: { versions: { orderBy: { version: 'desc' }, take: 1 } }, orderBy: [{ periodKey: 'desc' }, { number: 'desc' }], take: 2000 });
  }
  rows = rows.filter((r) => r.versions.length);
  rows.sort((a, b) => (b.periodKey ?? '').localeCompare(a.periodKey ?? '') || b.number - a.number);
  const total = rows.length;
  const items = rows.slice(page * pageSize, page * pageSize + pageSize).map(({ versions, ...disclosure }) => ({ disclosure, latest: versions[0] }));
  return { items, total };
}

/** Versions (new disclosures and corrections) published in a window, for the digest. */
export async function versionsPublishedBetween(db: Db, communityId: string, from: Date, to: Date) {
  return db.disclosureVersion.findMany({
    where: { communityId, publishedAt: { gte: from, lt: to } },
    include: { disclosure: true },
    orderBy: { publishedAt: 'asc' },
  });
}

/**
 * The chain head as it stood at the end of a window (the digest's week): the newest link
 * published before `to`, so a digest built late still names the head of its own week.
 */
export async function chainHead(db: Db, communityId: string, to: Date): Promise<{ hash: string; seq: number } | null> {
  const last = await db.disclosureVersion.findFirst({ where: { communityId, publishedAt: { lt: to } }, orderBy: { chainSeq: 'desc' }, select: { hash: true, chainSeq: true } });
  return last ? { hash: last.hash, seq: last.chainSeq } : null;
}
