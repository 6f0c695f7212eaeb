/**
 * The buttons of proposals, one codec each: the 附议 button, resuming or restarting a draft,
 * browsing (a proposal's page and photos, a filtered list page, the filter choices) and the
 * committee's panel (open, each move, and the confirmations that follow).
 */
import { defineAction } from '../../core/actionCodec.ts';
import { STATUSES } from '../../domain/proposals/states.ts';

/** 附议 on a card, a page or the digest. Kept as `sec:<id>` so cards already posted still work. */
export const second = defineAction('sec', { proposal: 'id' });

export const resumeDraft = defineAction('prop.resume', {});
export const restartDraft = defineAction('prop.restart', {});

export const viewProposal = defineAction('prop.v', { proposal: 'id' });
export const proposalPhotos = defineAction('prop.ph', { proposal: 'id' });

/** "All statuses" in a list filter. */
export const ANY_STATUS = 'all';
/** A page of the list: a status (or all) and a category index (absent: all). */
export const listPage = defineAction('prop.l', { status: [ANY_STATUS, ...STATUSES], page: 'int', category: 'int?' });
/** The status choices, keeping the category filter. */
export const chooseStatusFilter = defineAction('prop.fs', { category: 'int?' });
/** The category choices, keeping the status filter. */
export const chooseCategoryFilter = defineAction('prop.fc', { status: 'id?' });

export const reviewOpen = defineAction('prv.o', { proposal: 'id' });
export const reviewStart = defineAction('prv.rv', { proposal: 'id' });
export const reviewShortlist = defineAction('prv.sl', { proposal: 'id' });
export const reviewReject = defineAction('prv.rj', { proposal: 'id' });
export const reviewBudget = defineAction('prv.bg', { proposal: 'id' });
export const reviewProgress = defineAction('prv.pg', { proposal: 'id' });
export const reviewMerge = defineAction('prv.mg', { proposal: 'id' });
/** Merge into the proposal with this number (the original). */
export const reviewMergeInto = defineAction('prv.mt', { proposal: 'id', into: 'int' });
export const reviewComplete = defineAction('prv.cp', { proposal: 'id' });
export const reviewCompleteYes = defineAction('prv.cpy', { proposal: 'id' });
