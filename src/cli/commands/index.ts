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
  restoreCommand,
  startCommand,
} from './basics.ts';
import { exportRatingsCommand, ratingTargetCommand } from './ratings.ts';
import { exportProposalsCommand } from './proposals.ts';
import { disclosurePublishCommand, disclosureVerifyCommand, exportDisclosuresCommand } from './disclosures.ts';
import { POLL_COMMANDS } from './polls.ts';
import { digestPreviewCommand, digestSendCommand } from './digest.ts';
import { REGISTER_COMMANDS } from './register.ts';
import { CONSOLE_COMMANDS } from './console.ts';
import { LIST_COMMANDS } from './lists.ts';
import { MEETING_COMMANDS } from './meetings.ts';
import { REQUEST_COMMANDS } from './requests.ts';

export const CLI_COMMANDS: CliCommand[] = [
  startCommand,
  migrateCommand,
  doctorCommand,
  backupCommand,
  restoreCommand,
  communityAddCommand,
  communityListCommand,
  inviteCommand,
  auditCommand,
  outboxCommand,
  exportRatingsCommand,
  ratingTargetCommand,
  exportProposalsCommand,
  disclosurePublishCommand,
  disclosureVerifyCommand,
  exportDisclosuresCommand,
  ...POLL_COMMANDS,
  ...LIST_COMMANDS,
  digestPreviewCommand,
  digestSendCommand,
  ...REGISTER_COMMANDS,
  ...CONSOLE_COMMANDS,
  ...MEETING_COMMANDS,
  ...REQUEST_COMMANDS,
];
