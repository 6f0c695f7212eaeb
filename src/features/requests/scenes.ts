/** The requests scenes, bound to what follows each step in this feature. */
import { createReportScene } from '../../../scenes/report.ts';
import { createReferScene, createReplyScene } from '../../../scenes/requestHandling.ts';
import { afterAssign, afterRaise, afterReply } from './flow.ts';

export const reportScene = createReportScene({ afterRaise });
export const replyScene = createReplyScene({ afterReply, afterAssign });
export const referScene = createReferScene({ afterReply, afterAssign });
