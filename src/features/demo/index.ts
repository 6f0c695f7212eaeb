/** The console demo feature: /as switches the role the person tries the demo community with. */
import type { Feature } from '../feature.ts';
import { switchRoleCommand } from './switchRole.ts';

export const demoFeature: Feature = {
  name: 'demo',
  commands: [switchRoleCommand],
};
