/** The exports feature: /export gathers every feature's exporters. */
import type { Feature } from '../feature.ts';
import { exportActions, exportCommand } from './export.ts';

export const exportsFeature: Feature = {
  name: 'exports',
  commands: [exportCommand],
  actions: exportActions,
};
