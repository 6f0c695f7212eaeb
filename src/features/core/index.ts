/**
 * The commands every person has: /start (welcome and main menu, deep links), /help (only what
 * this person may do), /language, /cancel, /resume, /name and /community.
 */
import { onAction } from '../../core/feature.ts';
import type { Ctx } from '../../core/context.ts';
import type { Feature } from '../feature.ts';
import { profileScene } from '../../../scenes/profile.ts';
import { communityAction, communityCommand } from './community.ts';
import { cancelCommand, nameCommand, resumeCommand } from './conversation.ts';
import { openCommand } from './actions.ts';
import { helpCommand, startCommand, type CommandLister } from './help.ts';
import { languageAction, languageCommand } from './language.ts';

/** Runs another command by name (a main-menu button). */
export type CommandRunner = (ctx: Ctx, name: string) => Promise<void>;

/** Builds the core feature; it needs the full command list for /help and the menu, and a way to run one. */
export function coreFeature(list: CommandLister, runCommand: CommandRunner): Feature {
  return {
    name: 'core',
    scenes: [profileScene],
    commands: [startCommand(list), helpCommand(list), languageCommand, cancelCommand, resumeCommand, nameCommand, communityCommand],
    actions: [languageAction, communityAction, onAction(openCommand, (ctx, { name }) => runCommand(ctx, name))],
  };
}
