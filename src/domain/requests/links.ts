/**
 * Where a request can lead beyond an answer: a 民生微实事 proposal (when a broken light is
 * really a project for the whole building) or an item on a council meeting's agenda. Both are
 * linked both ways: the request keeps the proposal's or meeting's id, and the proposal's or
 * meeting's side finds the request by it (requestForProposal, or the agenda item's refId).
 */
import type { Db } from '../../db/client.ts';
import { DomainError } from '../errors.ts';
import { submitProposal } from '../proposals/proposals.ts';
import { communityCategories, MAX_LOCATION as MAX_PROPOSAL_LOCATION, MAX_TITLE, MIN_DESCRIPTION, MIN_TITLE } from '../proposals/rules.ts';
import { recordAudit } from '../residents/audit.ts';
import { isRequester, requireHandle } from './access.ts';
import { loadRequest, type Acting } from './requests.ts';
import type { RequestCategory } from './states.ts';

/** The proposal category closest to each request category (the community's own list decides). */
const PROPOSAL_CATEGORY: Record<RequestCategory, string> = {
  repair: 'facilities',
  sanitation: 'environment',
  safety: 'safety',
  dispute: 'other',
  policy: 'other',
  other: 'other',
};

/** A proposal title from the request's first clause, within the proposal's limits. */
export function titleFrom(text: string): string {
  const chars = (s: string) => [...s];
  const first = text.split(/[。！？!?；;\n]/)[0].trim();
  const pick = chars(first).length >= MIN_TITLE ? first : text.trim();
  return chars(pick).slice(0, MAX_TITLE).join('');
}

/**
 * The resident turns their own request into a 民生微实事 proposal. It is their decision alone:
 * a request is private, a proposal is published to the groups under their name. The proposals
 * domain checks that they are a verified resident and applies its own rules.
 */
export async function raiseToProposal(db: Db, acting: Acting, requestId: string, opts: { authorName: string; fallbackLocation: string }) {
  const r = await loadRequest(db, requestId);
  if (!isRequester(acting.actor, r)) throw new DomainError('requests.errors.not_your_request');
  if (r.proposalId) {
    const p = await db.proposal.findUnique({ where: { id: r.proposalId }, select: { number: true } });
    throw new DomainError('requests.errors.already_proposal', { number: r.number, proposal: p?.number ?? '?' });
  }
  if ([...r.text].length < MIN_DESCRIPTION) throw new DomainError('requests.errors.too_short_for_proposal', { min: MIN_DESCRIPTION });
  const community = await db.community.findUniqueOrThrow({ where: { id: r.communityId } });
  const categories = communityCategories(community);
  const wanted = PROPOSAL_CATEGORY[r.category as RequestCategory] ?? 'other';
  const category = categories.includes(wanted) ? wanted : categories.includes('other') ? 'other' : categories[0];
  const location = [...(r.location ?? opts.fallbackLocation)].slice(0, MAX_PROPOSAL_LOCATION).join('');
  const submitted = await submitProposal(db, acting, r.communityId, opts.authorName, { title: titleFrom(r.text), category, description: r.text, location, costYuan: null, photos: [] });
  const { count } = await db.residentRequest.updateMany({ where: { id: r.id, proposalId: null }, data: { proposalId: submitted.proposal.id } });
  if (count === 1) {
    await db.residentRequestEvent.create({ data: { requestId: r.id, fromStatus: r.status, toStatus: r.status, kind: 'proposal', actorId: acting.actor.personId, note: String(submitted.proposal.number), at: acting.now } });
    await recordAudit(db, { actorId: acting.actor.personId, via: acting.via, action: 'request.proposal', communityId: r.communityId, targetType: 'request', targetId: r.id, details: { number: r.number, proposalId: submitted.proposal.id, proposalNumber: submitted.proposal.number } });
  }
  return { request: r, submitted };
}

/** What a meetings domain offers requests: one agenda item per call, and the meetings to choose from. */
export interface AgendaPort {
  /** Upcoming meetings of a community an item can be put on. */
  upcoming(communityId: string): Promise<{ id: string; label: string }[]>;
  /** Adds the item; the meetings domain checks its own rules (a published agenda, a past meeting). */
  addAgendaItem(meetingId: string, item: { kind: 'request'; refId: string; title: string }, acting: Acting): Promise<void>;
}

/** The committee puts a request on a meeting's agenda (through the meetings domain's port). */
export async function putOnAgenda(db: Db, acting: Acting, requestId: string, meetingId: string, title: string, port: AgendaPort): Promise<void> {
  const r = await loadRequest(db, requestId);
  requireHandle(acting.actor, r);
  if (r.meetingId === meetingId) throw new DomainError('requests.errors.already_on_agenda', { number: r.number });
  // The agenda is seen by the meeting's attendees: the caller's title names the matter
  // (诉求第12号 · 设施维修), never the resident's words.
  await port.addAgendaItem(meetingId, { kind: 'request', refId: r.id, title }, acting);
  await db.residentRequest.update({ where: { id: r.id }, data: { meetingId } });
  await db.residentRequestEvent.create({ data: { requestId: r.id, fromStatus: r.status, toStatus: r.status, kind: 'agenda', actorId: acting.actor.personId, note: meetingId, at: acting.now } });
  await recordAudit(db, { actorId: acting.actor.personId, via: acting.via, action: 'request.agenda', communityId: r.communityId, targetType: 'request', targetId: r.id, details: { number: r.number, meetingId } });
}
