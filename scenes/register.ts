/**
 * Importing the household register in a private chat (/register → 导入名册): a committee member
 * sends the 社区工作站's Excel or CSV file, sees the preview (added / changed / unchanged /
 * missing, columns not read) and confirms. The file is read and checked the moment it arrives,
 * so a bad file is refused at once with its rows and columns named; the import applies exactly
 * the previewed plan (its fingerprint), or nothing.
 */
import type { Ctx } from '../src/core/context.ts';
import { isDomainError } from '../src/domain/errors.ts';
import { applyImport } from '../src/domain/register/apply.ts';
import { previewImport } from '../src/domain/register/import.ts';
import { MAX_REGISTER_BYTES } from '../src/domain/register/sheet.ts';
import { RegisterRefused, type RegisterFacts, type RegisterRow } from '../src/domain/register/table.ts';
import { requirePermission } from '../src/domain/residents/permissions.ts';
import { defineScene, invalid, type Invalid } from '../src/engine/scene.ts';
import type { IncomingFile } from '../src/platform/messages.ts';
import { splitText } from '../src/outbox/split.ts';
import { planChangesSomething, renderImported, renderPreview, renderRefusal } from './registerText.ts';

/** What the scene keeps between the file and the confirmation. */
interface RegisterImportState {
  communityId: string;
  fileName?: string;
  rows?: RegisterRow[];
  facts?: RegisterFacts;
  fingerprint?: string;
  /** The preview as shown, in the person's language. */
  preview?: string;
  changes?: boolean;
}

/** The id other parts start this scene by. */
export const REGISTER_IMPORT_SCENE = 'registerImport';

/** What the import scene needs from the register feature. */
export interface RegisterImportSceneDeps {
  /** Button data of the way back to the register overview (the feature's codec). */
  homeAction: string;
}

/** A file read in `validate`, handed to `apply` (the same answer object) without reading twice. */
const readFiles = new WeakMap<object, Omit<RegisterImportState, 'communityId'>>();

/** Downloads and reads a sent file, refusing with every problem named. */
async function readSentFile(ctx: Ctx, file: IncomingFile, communityId: string): Promise<Invalid | void> {
  let bytes: Buffer;
  try {
    bytes = await ctx.downloadFile(file.fileId);
  } catch {
    return invalid('disclosures.download_failed');
  }
  const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: communityId } });
  try {
    const { table, plan } = await previewImport(ctx.services.db, ctx.actor, community, { name: file.name, mimeType: file.mimeType, bytes });
    const fileName = file.name ?? 'register';
    readFiles.set(file, {
      fileName,
      rows: table.rows,
      facts: table.facts,
      fingerprint: plan.fingerprint,
      preview: renderPreview(ctx.t, { file: fileName, community: community.name, table, plan }),
      changes: planChangesSomething(plan),
    });
  } catch (err) {
    if (err instanceof RegisterRefused) return invalid('register.as_is', { text: renderRefusal(ctx.t, err) });
    if (isDomainError(err)) return invalid(err.key, err.params);
    throw err;
  }
}

export const createRegisterImportScene = (deps: RegisterImportSceneDeps) =>
  defineScene<RegisterImportState>({
    id: REGISTER_IMPORT_SCENE,
    private: true,
    ttlMinutes: 60,
    begin(ctx) {
      const community = ctx.requireCommunity();
      requirePermission(ctx.actor, 'register.import', community.id);
      return { communityId: community.id };
    },
    steps: [
      {
        id: 'file',
        prompt: (ctx) => ({ kind: 'file', text: ctx.t('register.ask_file', { maxMb: MAX_REGISTER_BYTES / 1024 / 1024 }), accept: ['document'], maxBytes: MAX_REGISTER_BYTES }),
        validate: (answer, ctx, state) => readSentFile(ctx, answer as IncomingFile, state.communityId),
        apply: (state, answer) => {
          const read = readFiles.get(answer as object);
          if (!read) return { state, next: 'file' };
          // A file that changes nothing needs no confirmation: the preview says so and the scene ends.
          return { state: { ...state, ...read }, next: read.changes ? 'confirm' : 'done' };
        },
      },
      {
        id: 'confirm',
        prompt: (ctx, state) => ({ kind: 'confirm', text: `${state.preview}\n\n${ctx.t('register.confirm_question')}`, yesLabel: ctx.t('register.confirm_yes'), noLabel: ctx.t('register.confirm_no') }),
        apply: (state, answer) => (answer ? { state, next: 'done' } : { state: { communityId: state.communityId }, next: 'file' }),
      },
    ],
    async finish(ctx, state) {
      const community = await ctx.services.db.community.findUniqueOrThrow({ where: { id: state.communityId } });
      if (!state.changes) {
        for (const part of splitText(state.preview ?? '', ctx.capabilities.maxTextLength)) await ctx.reply(part);
        return;
      }
      try {
        const result = await applyImport(
          ctx.services.db,
          ctx.actor,
          ctx.via,
          state.communityId,
          { rows: state.rows ?? [], facts: state.facts!, expectedFingerprint: state.fingerprint, fileName: state.fileName },
          ctx.services.clock(),
        );
        await ctx.reply({ text: `${renderImported(ctx.t, community.name, result)}\n${ctx.t('register.imported_next')}`, buttons: [[{ label: ctx.t('register.back_button'), action: deps.homeAction }]] });
      } catch (err) {
        // The stored register moved since the preview: say so and end, so the next file starts afresh.
        if (isDomainError(err) && err.key === 'register.changed_since_preview') {
          await ctx.reply(ctx.t(err.key));
          return;
        }
        throw err;
      }
    },
  });
