/** Every `linli` subcommand. Features add theirs here. */
import type { CliCommand } from '../command.ts';
import {
  auditCommand,
  backupCommand,
  communityAddCommand,
  communityListCommand,
  doctorCommand,
  inviteCommand,
  migrateCommand,
  outboxCommand,
  startCommand,
} from './basics.ts';
import { digestPreviewCommand, digestSendCommand } from './digest.ts';

export const CLI_COMMANDS: CliCommand[] = [
  startCommand,
  migrateCommand,
  doctorCommand,
  backupCommand,
  communityAddCommand,
  communityListCommand,
  inviteCommand,
  auditCommand,
  outboxCommand,
  digestPreviewCommand,
  digestSendCommand,
];
