/**
 * The private notices of requests, all through notifyPerson (the outbox, under a key per step):
 * the committee told of a new request, the assignee told of their assignment, the resident
 * told of each step (with the one-tap rating under the answer), reminders before a deadline and
 * the escalation after one. None of them goes to a group. The resident's words reach only the
 * committee and the assignee.
 */
import type { Services } from '../../core/services.ts';
import type { ResidentRequest } from '../../generated/prisma/client.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { SATISFACTION } from '../../domain/requests/states.ts';
import { notifyPerson } from '../notify.ts';
import { committeeMembers } from '../../domain/requests/deadlines.ts';
import { rateRequestAction, viewRequest } from './actions.ts';
import { categoryLabel, ratingLabel } from './render.ts';

const openButton = (t: TFn, r: ResidentRequest) => [[{ label: t('requests.notify.open', { number: r.number }), action: viewRequest.pack({ request: r.id }) }]];

/** The three rating buttons under an answer. */
export function ratingButtons(t: TFn, r: Pick<ResidentRequest, 'id'>) {
  return [SATISFACTION.map((s) => ({ label: ratingLabel(t, s), action: rateRequestAction.pack({ request: r.id, rating: s }) }))];
}

async function toMany(services: Services, people: string[], r: ResidentRequest, kind: string, message: (t: TFn) => { text: string; buttons?: ReturnType<typeof openButton> }) {
  let sent = 0;
  for (const personId of people) {
    sent += await notifyPerson(services, personId, { key: `request:${r.id}:${kind}:${personId}`, communityId: r.communityId, refType: 'request', refId: r.id, message: (t) => message(t) });
  }
  return sent;
}

/** A new request: every committee member of the community. */
export function notifyNewRequest(services: Services, r: ResidentRequest): Promise<number> {
  return committeeMembers(services.db, r.communityId).then((people) =>
    toMany(services, people, r, 'new', (t) => ({
      text: t('requests.notify.new', { number: r.number, category: categoryLabel(t, r.category), text: r.text, due: r.dueAt }),
      buttons: openButton(t, r),
    })),
  );
}

function toRequester(services: Services, r: ResidentRequest, kind: string, message: (t: TFn) => { text: string; buttons?: { label: string; action: string }[][] }) {
  if (!r.requesterId) return Promise.resolve(0);
  return notifyPerson(services, r.requesterId, { key: `request:${r.id}:${kind}`, communityId: r.communityId, refType: 'request', refId: r.id, message: (t) => message(t) });
}

/** After an assignment or a referral: the assignee (a person) and the resident. */
export async function notifyAssigned(services: Services, r: ResidentRequest): Promise<void> {
  const stamp = r.assignedAt?.getTime() ?? 0;
  if (r.assigneeKind === 'person' && r.assigneeId) {
    await notifyPerson(services, r.assigneeId, {
      key: `request:${r.id}:assignee:${stamp}`,
      communityId: r.communityId,
      refType: 'request',
      refId: r.id,
      message: (t) => ({ text: t('requests.notify.assigned_to_you', { number: r.number, category: categoryLabel(t, r.category), text: r.text, due: r.dueAt }), buttons: openButton(t, r) }),
    });
  }
  await toRequester(services, r, `assigned:${stamp}`, (t) => ({
    text: r.assigneeKind === 'unit' ? t('requests.notify.referred', { number: r.number, unit: r.unitName, due: r.dueAt }) : t('requests.notify.assigned', { number: r.number, due: r.dueAt }),
    buttons: openButton(t, r),
  }));
}

/** After the answer: the resident, with the rating buttons. */
export async function notifyReplied(services: Services, r: ResidentRequest): Promise<void> {
  await toRequester(services, r, 'replied', (t) => ({ text: t('requests.notify.replied', { number: r.number, reply: r.reply }), buttons: ratingButtons(t, r) }));
}

/** After the committee closed an answered request: the resident, who may still rate it. */
export async function notifyClosed(services: Services, r: ResidentRequest): Promise<void> {
  await toRequester(services, r, 'closed', (t) => ({ text: t('requests.notify.closed', { number: r.number }), buttons: r.satisfaction ? undefined : ratingButtons(t, r) }));
}

/** A deadline within a day: whoever holds the request. */
export function notifyReminder(services: Services, r: ResidentRequest, people: string[]): Promise<number> {
  return toMany(services, people, r, 'remind', (t) => ({ text: t('requests.notify.reminder', { number: r.number, category: categoryLabel(t, r.category), due: r.dueAt }), buttons: openButton(t, r) }));
}

/** A missed deadline: the committee head (or the committee). */
export function notifyEscalation(services: Services, r: ResidentRequest, people: string[], holderText: (t: TFn) => string): Promise<number> {
  return toMany(services, people, r, 'escalate', (t) => ({
    text: t('requests.notify.escalated', { number: r.number, category: categoryLabel(t, r.category), due: r.dueAt, holder: holderText(t) }),
    buttons: openButton(t, r),
  }));
}
