/** The linking feature: /link joins a person's accounts on several platforms. */
import type { Feature } from '../feature.ts';
import { linkCommand } from './link.ts';

export const linkingFeature: Feature = {
  name: 'linking',
  commands: [linkCommand],
};
