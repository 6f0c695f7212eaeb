/**
 * The button data of the deliberation, one typed codec per action. Subjects travel as their
 * kind and id (a cuid fits the 64 bytes with room for a page offset).
 */
import { defineAction } from '../../core/actionCodec.ts';
import { SUBJECT_KINDS } from '../../domain/deliberation/subjects.ts';

/** Opens a subject's discussion in the private chat (the "议一议" button on a group card); `at` pages. */
export const discussAction = defineAction('dl', { kind: SUBJECT_KINDS, id: 'id', at: 'int?' });

/** Starts writing a comment on a subject. */
export const writeCommentAction = defineAction('dl-w', { kind: SUBJECT_KINDS, id: 'id' });

/** Committee: approve a pending comment… */
export const approveCommentAction = defineAction('dl-ok', { comment: 'id' });

/** …or reject it (asks for the reason the author is told). */
export const rejectCommentAction = defineAction('dl-no', { comment: 'id' });

/** A voter adds a one-line reason to their vote in a named poll. */
export const reasonAction = defineAction('dl-r', { poll: 'id' });
