/**
 * The buttons of the register (/register), one typed codec each. Ids are cuids (25 bytes), so
 * even the two-id buttons of 楼栋长 removal stay well under Telegram's 64 bytes.
 */
import { defineAction } from '../../core/actionCodec.ts';

/** The overview, at a page of its building buttons. */
export const registerHome = defineAction('rg.h', { page: 'int' });
/** One building: figures, households not verified yet, what to do. */
export const registerBuilding = defineAction('rg.b', { building: 'id' });
/** Start importing the register (committee). */
export const registerImport = defineAction('rg.imp', {});
/** A building's slips: all households (a) or only those not verified yet (u). */
export const registerSlips = defineAction('rg.s', { building: 'id', which: ['a', 'u'] as const });
/** Every building's slips (committee). */
export const registerSlipsAll = defineAction('rg.sa', {});
/** Verify a neighbour in person. */
export const registerInPerson = defineAction('rg.ip', { building: 'id' });
/** A 楼栋长 code for a building (committee). */
export const registerLeadCode = defineAction('rg.l', { building: 'id' });
/** Ask before taking a building away from a 楼栋长. */
export const registerLeadRemove = defineAction('rg.lr', { building: 'id', person: 'id' });
/** The confirmation of that removal. */
export const registerLeadRemoveYes = defineAction('rg.lry', { building: 'id', person: 'id' });
/** "Yes, move me" after a slip of another household (verify.ts). */
export const slipMove = defineAction('rg.mv', { code: 'str' });
/** "Keep my household" after a slip of another household. */
export const slipKeep = defineAction('rg.mk', { code: 'str' });
