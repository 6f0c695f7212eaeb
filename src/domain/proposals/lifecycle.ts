/**
 * Moves a proposal through its lifecycle. Every move goes through `move`, which checks the
 * transition table (states.ts), changes the status only if nobody moved it meanwhile, and
 * writes a ProposalEvent (time, actor, reason) and an audit entry in the same transaction.
 */
import { DomainError } from '../errors.ts';
import type { Db, Prisma } from '../../db/client.ts';
import type { Proposal } from '../../generated/prisma/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { can, requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { findTransition, RECUSED_MOVES, TRANSITIONS, type Mover, type ProposalStatus } from './states.ts';

/** A transaction client. */
export type Tx = Prisma.TransactionClient;

/** Who makes a move: a person (checked against the table and the permissions) or the system. */
export type MoveBy =
  | { kind: 'person'; actor: Actor; via: string }
  | { kind: 'system'; mover: Extract<Mover, `system:${string}`>; via?: string };

/** Options of interactive transactions: seconds arrive in bursts and queue for SQLite's one writer. */
export const TX_OPTIONS = { maxWait: 60_000, timeout: 30_000 } as const;

/** What a move did. */
export interface MoveResult {
  proposal: Proposal;
  from: ProposalStatus;
  to: ProposalStatus;
}

/** The mover a person acts as for this move, or a localized refusal (missing role). */
export function moverFor(by: MoveBy, proposal: Pick<Proposal, 'authorId' | 'communityId' | 'status'>, to: ProposalStatus): Mover {
  if (by.kind === 'system') return by.mover;
  const rows = TRANSITIONS.filter((x) => x.from === proposal.status && x.to === to);
  for (const row of rows) {
    if (row.by === 'author' && proposal.authorId && proposal.authorId === by.actor.personId) return 'author';
    if (row.by !== 'author' && !row.by.startsWith('system:') && can(by.actor, row.by as never, proposal.communityId)) return row.by;
  }
  const permissionRow = rows.find((x) => x.by !== 'author' && !x.by.startsWith('system:'));
  if (permissionRow) requirePermission(by.actor, permissionRow.by as never, proposal.communityId);
  // No row a person can make (or none at all): findTransition says which.
  return rows.find((x) => x.by === 'author') ? 'author' : 'proposal.review';
}

/**
 * Makes one move inside a transaction. `data` is written with the status (e.g. the poll id).
 * Refuses with a DomainError when the table does not allow it or the status changed meanwhile.
 */
export async function move(
  tx: Tx,
  proposal: Proposal,
  to: ProposalStatus,
  by: MoveBy,
  opts: { reason?: string | null; now: Date; data?: Prisma.ProposalUpdateManyMutationInput; details?: Record<string, unknown> },
): Promise<MoveResult> {
  const from = proposal.status as ProposalStatus;
  const mover = moverFor(by, proposal, to);
  findTransition(from, to, mover, opts.reason);
  if (by.kind === 'person' && mover !== 'author' && isRecused(by.actor, proposal, to)) throw new DomainError('proposals.recused', { number: proposal.number });
  const reason = opts.reason?.trim() || null;
  const { count } = await tx.proposal.updateMany({
    where: { id: proposal.id, status: from },
    data: { ...opts.data, status: to, statusReason: reason ?? (opts.data?.statusReason as string | null | undefined) ?? null },
  });
  if (count !== 1) throw new DomainError('proposals.moved_meanwhile');
  const actorId = by.kind === 'person' ? by.actor.personId : null;
  const at = opts.now;
  await tx.proposalEvent.create({ data: { proposalId: proposal.id, fromStatus: from, toStatus: to, actorId, reason, at } });
  await recordAudit(tx, {
    actorId,
    via: by.kind === 'person' ? by.via : (by.via ?? 'system'),
    action: `proposal.${to}`,
    communityId: proposal.communityId,
    targetType: 'proposal',
    targetId: proposal.id,
    details: { number: proposal.number, from, to, mover, ...(reason ? { reason } : {}), ...opts.details },
  });
  const updated = await tx.proposal.findUniqueOrThrow({ where: { id: proposal.id } });
  return { proposal: updated, from, to };
}

/** True when the person wrote the proposal and the move is one of the committee's deliberation. */
export function isRecused(actor: Actor, proposal: Pick<Proposal, 'authorId'>, to: ProposalStatus): boolean {
  return RECUSED_MOVES.has(to) && !!proposal.authorId && proposal.authorId === actor.personId;
}

/** Loads a proposal or refuses with "no such proposal". */
export async function loadProposal(db: Db | Tx, id: string): Promise<Proposal> {
  const proposal = await db.proposal.findUnique({ where: { id } });
  if (!proposal) throw new DomainError('proposals.not_found');
  return proposal;
}

/** Runs `fn` in a transaction with the proposal freshly loaded inside it. */
export function withProposal<T>(db: Db, id: string, fn: (tx: Tx, proposal: Proposal) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => fn(tx, await loadProposal(tx, id)), TX_OPTIONS);
}
