/**
 * The 网上议事厅 part of the weekly digest: what residents discussed in the week (most
 * commented first, with a button to read each) and the committee's closing statements.
 */
import type { DigestContributor } from '../../core/feature.ts';
import { weekStatements } from '../../domain/deliberation/closing.ts';
import { weekComments } from '../../domain/deliberation/comments.ts';
import { findSubject, type SubjectKind } from '../../domain/deliberation/subjects.ts';
import type { Button } from '../../platform/messages.ts';
import { discussButton, excerpt, subjectName } from './render.ts';

/** Lines of each kind at most. */
const MAX = 5;

export const deliberationDigest: DigestContributor = async (services, q) => {
  const t = services.i18n.bind(q.locale);
  const { db } = services;
  const [discussed, statements] = await Promise.all([weekComments(db, q.communityId, q.from, q.to), weekStatements(db, q.communityId, q.from, q.to)]);
  if (!discussed.length && !statements.length) return null;
  const lines: string[] = [];
  const buttons: Button[] = [];
  if (discussed.length) {
    lines.push(t('deliberation.digest_discussed', { n: discussed.reduce((a, d) => a + d.n, 0) }));
    for (const d of discussed.slice(0, MAX)) {
      const s = await findSubject(db, { kind: d.subjectKind as SubjectKind, id: d.subjectId });
      if (!s) continue;
      lines.push(t('deliberation.digest_line', { subject: subjectName(t, s), n: d.n }));
      if (s.open) buttons.push({ ...discussButton(t, s, d.n), label: t('deliberation.digest_button', { number: s.number ?? '', n: d.n }) });
    }
  }
  for (const st of statements.slice(0, MAX)) {
    const s = await findSubject(db, { kind: st.subjectKind as SubjectKind, id: st.subjectId });
    if (s) lines.push(t('deliberation.digest_statement', { subject: subjectName(t, s), text: excerpt(st.text, 80) }));
  }
  return { title: t('deliberation.digest_title'), lines, buttons, items: discussed.length + statements.length };
};
