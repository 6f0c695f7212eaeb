/**
 * `/codes` for committee members, in a private chat: the community's recent codes (hint, unit,
 * role, status, expiry) with paging, withdrawing and re-issuing, and a button into the code
 * scene (scenes/codes.ts) that creates new ones. Every button re-checks permission in the domain.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import type { Button } from '../../platform/messages.ts';
import { CODES_PAGE_SIZE, listCodes, reissueCode, revokeCode, type CodeView } from '../../domain/residents/codes.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { privateCommand } from '../privateCommand.ts';
import { codeReissueAsk, codeReissueYes, codeRevokeAsk, codeRevokeYes, codesNew, codesPage } from './actions.ts';
import { pageButtons } from './paging.ts';

function codeLine(ctx: Ctx, n: number, c: CodeView): string {
  return ctx.t('codes.list_line', {
    n,
    hint: c.hint,
    unit: c.unit ?? ctx.t('codes.no_unit'),
    role: ctx.t(`roles.${c.role}`),
    status: ctx.t(`codes.status_${c.status}`),
    when: c.expiresAt,
  });
}

async function showList(ctx: Ctx, page: number): Promise<void> {
  const community = ctx.requireCommunity();
  const result = await listCodes(ctx.services.db, ctx.actor, community.id, page, ctx.services.clock());
  const offset = result.page * CODES_PAGE_SIZE;
  const lines = [ctx.t('codes.list_title', { community: community.name, page: result.page + 1, pages: result.pages, total: result.total })];
  if (!result.codes.length) lines.push(ctx.t('codes.list_empty'));
  const rows: Button[][] = [];
  result.codes.forEach((c, i) => {
    const n = offset + i + 1;
    lines.push(codeLine(ctx, n, c));
    const row: Button[] = [];
    if (c.status === 'unused') row.push({ label: ctx.t('codes.revoke_button', { n }), action: codeRevokeAsk.pack({ code: c.id }) });
    if (c.status === 'unused' || c.status === 'expired') row.push({ label: ctx.t('codes.reissue_button', { n }), action: codeReissueAsk.pack({ code: c.id }) });
    if (row.length) rows.push(row);
  });
  const nav = pageButtons(ctx, codesPage, result.page, result.pages);
  if (nav.length) rows.push(nav);
  if (can(ctx.actor, 'code.issue', community.id)) rows.push([{ label: ctx.t('codes.new_button'), action: codesNew.pack({}) }]);
  await ctx.reply({ text: lines.join('\n'), buttons: rows });
}

/** Loads a code for a confirmation question, checking the actor may manage its community. */
async function codeForQuestion(ctx: Ctx, id: string) {
  const code = await ctx.services.db.verificationCode.findUnique({ where: { id } });
  if (!code) throw new DomainError('codes.not_found');
  requirePermission(ctx.actor, 'code.revoke', code.communityId);
  return code;
}

/** The /codes command (`/codes new` goes straight to the code scene). */
export const codesCommand: CommandDef = privateCommand('residents.private_only', {
  name: 'codes',
  description: 'codes.command',
  order: 71,
  permission: 'code.list',
  async run(ctx, args) {
    if (/^(new|新建|生成)$/i.test(args)) return ctx.services.scenes.start(ctx, 'codes');
    await showList(ctx, 0);
  },
});

const back = (ctx: Ctx): Button => ({ label: ctx.t('codes.back'), action: codesPage.pack({ page: 0 }) });

/**
 * The code list's buttons. Paging and "new" act in the community the person acts in, so their
 * permission is declared; withdrawing and re-issuing act on a code, whose own community the
 * domain checks.
 */
export const codesActions: ActionDef[] = [
  onAction(
    codesPage,
    async (ctx, { page }) => {
      await ctx.toast('');
      await showList(ctx, page);
    },
    { chat: 'private', permission: 'code.list' },
  ),
  onAction(
    codesNew,
    async (ctx) => {
      await ctx.toast('');
      await ctx.services.scenes.start(ctx, 'codes');
    },
    { chat: 'private', permission: 'code.issue' },
  ),
  onAction(
    codeRevokeAsk,
    async (ctx, { code: id }) => {
      const code = await codeForQuestion(ctx, id);
      await ctx.toast('');
      await ctx.reply({
        text: ctx.t('codes.revoke_confirm', { hint: code.hint, unit: code.unit ?? ctx.t('codes.no_unit'), role: ctx.t(`roles.${code.role}`) }),
        buttons: [[{ label: ctx.t('codes.revoke_yes'), action: codeRevokeYes.pack({ code: code.id }) }, back(ctx)]],
      });
    },
    { chat: 'private' },
  ),
  onAction(
    codeRevokeYes,
    async (ctx, { code: id }) => {
      const code = await revokeCode(ctx.services.db, ctx.actor, ctx.via, id, ctx.services.clock());
      await ctx.toast('');
      await ctx.reply(ctx.t('codes.revoked_done', { hint: code.hint }));
    },
    { chat: 'private' },
  ),
  onAction(
    codeReissueAsk,
    async (ctx, { code: id }) => {
      const code = await codeForQuestion(ctx, id);
      await ctx.toast('');
      await ctx.reply({
        text: ctx.t('codes.reissue_confirm', { hint: code.hint, unit: code.unit ?? ctx.t('codes.no_unit'), role: ctx.t(`roles.${code.role}`) }),
        buttons: [[{ label: ctx.t('codes.reissue_yes'), action: codeReissueYes.pack({ code: code.id }) }, back(ctx)]],
      });
    },
    { chat: 'private' },
  ),
  onAction(
    codeReissueYes,
    async (ctx, { code: id }) => {
      const fresh = await reissueCode(ctx.services.db, ctx.actor, ctx.via, id, ctx.services.clock());
      await ctx.toast('');
      const link = ctx.deepLink(fresh.code);
      await ctx.reply(
        ctx.t('codes.reissued', {
          code: link ? `${fresh.code}  ${link}` : fresh.code,
          unit: fresh.unit ?? ctx.t('codes.no_unit'),
          role: ctx.t(`roles.${fresh.role}`),
          when: fresh.expiresAt,
        }),
      );
    },
    { chat: 'private' },
  ),
];
