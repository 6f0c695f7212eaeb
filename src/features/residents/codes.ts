/**
 * `/codes` for committee members, in a private chat: the community's recent codes (hint, unit,
 * role, status, expiry) with paging, withdrawing and re-issuing, and a button into the code
 * scene (scenes/codes.ts) that creates new ones. Every button re-checks permission in the domain.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { LegacyActionDef, CommandDef } from '../../core/feature.ts';
import type { Button } from '../../platform/messages.ts';
import { CODES_PAGE_SIZE, listCodes, reissueCode, revokeCode, type CodeView } from '../../domain/residents/codes.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { ensurePrivate, pageButtons } from './privateOnly.ts';

/** Button prefix of the code list. */
const PREFIX = 'cd';

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
    if (c.status === 'unused') row.push({ label: ctx.t('codes.revoke_button', { n }), action: `${PREFIX}:rv:${c.id}` });
    if (c.status === 'unused' || c.status === 'expired') row.push({ label: ctx.t('codes.reissue_button', { n }), action: `${PREFIX}:ri:${c.id}` });
    if (row.length) rows.push(row);
  });
  const nav = pageButtons(ctx, `${PREFIX}:p`, result.page, result.pages);
  if (nav.length) rows.push(nav);
  if (can(ctx.actor, 'code.issue', community.id)) rows.push([{ label: ctx.t('codes.new_button'), action: `${PREFIX}:new` }]);
  await ctx.reply({ text: lines.join('\n'), buttons: rows });
}

/** Loads a code for a confirmation question, checking the actor may manage its community. */
async function codeForQuestion(ctx: Ctx, id: string) {
  const code = await ctx.services.db.verificationCode.findUnique({ where: { id } });
  if (!code) throw new DomainError('codes.not_found');
  requirePermission(ctx.actor, 'code.revoke', code.communityId);
  return code;
}

/** The /codes command. */
export const codesCommand: CommandDef = {
  name: 'codes',
  description: 'codes.command',
  order: 71,
  visible: (ctx) => ctx.chat.kind === 'private' && can(ctx.actor, 'code.list', ctx.community?.id),
  async run(ctx, args) {
    const community = ctx.requireCommunity();
    requirePermission(ctx.actor, 'code.list', community.id);
    if (!(await ensurePrivate(ctx))) return;
    if (/^(new|新建|生成)$/i.test(args)) return ctx.services.scenes.start(ctx, 'codes');
    await showList(ctx, 0);
  },
};

/** Buttons of the code list: page, new, revoke (ask, confirm), re-issue (ask, confirm). */
export const codesAction: LegacyActionDef = {
  prefix: PREFIX,
  async run(ctx, [verb, arg]) {
    if (!(await ensurePrivate(ctx))) return;
    const { db, clock } = ctx.services;
    switch (verb) {
      case 'p':
        await ctx.toast('');
        return showList(ctx, Number(arg));
      case 'new':
        await ctx.toast('');
        return ctx.services.scenes.start(ctx, 'codes');
      case 'rv': {
        const code = await codeForQuestion(ctx, arg);
        await ctx.toast('');
        await ctx.reply({
          text: ctx.t('codes.revoke_confirm', { hint: code.hint, unit: code.unit ?? ctx.t('codes.no_unit'), role: ctx.t(`roles.${code.role}`) }),
          buttons: [[{ label: ctx.t('codes.revoke_yes'), action: `${PREFIX}:rvy:${code.id}` }, { label: ctx.t('codes.back'), action: `${PREFIX}:p:0` }]],
        });
        return;
      }
      case 'rvy': {
        const code = await revokeCode(db, ctx.actor, ctx.via, arg, clock());
        await ctx.toast('');
        await ctx.reply(ctx.t('codes.revoked_done', { hint: code.hint }));
        return;
      }
      case 'ri': {
        const code = await codeForQuestion(ctx, arg);
        await ctx.toast('');
        await ctx.reply({
          text: ctx.t('codes.reissue_confirm', { hint: code.hint, unit: code.unit ?? ctx.t('codes.no_unit'), role: ctx.t(`roles.${code.role}`) }),
          buttons: [[{ label: ctx.t('codes.reissue_yes'), action: `${PREFIX}:riy:${code.id}` }, { label: ctx.t('codes.back'), action: `${PREFIX}:p:0` }]],
        });
        return;
      }
      case 'riy': {
        const fresh = await reissueCode(db, ctx.actor, ctx.via, arg, clock());
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
        return;
      }
      default:
        await ctx.toast(ctx.t('errors.stale_button'));
    }
  },
};
