/**
 * The buttons of the residents feature, one codec each: the committee's code list (page, new,
 * withdraw, re-issue — each a question, then its confirmation), the member list (page, one
 * member, remove a role — question, then confirmation) and the /forgetme confirmation.
 */
import { defineAction } from '../../core/actionCodec.ts';
import { ROLES } from '../../domain/residents/roles.ts';

export const codesPage = defineAction('cd.p', { page: 'int' });
export const codesNew = defineAction('cd.new', {});
export const codeRevokeAsk = defineAction('cd.rv', { code: 'id' });
export const codeRevokeYes = defineAction('cd.rvy', { code: 'id' });
export const codeReissueAsk = defineAction('cd.ri', { code: 'id' });
export const codeReissueYes = defineAction('cd.riy', { code: 'id' });

export const membersPage = defineAction('mb.p', { page: 'int' });
export const memberShow = defineAction('mb.m', { person: 'id' });
export const memberRemoveAsk = defineAction('mb.r', { person: 'id', role: ROLES });
export const memberRemoveYes = defineAction('mb.ry', { person: 'id', role: ROLES });

/** A code that would move the person to another household: move, or keep the current one (the code stays unused). */
export const verifyMoveYes = defineAction('vf.mv', { code: 'id' });
export const verifyMoveNo = defineAction('vf.keep', { code: 'id' });

/** "Erase my data", carrying when the question was asked (a stale yes is refused). */
export const forgetYes = defineAction('prvc.y', { issued: 'int' });
export const forgetNo = defineAction('prvc.n', {});
