/**
 * The household register (住户名册) in chat: `/register` for committee members and 楼栋长 (the
 * overview, a building's unverified households, slips, in-person verification, appointing
 * 楼栋长), the import scene (scenes/register.ts), the in-person scene
 * (scenes/registerInPerson.ts), and verification from a printed slip's deep link. The rules
 * live in src/domain/register.
 */
import type { Feature } from '../feature.ts';
import { registerImportScene } from '../../../scenes/register.ts';
import { registerInPersonScene } from '../../../scenes/registerInPerson.ts';
import { groupScopeCommand } from './groupScope.ts';
import { registerAction, registerCommand } from './menu.ts';
import { slipStartPayload } from './verify.ts';

/** The register feature; listed in src/features.ts after the residents feature. */
export const registerFeature: Feature = {
  name: 'register',
  commands: [registerCommand, groupScopeCommand],
  legacyActions: [registerAction],
  scenes: [registerImportScene, registerInPersonScene],
  startPayloads: [slipStartPayload],
};
