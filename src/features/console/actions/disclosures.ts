/**
 * 居务公开 from the console, in two steps as in chat: the upload is read and checked by the
 * domain (file kind and size, the statement's arithmetic, title, period, category) and kept as
 * a draft for the preview; confirming publishes exactly that draft with the same domain
 * function /publish and /correct call, and the notice goes to the groups through the outbox.
 */
import type { Services } from '../../../core/services.ts';
import { DomainError } from '../../../domain/errors.ts';
import { communityCategories } from '../../../domain/disclosures/categories.ts';
import { checkPeriod, checkTitle, correctDisclosure, publishDisclosure, REASON_MAX } from '../../../domain/disclosures/disclosures.ts';
import { checkBody, readDisclosureFile } from '../../../domain/disclosures/files.ts';
import { parsePeriodKey, periodYear } from '../../../domain/disclosures/period.ts';
import type { Statement } from '../../../domain/disclosures/statement.ts';
import type { Actor } from '../../../domain/residents/roles.ts';
import { requirePermission } from '../../../domain/residents/permissions.ts';
import type { Community, Disclosure, DisclosureVersion } from '../../../generated/prisma/client.ts';
import { announceVersion } from '../../disclosures/publishing.ts';
import type { UploadedFile } from '../web/forms.ts';

/** How long a preview waits for its confirmation. */
export const DRAFT_TTL_MS = 60 * 60_000;

/** A checked draft, as the preview shows it and the confirmation publishes it. */
export interface DisclosureDraftView {
  kind: 'publish' | 'correct';
  category: string;
  period: string;
  title: string;
  body: string;
  statement: Statement | null;
  fileName: string | null;
  /** For a correction: which disclosure, and why. */
  correction?: { disclosureId: string; number: number; reason: string };
}

/** The content of a form: an uploaded file (read and checked by the domain) and/or typed text. */
async function content(file: UploadedFile | undefined, note: string, period: string): Promise<{ body: string; statement: Statement | null; fileName: string | null }> {
  if (file) {
    const read = await readDisclosureFile({ name: file.filename, mimeType: file.contentType, bytes: file.data }, periodYear(parsePeriodKey(period)));
    if (read.format === 'text') return { body: read.body, statement: null, fileName: file.filename };
    return { body: note.replace(/\r\n?/g, '\n').trim(), statement: read.statement, fileName: file.filename };
  }
  return { body: checkBody(note), statement: null, fileName: null };
}

/** Checks a new disclosure's form and keeps it as a draft of the session. Returns the draft's id. */
export async function draftPublication(services: Services, actor: Actor, sessionId: string, community: Community, fields: Record<string, string>, file: UploadedFile | undefined): Promise<string> {
  requirePermission(actor, 'disclosure.publish', community.id);
  const category = fields.category ?? '';
  if (!(communityCategories(community) as string[]).includes(category)) throw new DomainError('disclosures.unknown_category', { category, allowed: communityCategories(community).join(', ') });
  const period = checkPeriod(fields.period ?? '');
  const title = checkTitle(fields.title ?? '');
  const view: DisclosureDraftView = { kind: 'publish', category, period, title, ...(await content(file, fields.note ?? '', period)) };
  return saveDraft(services, sessionId, community.id, view);
}

/** Checks a correction's form (a reason is required) and keeps it as a draft. */
export async function draftCorrection(
  services: Services,
  actor: Actor,
  sessionId: string,
  disclosure: Disclosure,
  latest: DisclosureVersion,
  fields: Record<string, string>,
  file: UploadedFile | undefined,
): Promise<string> {
  requirePermission(actor, 'disclosure.publish', disclosure.communityId);
  const reason = (fields.reason ?? '').replace(/\s+/g, ' ').trim();
  if ([...reason].length < 2 || [...reason].length > REASON_MAX) throw new DomainError('disclosures.bad_reason', { max: REASON_MAX });
  const title = fields.title?.trim() ? checkTitle(fields.title) : latest.title;
  const view: DisclosureDraftView = {
    kind: 'correct',
    category: disclosure.category,
    period: disclosure.period,
    title,
    ...(await content(file, fields.note ?? '', disclosure.period)),
    correction: { disclosureId: disclosure.id, number: disclosure.number, reason },
  };
  return saveDraft(services, sessionId, disclosure.communityId, view);
}

async function saveDraft(services: Services, sessionId: string, communityId: string, view: DisclosureDraftView): Promise<string> {
  const { db, clock } = services;
  // One open preview per session is enough; older ones go.
  await db.consoleDraft.deleteMany({ where: { OR: [{ sessionId }, { createdAt: { lt: new Date(clock().getTime() - DRAFT_TTL_MS) } }] } });
  return (await db.consoleDraft.create({ data: { sessionId, communityId, kind: view.kind, payload: JSON.stringify(view), createdAt: clock() } })).id;
}

/** The session's draft in a community, or a refusal saying it is gone (published, replaced, expired). */
export async function loadDraft(services: Services, sessionId: string, communityId: string, draftId: string): Promise<DisclosureDraftView> {
  const draft = /^[a-z0-9]{10,40}$/.test(draftId) ? await services.db.consoleDraft.findUnique({ where: { id: draftId } }) : null;
  if (!draft || draft.sessionId !== sessionId || draft.communityId !== communityId || draft.createdAt.getTime() < services.clock().getTime() - DRAFT_TTL_MS) {
    throw new DomainError('webconsole.disclosures.draft_gone', { count: DRAFT_TTL_MS / 3_600_000 });
  }
  return JSON.parse(draft.payload) as DisclosureDraftView;
}

/** Publishes the confirmed draft and tells the groups. Returns the disclosure's number. */
export async function publishDraft(services: Services, actor: Actor, communityId: string, draftId: string, view: DisclosureDraftView): Promise<{ number: number; groups: number }> {
  const { db, clock, outbox, i18n } = services;
  const content = { title: view.title, body: view.body, statement: view.statement };
  const published =
    view.kind === 'correct' && view.correction
      ? await correctDisclosure(db, actor, 'console', view.correction.disclosureId, { ...content, reason: view.correction.reason }, clock())
      : await publishDisclosure(db, actor, 'console', communityId, { ...content, category: view.category, period: view.period }, clock());
  await db.consoleDraft.delete({ where: { id: draftId } }).catch(() => undefined);
  const groups = await announceVersion(outbox, i18n, published.disclosure, published.version);
  return { number: published.disclosure.number, groups };
}
