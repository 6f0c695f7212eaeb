/**
 * Verification codes from the console: issue one code per unit (or a number of codes for a role
 * without a unit) with the domain's own checks, all checked before any is written, and
 * withdraw one. Codes exist in clear only in the answer to the issuing request — the page that
 * prints them; the database keeps hashes.
 */
import type { Services } from '../../../core/services.ts';
import { DomainError } from '../../../domain/errors.ts';
import { revokeCode } from '../../../domain/residents/codes.ts';
import { isRole, type Actor } from '../../../domain/residents/roles.ts';
import { checkIssueRequest, issueCodes, type IssueRequest } from '../../../domain/residents/verification.ts';

/** Units one form may list. */
export const MAX_UNITS_PER_FORM = 200;

/** An issued code for the printed slip. */
export interface IssuedCode {
  code: string;
  unit: string | null;
  role: string;
}

/** Issues codes from the form: `units` one per line, or `count` for a role without a unit. */
export async function issueFromForm(services: Services, actor: Actor, communityId: string, fields: Record<string, string>): Promise<{ codes: IssuedCode[]; expiresAt: Date }> {
  const role = fields.role ?? '';
  if (!isRole(role)) throw new DomainError('webconsole.errors.bad_request');
  const days = Number(fields.days);
  const expiresInMs = Number.isInteger(days) ? days * 86_400_000 : Number.NaN;
  const units = (fields.units ?? '').split(/\r?\n/).map((u) => u.trim()).filter(Boolean);
  if (units.length > MAX_UNITS_PER_FORM) throw new DomainError('webconsole.members.too_many_units', { max: MAX_UNITS_PER_FORM });
  const requests: IssueRequest[] = units.length
    ? units.map((unit) => ({ communityId, role, unit, count: 1, expiresInMs }))
    : [{ communityId, role, unit: null, count: /^\d{1,3}$/.test(fields.count ?? '') ? Number(fields.count) : Number.NaN, expiresInMs }];
  // Every line is checked before any code is written: a typo on line 40 issues nothing.
  const normalised = requests.map((r) => checkIssueRequest(actor, r));
  const now = services.clock();
  const codes: IssuedCode[] = [];
  for (const [i, r] of requests.entries()) {
    for (const code of await issueCodes(services.db, actor, 'console', r, now)) codes.push({ code, unit: normalised[i], role });
  }
  return { codes, expiresAt: new Date(now.getTime() + expiresInMs) };
}

/** Withdraws an unused code of the community (another community's code is not found). */
export async function withdrawCode(services: Services, actor: Actor, communityId: string, codeId: string): Promise<void> {
  const code = /^[a-z0-9]{10,40}$/.test(codeId) ? await services.db.verificationCode.findUnique({ where: { id: codeId }, select: { communityId: true } }) : null;
  if (!code || code.communityId !== communityId) throw new DomainError('codes.not_found');
  await revokeCode(services.db, actor, 'console', codeId, services.clock());
}
