/**
 * The buttons of 居务公开, one codec each: the categories, a page of a category (or all, of one
 * period or every period), reading a disclosure, checking the chain, correcting one.
 */
import { defineAction } from '../../core/actionCodec.ts';
import { CATEGORY_KEYS } from '../../domain/disclosures/categories.ts';

/** Every category at once, in a list. */
export const ALL_CATEGORIES = '*';

export const showCategories = defineAction('dsc.c', {});
/** A page of a category (or all); `period` (2026Q4) narrows it to one period. */
export const listPage = defineAction('dsc.l', { category: [ALL_CATEGORIES, ...CATEGORY_KEYS], page: 'int', period: 'str?' });
/** Opens a disclosure for the person who taps it (notices, lists, search, the digest). */
export const readDisclosure = defineAction('dsc.v', { disclosure: 'id' });
/** Opens one version (an earlier one, as it was published, with its reason). */
export const readVersion = defineAction('dsc.o', { disclosure: 'id', version: 'int' });
/** Recomputes the community's hash chain for the person. */
export const verifyChainAction = defineAction('dsc.k', {});
/** Starts the correction scene for a disclosure (committee). */
export const correctDisclosure = defineAction('dsc.x', { disclosure: 'id' });
