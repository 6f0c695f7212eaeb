/**
 * Returned paper ballots from a file, in a private chat (/paper <poll> → 上传登记表): the clerk
 * sends the CSV or Excel list, sees the dry run (which rows will be entered, which refused and
 * why) and confirms; the good rows are then stored by the ballot box, each row entered or
 * refused on its own (paperBatch.ts says why per row and not all or nothing). A file that cannot be a list of ballots is refused at
 * once with its rows and columns named, and nothing is entered.
 */
import type { Ctx } from '../src/core/context.ts';
import { isDomainError } from '../src/domain/errors.ts';
import { enterPaperBatch, PaperBatchRefused, readPaperBatch, type PaperBatch, type PaperBatchReport } from '../src/domain/polls/paperBatch.ts';
import { requireHouseholdPoll, requireVotingTime } from '../src/domain/polls/paper.ts';
import { requirePoll, type PollWithOptions } from '../src/domain/polls/polls.ts';
import { MAX_REGISTER_BYTES } from '../src/domain/register/sheet.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { defineScene, invalid, type Invalid } from '../src/engine/scene.ts';
import type { IncomingFile } from '../src/platform/messages.ts';
import { splitText } from '../src/outbox/split.ts';
import { renderBatchRefusal, renderBatchReport } from './paperBatchText.ts';

interface PaperBatchState {
  pollId: string;
  number: number;
  fileName?: string;
  batch?: PaperBatch;
  preview?: string;
  entered?: number;
}

/** The id the polls feature starts this scene by (its argument: the poll's id). */
export const PAPER_BATCH_SCENE = 'paperBatch';

/** What the scene needs from the polls feature. */
export interface PaperBatchSceneDeps {
  /** An option's label in the person's language. */
  label(ctx: Ctx, option: { kind: string; label: string }): string;
  /** The poll's tally changed (its cards are refreshed). */
  changed(ctx: Ctx, pollId: string): void;
}

/** A file read in `validate`, handed to `apply` (the same answer object) without reading twice. */
const readFiles = new WeakMap<object, Omit<PaperBatchState, 'pollId' | 'number'>>();

const byOf = (ctx: Ctx) => ({ actor: ctx.actor, via: ctx.via });

export function createPaperBatchScene(deps: PaperBatchSceneDeps) {
  const labelsOf = (ctx: Ctx, poll: PollWithOptions) => (positions: number[]) => positions.map((p) => deps.label(ctx, poll.options.find((o) => o.position === p)!)).join('、');
  const render = (ctx: Ctx, poll: PollWithOptions, report: PaperBatchReport, file: string) => renderBatchReport(ctx.t, report, file, labelsOf(ctx, poll));

  /** Downloads, reads and dry-runs a sent file. */
  async function readSent(ctx: Ctx, file: IncomingFile, state: PaperBatchState): Promise<Invalid | void> {
    let bytes: Buffer;
    try {
      bytes = await ctx.downloadFile(file.fileId);
    } catch {
      return invalid('disclosures.download_failed');
    }
    const fileName = file.name ?? 'ballots.csv';
    try {
      const poll = await requirePoll(ctx.services.db, state.pollId);
      const batch = await readPaperBatch(bytes, fileName);
      const report = await enterPaperBatch(ctx.services.db, ctx.services.polls.ballots, byOf(ctx), state.pollId, batch, ctx.services.clock(), { dryRun: true });
      readFiles.set(file, { fileName, batch, preview: render(ctx, poll, report, fileName), entered: report.entered.length });
    } catch (err) {
      if (err instanceof PaperBatchRefused) return invalid('register.as_is', { text: renderBatchRefusal(ctx.t, err) });
      if (isDomainError(err)) return invalid(err.key, err.params);
      throw err;
    }
  }

  return defineScene<PaperBatchState>({
    id: PAPER_BATCH_SCENE,
    private: true,
    ttlMinutes: 60,
    async begin(ctx, args) {
      const community = ctx.requireCommunity();
      requirePermission(ctx.actor, 'poll.paper', community.id);
      const poll = await requirePoll(ctx.services.db, args.trim(), community.id);
      requireHouseholdPoll(poll);
      requireVotingTime(poll, ctx.services.clock());
      return { pollId: poll.id, number: poll.number };
    },
    steps: [
      {
        id: 'file',
        prompt: (ctx) => ({ kind: 'file', text: ctx.t('ballots.batch_ask_file', { maxMb: MAX_REGISTER_BYTES / 1024 / 1024 }), accept: ['document'], maxBytes: MAX_REGISTER_BYTES }),
        validate: (answer, ctx, state) => readSent(ctx, answer as IncomingFile, state),
        apply: (state, answer) => {
          const read = readFiles.get(answer as object);
          if (!read) return { state, next: 'file' };
          // Nothing to enter: the preview says why row by row, and the scene ends.
          return { state: { ...state, ...read }, next: read.entered ? 'confirm' : 'done' };
        },
      },
      {
        id: 'confirm',
        prompt: (ctx, state) => ({
          kind: 'confirm',
          text: `${state.preview}\n\n${ctx.t('ballots.batch_confirm_question', { entered: state.entered ?? 0 })}`,
          yesLabel: ctx.t('ballots.batch_confirm_yes'),
          noLabel: ctx.t('ballots.batch_confirm_no'),
        }),
        apply: (state, answer) => (answer ? { state, next: 'done' } : { state: { pollId: state.pollId, number: state.number }, next: 'file' }),
      },
    ],
    async finish(ctx, state) {
      const say = async (text: string) => {
        for (const part of splitText(text, ctx.capabilities.maxTextLength)) await ctx.reply(part);
      };
      if (!state.entered || !state.batch) {
        await say(`${state.preview ?? ''}\n\n${ctx.t('ballots.batch_nothing_to_enter')}`);
        return;
      }
      const poll = await requirePoll(ctx.services.db, state.pollId);
      const report = await enterPaperBatch(ctx.services.db, ctx.services.polls.ballots, byOf(ctx), state.pollId, state.batch, ctx.services.clock());
      if (report.entered.length) deps.changed(ctx, state.pollId);
      await say(render(ctx, poll, report, state.fileName ?? ''));
    },
  });
}
