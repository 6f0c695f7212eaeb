/**
 * The household register (住户名册) in chat: `/register` for committee members and 楼栋长 (the
 * overview, a building's unverified households, slips, in-person verification, appointing
 * 楼栋长), the import scene (scenes/register.ts), the in-person scene
 * (scenes/registerInPerson.ts), and verification from a printed slip's deep link. The rules
 * live in src/domain/register.
 */
import type { Feature } from '../feature.ts';
import { createRegisterImportScene } from '../../../scenes/register.ts';
import { registerHome } from './actions.ts';
import { registerInPersonScene } from '../../../scenes/registerInPerson.ts';
import { groupScopeCommand } from './groupScope.ts';
import { registerActions, registerCommand } from './menu.ts';
import { slipStartPayload } from './verify.ts';

/** The register feature; listed in src/features.ts after the residents feature. */
export const registerFeature: Feature = {
  name: 'register',
  commands: [registerCommand, groupScopeCommand],
  actions: registerActions,
  scenes: [createRegisterImportScene({ homeAction: registerHome.pack({ page: 0 }) }), registerInPersonScene],
  startPayloads: [slipStartPayload],
};
