/**
 * The buttons of requests, one codec each: a request's page and photo, the resident's list and
 * one-tap rating, raising to a proposal, and the committee's panel (assign, refer, reply,
 * close, agenda) with the confirmations that follow.
 */
import { defineAction } from '../../core/actionCodec.ts';
import { SATISFACTION } from '../../domain/requests/states.ts';

export const viewRequest = defineAction('req.v', { request: 'id' });
export const requestPhoto = defineAction('req.ph', { request: 'id' });
export const myRequestsPage = defineAction('req.my', { page: 'int' });
export const rateRequestAction = defineAction('req.r', { request: 'id', rating: SATISFACTION });
export const proposeFromRequest = defineAction('req.pr', { request: 'id' });
export const proposeFromRequestYes = defineAction('req.pry', { request: 'id' });

export const requestQueue = defineAction('req.q', {});
export const chooseAssignee = defineAction('req.as', { request: 'id' });
export const assignTo = defineAction('req.ap', { request: 'id', person: 'id' });
export const referAction = defineAction('req.rf', { request: 'id' });
export const replyAction = defineAction('req.rp', { request: 'id' });
export const closeAction = defineAction('req.cl', { request: 'id' });
export const closeYes = defineAction('req.cly', { request: 'id' });
export const agendaAction = defineAction('req.ag', { request: 'id' });
export const agendaPick = defineAction('req.agp', { request: 'id', meeting: 'id' });
