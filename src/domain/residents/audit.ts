/**
 * The audit log: an append-only record of every privileged action. There is deliberately no
 * update or delete here; staff read it with `linli audit`.
 */
import type { Db } from '../../db/client.ts';

/** One privileged action to record. */
export interface AuditRecord {
  actorId: string | null;
  via: string;
  action: string;
  communityId?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

/** Anything with Prisma's auditEntry delegate: the client or a transaction. */
type AuditDb = Pick<Db, 'auditEntry'>;

/** Appends an entry. Call it inside the same transaction as the action where there is one. */
export async function recordAudit(db: AuditDb, entry: AuditRecord): Promise<void> {
  await db.auditEntry.create({
    data: {
      actorId: entry.actorId,
      via: entry.via,
      action: entry.action,
      communityId: entry.communityId ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    },
  });
}

/** Appends several entries in one statement (a batch of paper ballots: one entry per ballot). */
export async function recordAudits(db: AuditDb, entries: AuditRecord[]): Promise<void> {
  if (!entries.length) return;
  await db.auditEntry.createMany({
    data: entries.map((entry) => ({
      actorId: entry.actorId,
      via: entry.via,
      action: entry.action,
      communityId: entry.communityId ?? null,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    })),
  });
}

/** Reads entries, newest last, for `linli audit`. */
export async function listAudit(db: Db, filter: { communityId?: string; since?: Date; limit?: number }) {
  return db.auditEntry.findMany({
    where: { communityId: filter.communityId, at: filter.since ? { gte: filter.since } : undefined },
    orderBy: { at: 'asc' },
    take: filter.limit ?? 10_000,
  });
}
