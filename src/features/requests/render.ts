/**
 * How a request reads in chat: its list line, its page (with its steps), and the labels of
 * categories, statuses and ratings. The words of a request are rendered only for someone the
 * domain let read it (requestDetail checks); nothing here is ever sent to a group.
 */
import type { TFn } from '../../i18n/i18n.ts';
import type { ResidentRequest, ResidentRequestEvent } from '../../generated/prisma/client.ts';

export const categoryLabel = (t: TFn, c: string) => t(`requests.category.${c}`);
export const statusLabel = (t: TFn, s: string) => t(`requests.status.${s}`);
export const ratingLabel = (t: TFn, s: string) => t(`requests.rating.${s}`);

type Listed = Pick<ResidentRequest, 'number' | 'category' | 'status' | 'dueAt' | 'repliedAt' | 'satisfaction'>;

/** One line of a list: number, category, status, deadline or rating. */
export function listLine(t: TFn, r: Listed, now: Date): string {
  const late = !r.repliedAt && (r.status === 'received' || r.status === 'assigned') && r.dueAt < now;
  return t('requests.list.line', {
    number: r.number,
    category: categoryLabel(t, r.category),
    status: statusLabel(t, r.status),
    extra: r.satisfaction ? ratingLabel(t, r.satisfaction) : r.repliedAt ? '' : t(late ? 'requests.list.overdue' : 'requests.list.due', { when: r.dueAt }),
  });
}

/** Who holds the request, as the resident and the committee read it. */
export function holder(t: TFn, r: Pick<ResidentRequest, 'assigneeKind' | 'unitName'>, assigneeName: string | null, forCommittee: boolean): string {
  if (r.assigneeKind === 'unit') return t('requests.holder.unit', { unit: r.unitName });
  if (r.assigneeKind === 'person') return forCommittee && assigneeName ? t('requests.holder.person_named', { name: assigneeName }) : t('requests.holder.person');
  return t('requests.holder.none');
}

function eventLine(t: TFn, e: ResidentRequestEvent): string {
  return t('requests.page.event', { when: e.at, what: t(`requests.event.${e.kind}`, { note: e.note ?? '' }) });
}

/** A request's page. */
export function requestPage(
  t: TFn,
  d: { request: ResidentRequest & { events: ResidentRequestEvent[] }; assigneeName: string | null; proposal: { number: number; title: string } | null },
  opts: { forCommittee: boolean; now: Date },
): string {
  const r = d.request;
  const lines = [
    t('requests.page.title', { number: r.number, category: categoryLabel(t, r.category) }),
    t('requests.page.status', { status: statusLabel(t, r.status) }),
    r.erasedAt ? t('requests.page.erased') : t('requests.page.text', { text: r.text }),
  ];
  if (r.location) lines.push(t('requests.page.location', { location: r.location }));
  if (r.photoName) lines.push(t('requests.page.photo'));
  lines.push(t('requests.page.received', { when: r.createdAt }));
  lines.push(t(r.repliedAt ? 'requests.page.due_was' : r.dueAt < opts.now ? 'requests.page.overdue' : 'requests.page.due', { when: r.dueAt }));
  lines.push(t('requests.page.holder', { holder: holder(t, r, d.assigneeName, opts.forCommittee) }));
  if (r.reply) lines.push(t('requests.page.reply', { reply: r.reply, when: r.repliedAt }));
  if (r.satisfaction) lines.push(t('requests.page.rated', { rating: ratingLabel(t, r.satisfaction) }));
  if (d.proposal) lines.push(t('requests.page.proposal', { number: d.proposal.number, title: d.proposal.title }));
  if (r.meetingId) lines.push(t('requests.page.agenda'));
  lines.push('', t('requests.page.steps'), ...r.events.filter((e) => opts.forCommittee || !['remind', 'escalate'].includes(e.kind)).map((e) => eventLine(t, e)));
  return lines.join('\n');
}
