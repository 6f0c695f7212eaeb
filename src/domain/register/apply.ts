/**
 * Applies a previewed import in one transaction. It updates and adds, and never deletes: a
 * household the new file no longer lists becomes inactive and keeps its ballots and its
 * verified members (it just stops counting in the electorate); its unused slips are withdrawn so
 * a slip left in an empty flat verifies nobody. The plan is computed again inside the
 * transaction and must match the fingerprint of the preview the committee member confirmed.
 */
import { DomainError } from '../errors.ts';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { insertMany } from './bulkInsert.ts';
import { loadStoredRegister, planAgainst, type ImportPlan } from './plan.ts';
import type { RegisterFacts, RegisterRow } from './table.ts';

/** What an import did. */
export interface ImportResult {
  plan: ImportPlan;
  /** Unused slip codes withdrawn because their household left the register. */
  revokedSlips: number;
}

/** Rows per INSERT: well under SQLite's limit of bound parameters. */
const CHUNK = 500;
/** A 20,000-row import takes a few seconds; the default 5 s transaction limit is too tight. */
const TRANSACTION_TIMEOUT_MS = 120_000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Imports register rows into a community. `expectedFingerprint` is the preview's; when the
 * stored register changed since (another import, a redemption that created a household), the
 * import is refused so the committee member can look at the new preview first.
 */
export async function applyImport(
  db: Db,
  actor: Actor,
  via: string,
  communityId: string,
  input: { rows: RegisterRow[]; facts: RegisterFacts; expectedFingerprint?: string | null; fileName?: string },
  now: Date,
): Promise<ImportResult> {
  requirePermission(actor, 'register.import', communityId);
  return db.$transaction(
    async (tx) => {
      const stored = await loadStoredRegister(tx, communityId);
      const plan = planAgainst(communityId, stored, input.rows, input.facts);
      if (input.expectedFingerprint && plan.fingerprint !== input.expectedFingerprint) throw new DomainError('register.changed_since_preview');

      if (plan.newBuildings.length) await tx.building.createMany({ data: plan.newBuildings.map((name) => ({ communityId, name, createdAt: now })) });
      if (plan.newGroups.length) await tx.residentGroup.createMany({ data: plan.newGroups.map((name) => ({ communityId, name, createdAt: now })) });
      const buildings = plan.newBuildings.length ? new Map((await tx.building.findMany({ where: { communityId }, select: { id: true, name: true } })).map((b) => [b.name, b.id])) : stored.buildings;
      const groups = plan.newGroups.length ? new Map((await tx.residentGroup.findMany({ where: { communityId }, select: { id: true, name: true } })).map((g) => [g.name, g.id])) : stored.groups;
      const groupId = (name: string | null) => (name ? (groups.get(name) ?? null) : null);

      await insertMany(
        tx,
        'Household',
        plan.added.map((r) => ({
          communityId,
          unit: r.unit,
          buildingId: buildings.get(r.building) ?? null,
          groupId: input.facts.group ? groupId(r.group) : null,
          residents: input.facts.residents ? r.residents : null,
          kind: input.facts.kind ? r.kind : null,
          headName: input.facts.head ? r.headName : null,
          active: true,
          inRegister: true,
          importedAt: now,
          createdAt: now,
        })),
      );
      for (const c of plan.changed) {
        await tx.household.update({
          where: { id: c.id },
          data: {
            buildingId: buildings.get(c.row.building) ?? null,
            ...(input.facts.group ? { groupId: groupId(c.row.group) } : {}),
            ...(input.facts.residents ? { residents: c.row.residents } : {}),
            ...(input.facts.kind ? { kind: c.row.kind } : {}),
            ...(input.facts.head ? { headName: c.row.headName } : {}),
            active: true,
            inRegister: true,
            importedAt: now,
            deactivatedAt: null,
          },
        });
      }
      // Unchanged households were listed too: their importedAt says so.
      const listed = new Set(input.rows.map((r) => r.unit));
      const touched = new Set(plan.changed.map((c) => c.id));
      const stillListed = stored.households.filter((h) => listed.has(h.unit) && !touched.has(h.id)).map((h) => h.id);
      for (const part of chunks(stillListed)) await tx.household.updateMany({ where: { id: { in: part } }, data: { importedAt: now } });

      let revokedSlips = 0;
      for (const part of chunks(plan.missing.map((m) => m.id))) {
        await tx.household.updateMany({ where: { id: { in: part } }, data: { active: false, deactivatedAt: now } });
        const { count } = await tx.verificationCode.updateMany({ where: { householdId: { in: part }, redeemedAt: null, revokedAt: null }, data: { revokedAt: now } });
        revokedSlips += count;
      }
      await recordAudit(tx, {
        actorId: actor.personId,
        via,
        action: 'register.import',
        communityId,
        targetType: 'community',
        targetId: communityId,
        // Counts only: units and names stay out of the audit log.
        details: {
          file: input.fileName ?? null,
          rows: input.rows.length,
          added: plan.added.length,
          changed: plan.changed.length,
          unchanged: plan.unchanged,
          deactivated: plan.missing.length,
          revokedSlips,
          fingerprint: plan.fingerprint,
        },
      });
      return { plan, revokedSlips };
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
  );
}
