/** The proposals scenes, bound to what follows a submission or a move in this feature. */
import { createProposeScene } from '../../../scenes/propose.ts';
import { budgetScene, createProgressScene, createRejectScene } from '../../../scenes/proposalCommittee.ts';
import { afterMove, afterSubmit } from './flow.ts';

export const proposeScene = createProposeScene({ afterSubmit });
export const rejectScene = createRejectScene({ afterMove });
export const progressScene = createProgressScene({ afterMove });
export { budgetScene };
