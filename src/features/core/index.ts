/**
 * The commands every person has: /start (welcome and main menu, deep links), /help (only what
 * this person may do), /language, /cancel, /name and /community.
 */
import type { Feature } from '../feature.ts';
import { profileScene } from '../../../scenes/profile.ts';
import { communityAction, communityCommand } from './community.ts';
import { cancelCommand, nameCommand } from './conversation.ts';
import { helpCommand, startCommand, type CommandLister } from './help.ts';
import { languageAction, languageCommand } from './language.ts';

/** Builds the core feature; it needs the full command list for /help and the menu. */
export function coreFeature(list: CommandLister): Feature {
  return {
    name: 'core',
    scenes: [profileScene],
    commands: [startCommand(list), helpCommand(list), languageCommand, cancelCommand, nameCommand, communityCommand],
    actions: [languageAction, communityAction],
  };
}
