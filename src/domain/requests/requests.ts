/**
 * What residents and the committee do with a request: raise it, assign it to a person or refer
 * it to an outside unit, answer it, close it, rate the answer. Every function checks who acts
 * (src/domain/requests/access.ts) against the request's own community, moves the status only
 * through the table in states.ts and only if nobody moved it meanwhile, and writes the step and
 * an audit entry in the same transaction. Notices go out from the chat layer afterwards.
 */
import type { Db, Prisma } from '../../db/client.ts';
import { isUniqueViolation } from '../../db/client.ts';
import type { ResidentRequest } from '../../generated/prisma/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit } from '../residents/audit.ts';
import type { Actor } from '../residents/roles.ts';
import { isAssignee, isRequester, requireAnswer, requireAssignable, requireHandle } from './access.ts';
import { cleanText, dueAt, MAX_LOCATION, MAX_REPLY, MAX_TEXT, MAX_UNIT, MIN_TEXT, MIN_UNIT, MAX_PHOTO_BYTES, requestRules } from './rules.ts';
import { isCategory, isSatisfaction, stepTarget, type RequestStatus, type StepKind } from './states.ts';

type Tx = Prisma.TransactionClient;

/** A person acting through a platform, at a moment. */
export interface Acting {
  actor: Actor;
  via: string;
  now: Date;
}

/** Requests arrive one at a time; the options only make a burst wait instead of failing. */
const TX_OPTIONS = { maxWait: 30_000, timeout: 20_000 } as const;

/** The same words from the same person this soon again are a repeated tap, not a new request. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;

/** What the /report scene collected. */
export interface RequestDraft {
  category: string;
  text: string;
  photo?: { data: Uint8Array; name: string } | null;
  location?: string | null;
}

/** Loads a request or refuses with "no such request". */
export async function loadRequest(db: Db | Tx, id: string): Promise<ResidentRequest> {
  const r = await db.residentRequest.findUnique({ where: { id } });
  if (!r) throw new DomainError('requests.errors.not_found');
  return r;
}

function withRequest<T>(db: Db, id: string, fn: (tx: Tx, r: ResidentRequest) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => fn(tx, await loadRequest(tx, id)), TX_OPTIONS);
}

/** Records one step: the event row and the audit entry. */
async function record(tx: Tx, r: ResidentRequest, acting: Acting | { system: true; now: Date }, kind: string, from: string | null, to: string, note: string | null, details: Record<string, unknown> = {}) {
  const actorId = 'actor' in acting ? acting.actor.personId : null;
  const at = acting.now;
  await tx.residentRequestEvent.create({ data: { requestId: r.id, fromStatus: from, toStatus: to, kind, actorId, note, at } });
  await recordAudit(tx, {
    actorId,
    via: 'via' in acting ? acting.via : 'system',
    action: `request.${kind}`,
    communityId: r.communityId,
    targetType: 'request',
    targetId: r.id,
    // Never the resident's words: the audit log is read by staff, who do not see requests.
    details: { number: r.number, from, to, ...details },
  });
}

/** Moves a request by one step, only from the status it had when loaded. */
async function step(tx: Tx, r: ResidentRequest, kind: StepKind, acting: Acting, data: Prisma.ResidentRequestUpdateManyMutationInput, note: string | null, details?: Record<string, unknown>): Promise<ResidentRequest> {
  const to = stepTarget(kind, r.status, r.number);
  const { count } = await tx.residentRequest.updateMany({ where: { id: r.id, status: r.status }, data: { ...data, status: to } });
  if (count !== 1) throw new DomainError('requests.errors.moved_meanwhile', { number: r.number });
  await record(tx, r, acting, kind, r.status, to, note, details);
  return tx.residentRequest.findUniqueOrThrow({ where: { id: r.id } });
}

/**
 * Raises a request. Anyone Linli knows may (verified or not): the seeds want every resident's
 * voice heard, not only the registered households'. Numbered per community; due after the
 * category's working days.
 */
export async function raiseRequest(db: Db, acting: Acting, communityId: string, draft: RequestDraft, timeZone: string): Promise<ResidentRequest> {
  if (!isCategory(draft.category)) throw new DomainError('requests.errors.unknown_category');
  const text = cleanText(draft.text, 'text', MIN_TEXT, MAX_TEXT);
  const location = draft.location?.trim() ? cleanText(draft.location, 'location', 1, MAX_LOCATION) : null;
  if (draft.photo && draft.photo.data.byteLength > MAX_PHOTO_BYTES) throw new DomainError('requests.errors.photo_too_large', { mb: MAX_PHOTO_BYTES / 1024 / 1024 });
  const rules = await requestRules(db, communityId);
  const due = dueAt(rules, draft.category, acting.now, timeZone);
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction(async (tx) => {
        const recent = await tx.residentRequest.findFirst({
          where: { communityId, requesterId: acting.actor.personId, text, createdAt: { gte: new Date(acting.now.getTime() - DUPLICATE_WINDOW_MS) } },
          select: { number: true },
        });
        if (recent) throw new DomainError('requests.errors.duplicate', { number: recent.number });
        const last = await tx.residentRequest.findFirst({ where: { communityId }, orderBy: { number: 'desc' }, select: { number: true } });
        const r = await tx.residentRequest.create({
          data: {
            communityId,
            number: (last?.number ?? 0) + 1,
            requesterId: acting.actor.personId,
            category: draft.category,
            text,
            photo: draft.photo ? Buffer.from(draft.photo.data) : null,
            photoName: draft.photo?.name ?? null,
            location,
            status: 'received',
            dueAt: due,
            createdAt: acting.now,
          },
        });
        await record(tx, r, acting, 'raise', null, 'received', null, { category: r.category, photo: Boolean(draft.photo), dueAt: due.toISOString() });
        return r;
      }, TX_OPTIONS);
    } catch (err) {
      // Two requests of one community numbered at the same moment: take the next number.
      if (isUniqueViolation(err) && attempt < 5) continue;
      throw err;
    }
  }
}

/** Assigns a request to a committee member or 楼栋长 of its community (or reassigns it). */
export async function assignRequest(db: Db, acting: Acting, id: string, personId: string): Promise<ResidentRequest> {
  return withRequest(db, id, async (tx, r) => {
    requireHandle(acting.actor, r);
    if (r.assigneeKind === 'person' && r.assigneeId === personId && r.status === 'assigned') throw new DomainError('requests.errors.already_assigned', { number: r.number });
    await requireAssignable(tx, r.communityId, personId);
    return step(tx, r, 'assign', acting, { assigneeKind: 'person', assigneeId: personId, unitName: null, assignedAt: acting.now, remindedAt: null }, null, { assigneeId: personId });
  });
}

/** Refers a request to an outside unit (物业服务中心, 12345热线…), named as the committee knows it. */
export async function referRequest(db: Db, acting: Acting, id: string, unitName: string): Promise<ResidentRequest> {
  const unit = cleanText(unitName, 'unit', MIN_UNIT, MAX_UNIT);
  return withRequest(db, id, async (tx, r) => {
    requireHandle(acting.actor, r);
    if (r.assigneeKind === 'unit' && r.unitName === unit && r.status === 'assigned') throw new DomainError('requests.errors.already_referred', { number: r.number, unit });
    return step(tx, r, 'refer', acting, { assigneeKind: 'unit', assigneeId: null, unitName: unit, assignedAt: acting.now, remindedAt: null }, unit, { unit });
  });
}

/** Answers a request (the committee, or the person it was assigned to). */
export async function replyRequest(db: Db, acting: Acting, id: string, reply: string): Promise<ResidentRequest> {
  const text = cleanText(reply, 'reply', 2, MAX_REPLY);
  return withRequest(db, id, async (tx, r) => {
    requireAnswer(acting.actor, r);
    return step(tx, r, 'reply', acting, { reply: text, repliedAt: acting.now }, null, { onTime: acting.now <= r.dueAt, by: isAssignee(acting.actor, r) ? 'assignee' : 'committee' });
  });
}

/** Closes an answered request without waiting for the resident's rating (the committee). */
export async function closeRequest(db: Db, acting: Acting, id: string): Promise<ResidentRequest> {
  return withRequest(db, id, async (tx, r) => {
    requireHandle(acting.actor, r);
    return step(tx, r, 'close', acting, { closedAt: acting.now }, null);
  });
}

/**
 * The resident rates the answer with one tap; an answered request closes with it. A request the
 * committee closed before the rating can still be rated once; a second tap is refused.
 */
export async function rateRequest(db: Db, acting: Acting, id: string, satisfaction: string): Promise<ResidentRequest> {
  if (!isSatisfaction(satisfaction)) throw new DomainError('requests.errors.bad_rating');
  return withRequest(db, id, async (tx, r) => {
    if (!isRequester(acting.actor, r)) throw new DomainError('requests.errors.not_your_request');
    if (r.satisfaction) throw new DomainError('requests.errors.already_rated', { number: r.number });
    if (r.status === 'closed') {
      const { count } = await tx.residentRequest.updateMany({ where: { id: r.id, satisfaction: null }, data: { satisfaction, ratedAt: acting.now } });
      if (count !== 1) throw new DomainError('requests.errors.already_rated', { number: r.number });
      await record(tx, r, acting, 'rate', 'closed', 'closed', null, { satisfaction });
      return tx.residentRequest.findUniqueOrThrow({ where: { id: r.id } });
    }
    if (r.status !== 'replied') throw new DomainError('requests.errors.not_replied_yet', { number: r.number });
    return step(tx, r, 'close', acting, { closedAt: acting.now, satisfaction, ratedAt: acting.now }, null, { satisfaction });
  });
}

/** Notes a reminder or an escalation on the request, once each (the deadline job). */
export async function markDeadlineStep(db: Db, id: string, kind: 'remind' | 'escalate', now: Date): Promise<ResidentRequest | null> {
  return db.$transaction(async (tx) => {
    const field = kind === 'remind' ? 'remindedAt' : 'escalatedAt';
    const { count } = await tx.residentRequest.updateMany({ where: { id, [field]: null, status: { in: ['received', 'assigned'] } }, data: { [field]: now } });
    if (count !== 1) return null;
    const r = await tx.residentRequest.findUniqueOrThrow({ where: { id } });
    await record(tx, r, { system: true, now }, kind, r.status, r.status, null, { dueAt: r.dueAt.toISOString() });
    return r;
  }, TX_OPTIONS);
}

/** The statuses a request has been through, for the resident's progress view. */
export function history(db: Db, id: string) {
  return db.residentRequestEvent.findMany({ where: { requestId: id }, orderBy: { at: 'asc' } });
}

export type { RequestStatus };
