/**
 * The tamper-evident history of a community's disclosures. Each version is a link: its hash is
 * sha256 over a canonical serialization of what residents read (title, body, statement,
 * category, period, number, version, reason, who and when) and of the previous link's hash.
 * Changing any published word, deleting a version or reordering versions breaks the chain;
 * `verifyChain` recomputes it and names the first broken record.
 *
 * Residents see one code, the head code (防篡改校验码, headCode below), on every disclosure, notice
 * and digest: a version's own code is the chain's head at the moment it was published, so the code
 * a notice posted can be checked later (`linli disclosure verify --head`), and a rewritten chain
 * would disagree with what the groups still have in their history.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.ts';

/** Version of the serialization; bump it (and keep the old one) if fields are ever added. */
export const CHAIN_SCHEME = 1;

/** What a link's hash covers. */
export interface LinkContent {
  communityId: string;
  disclosureId: string;
  number: number;
  category: string;
  period: string;
  periodKey: string | null;
  version: number;
  title: string;
  body: string;
  format: string;
  statement: string | null;
  reason: string | null;
  publishedById: string | null;
  publishedVia: string;
  publishedAt: Date;
  chainSeq: number;
  prevHash: string;
}

/**
 * A canonical serialization: a JSON array of the fields in a fixed order, so the same content
 * always gives the same bytes (object key order and whitespace never matter).
 */
export function canonicalize(c: LinkContent): string {
  return JSON.stringify([
    CHAIN_SCHEME,
    c.communityId,
    c.disclosureId,
    c.number,
    c.category,
    c.period,
    c.periodKey,
    c.version,
    c.title,
    c.body,
    c.format,
    c.statement,
    c.reason,
    c.publishedById,
    c.publishedVia,
    c.publishedAt.toISOString(),
    c.chainSeq,
    c.prevHash,
  ]);
}

/** The hash of a link (hex). */
export function hashLink(c: LinkContent): string {
  return createHash('sha256').update(canonicalize(c), 'utf8').digest('hex');
}

/** Hex characters of the head code (防篡改校验码) posted in the groups: 48 bits. */
export const HEAD_CODE_HEX = 12;

/**
 * The head code residents keep in their chat history: the first HEAD_CODE_HEX hex characters of
 * a chain head, in groups of four so it can be read aloud and compared by eye ("3f9a 1c07 b2e4").
 */
export function headCode(hash: string): string {
  return (hash.slice(0, HEAD_CODE_HEX).match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * Reads a head code as someone copied it from a chat (spaces, dashes, full-width or upper-case
 * characters); null when it is not HEAD_CODE_HEX to 64 hex characters.
 */
export function parseHeadCode(input: string): string | null {
  // Whatever precedes a colon is the label copied with it ("防篡改校验码：3f9a 1c07 b2e4").
  const hex = (input.normalize('NFKC').split(/[:：]/).pop() ?? '').toLowerCase().replace(/[\s\-_]/g, '');
  return /^[0-9a-f]+$/.test(hex) && hex.length >= HEAD_CODE_HEX && hex.length <= 64 ? hex : null;
}

/** Something wrong with a community's chain. */
export interface ChainProblem {
  communityId: string;
  slug: string;
  /** gap: a version is missing; link: prevHash does not match; hash: content changed;
   *  head: the newest link was removed or replaced; latest: a disclosure's current version is wrong;
   *  orphan: a disclosure has no version; audit: no audit entry records this hash (the chain
   *  was recomputed after a change); missing: the audit log records a publication whose
   *  version is not in the chain (deleted, with the head rolled back or everything removed). */
  kind: 'gap' | 'link' | 'hash' | 'head' | 'latest' | 'orphan' | 'audit' | 'missing';
  disclosureNumber?: number;
  version?: number;
  versionId?: string;
  chainSeq?: number;
  /** For `missing`: the hash the audit log recorded. */
  auditHash?: string;
}

/** The result of verifying one community. */
export interface ChainReport {
  communityId: string;
  slug: string;
  links: number;
  headHash: string | null;
  problems: ChainProblem[];
}

/** Recomputes the chains of one community (by id) or all; never writes. */
export async function verifyChain(db: Db, communityId?: string): Promise<ChainReport[]> {
  const communities = await db.community.findMany({ where: communityId ? { id: communityId } : {}, orderBy: { slug: 'asc' } });
  const reports: ChainReport[] = [];
  for (const community of communities) {
    const problems: ChainProblem[] = [];
    const base = { communityId: community.id, slug: community.slug };
    const links = await db.disclosureVersion.findMany({ where: { communityId: community.id }, orderBy: { chainSeq: 'asc' } });
    const disclosures = await db.disclosure.findMany({ where: { communityId: community.id } });
    const byId = new Map(disclosures.map((d) => [d.id, d]));
    // Each publication's audit entry (written in the same transaction) records its hash: a
    // chain rewritten from a changed version onwards, with fresh hashes, disagrees with it.
    const audited = await auditedPublications(db, community.id);
    const auditedHashes = new Set(audited.map((a) => a.hash));
    let prevHash = '';
    let expectedSeq = 1;
    for (const link of links) {
      const d = byId.get(link.disclosureId);
      const where = { disclosureNumber: d?.number, version: link.version, versionId: link.id, chainSeq: link.chainSeq };
      if (link.chainSeq !== expectedSeq) problems.push({ ...base, kind: 'gap', ...where });
      if (link.prevHash !== prevHash) problems.push({ ...base, kind: 'link', ...where });
      const recomputed = d
        ? hashLink({
            communityId: link.communityId,
            disclosureId: d.id,
            number: d.number,
            category: d.category,
            period: d.period,
            periodKey: d.periodKey,
            version: link.version,
            title: link.title,
            body: link.body,
            format: link.format,
            statement: link.statement,
            reason: link.reason,
            publishedById: link.publishedById,
            publishedVia: link.publishedVia,
            publishedAt: link.publishedAt,
            chainSeq: link.chainSeq,
            prevHash: link.prevHash,
          })
        : null;
      if (recomputed !== link.hash) problems.push({ ...base, kind: 'hash', ...where });
      else if (!auditedHashes.has(link.hash)) problems.push({ ...base, kind: 'audit', ...where });
      prevHash = link.hash;
      expectedSeq = link.chainSeq + 1;
    }
    const head = await db.disclosureChainHead.findUnique({ where: { communityId: community.id } });
    const last = links[links.length - 1];
    if ((head || last) && (head?.hash !== last?.hash || head?.seq !== last?.chainSeq)) {
      problems.push({ ...base, kind: 'head', chainSeq: head?.seq, versionId: last?.id, disclosureNumber: last ? byId.get(last.disclosureId)?.number : undefined, version: last?.version });
    }
    // Every publication the audit log recorded must still be in the chain: deleting the newest
    // versions and rolling the head back, or deleting every disclosure, leaves a chain that is
    // consistent in itself but shorter than what was published.
    const chained = new Set(links.map((l) => l.hash));
    for (const a of audited) {
      if (!chained.has(a.hash)) problems.push({ ...base, kind: 'missing', disclosureNumber: a.number, version: a.version, auditHash: a.hash });
    }
    for (const d of disclosures) {
      const versions = links.filter((l) => l.disclosureId === d.id).map((l) => l.version);
      if (!versions.length) problems.push({ ...base, kind: 'orphan', disclosureNumber: d.number });
      else if (Math.max(...versions) !== d.latestVersion) problems.push({ ...base, kind: 'latest', disclosureNumber: d.number, version: d.latestVersion });
    }
    reports.push({ communityId: community.id, slug: community.slug, links: links.length, headHash: head?.hash ?? null, problems });
  }
  return reports;
}

/** A publication as its audit entry (written in the same transaction) recorded it. */
interface AuditedPublication {
  number?: number;
  version?: number;
  hash: string;
}

/** The publications and corrections of a community that the audit log recorded with a hash. */
async function auditedPublications(db: Db, communityId: string): Promise<AuditedPublication[]> {
  const rows = await db.auditEntry.findMany({
    where: { communityId, action: { in: ['disclosure.publish', 'disclosure.correct'] } },
    select: { details: true },
    orderBy: { at: 'asc' },
  });
  const out: AuditedPublication[] = [];
  for (const r of rows) {
    let details: { number?: unknown; version?: unknown; hash?: unknown } = {};
    try {
      details = r.details ? (JSON.parse(r.details) as typeof details) : {};
    } catch {
      continue;
    }
    if (typeof details.hash !== 'string' || !details.hash) continue;
    out.push({ hash: details.hash, number: typeof details.number === 'number' ? details.number : undefined, version: typeof details.version === 'number' ? details.version : undefined });
  }
  return out;
}

/** What `--head` found: whether a posted head is still in the chain, with intact history up to it. */
export interface HeadCheck {
  /** found: in the chain and every link up to it verifies; broken: in the chain but a link at
   *  or before it fails; absent: no link of today's chain has this hash. */
  status: 'found' | 'broken' | 'absent';
  chainSeq?: number;
  disclosureNumber?: number;
  version?: number;
  publishedAt?: Date;
  /** Versions published after the posted head. */
  later?: number;
}

/**
 * Whether today's chain still contains a head that was posted (a code from a group notice or a
 * digest, short form accepted). Each link's hash covers the one before it, so finding the posted
 * hash with every earlier link intact proves the history up to that point is the one residents saw.
 */
export async function checkPostedHead(db: Db, communityId: string, code: string): Promise<HeadCheck> {
  const links = await db.disclosureVersion.findMany({ where: { communityId }, orderBy: { chainSeq: 'asc' }, include: { disclosure: true } });
  const at = links.findIndex((l) => l.hash.startsWith(code));
  if (at < 0) return { status: 'absent' };
  const link = links[at];
  const [report] = await verifyChain(db, communityId);
  const broken = report.problems.some((p) => ['gap', 'link', 'hash', 'audit'].includes(p.kind) && p.chainSeq !== undefined && p.chainSeq <= link.chainSeq);
  return {
    status: broken ? 'broken' : 'found',
    chainSeq: link.chainSeq,
    disclosureNumber: link.disclosure.number,
    version: link.version,
    publishedAt: link.publishedAt,
    later: links.length - at - 1,
  };
}
