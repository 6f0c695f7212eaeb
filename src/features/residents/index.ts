/**
 * People and their communities in chat: binding a group (/bind), redeeming a verification code
 * (/verify, its deep link, the 居民认证 button or the code typed on its own), /whoami, the committee's /codes and /members, and the residents'
 * /mydata and /forgetme. The rules live in src/domain/residents; these files only translate
 * between chat and domain.
 */
import type { Feature } from '../feature.ts';
import { codesScene } from '../../../scenes/codes.ts';
import { bindCommand } from './bind.ts';
import { codesActions, codesCommand } from './codes.ts';
import { membersActions, membersCommand } from './members.ts';
import { forgetMeCommand, myDataCommand, privacyActions } from './privacy.ts';
import { bareCode, verifyActions, verifyCodeScene, verifyCommand, verifyPayload } from './verify.ts';
import { whoamiCommand } from './whoami.ts';

/** The residents feature. */
export const residentsFeature: Feature = {
  name: 'residents',
  scenes: [codesScene, verifyCodeScene],
  commands: [verifyCommand, whoamiCommand, bindCommand, codesCommand, membersCommand, myDataCommand, forgetMeCommand],
  actions: [...codesActions, ...membersActions, ...privacyActions, ...verifyActions],
  startPayloads: [verifyPayload],
  plainTexts: [bareCode],
};
