/**
 * The dashboard's chain check without recomputing every hash on every load. Recomputing reads and
 * hashes every version of a community's disclosures; the dashboard is opened far more often than
 * anything is published. A check is reused while the chain's fingerprint — how many versions
 * and disclosures there are and the newest link — is unchanged, so a publication or a correction
 * (each a new version, from any process) makes the next load check afresh. A row changed behind
 * Linli's back keeps its fingerprint, so a kept check also ages out (`maxAgeMs`): tampering
 * still shows within minutes, and the 居务公开 page and `linli disclosures verify` always check
 * afresh.
 *
 * One per bot, on Services (no module-level state); `invalidate` is for callers in the same
 * process that know they just changed the chain.
 */
import type { Db } from '../../db/client.ts';
import { verifyChain, type ChainReport } from './chain.ts';

/** How long a kept check may be reused while nothing was published. */
export const CHAIN_CHECK_MAX_AGE_MS = 5 * 60_000;

interface Entry {
  fingerprint: string;
  report: ChainReport | undefined;
  checkedAt: number;
}

/** Kept chain checks per community. */
export class ChainCheckCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
    private readonly maxAgeMs = CHAIN_CHECK_MAX_AGE_MS,
  ) {}

  /** The community's chain report, from a kept check when nothing was published since. */
  async check(communityId: string): Promise<ChainReport | undefined> {
    const fingerprint = await this.fingerprint(communityId);
    const now = this.clock().getTime();
    const kept = this.entries.get(communityId);
    if (kept && kept.fingerprint === fingerprint && now - kept.checkedAt < this.maxAgeMs) return kept.report;
    const [report] = await verifyChain(this.db, communityId);
    this.entries.set(communityId, { fingerprint, report, checkedAt: now });
    return report;
  }

  /** Forgets the kept check of a community (after publishing or correcting in this process). */
  invalidate(communityId: string): void {
    this.entries.delete(communityId);
  }

  /** Cheap: two aggregate queries on indexed columns, no hashing. */
  private async fingerprint(communityId: string): Promise<string> {
    const [versions, disclosures] = await Promise.all([
      this.db.disclosureVersion.aggregate({ where: { communityId }, _count: { _all: true }, _max: { chainSeq: true, publishedAt: true } }),
      this.db.disclosure.count({ where: { communityId } }),
    ]);
    return [versions._count._all, versions._max.chainSeq ?? 0, versions._max.publishedAt?.getTime() ?? 0, disclosures].join(':');
  }
}
