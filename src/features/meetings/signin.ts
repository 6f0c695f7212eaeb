/**
 * Signing in at a meeting: the button under the notice (one tap, in the group or privately), the
 * QR code in the room (a deep link into the private chat), or `/signin <number>` typed on a
 * platform without deep links. Each answers privately with what was recorded.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef, type StartPayloadHandler } from '../../core/feature.ts';
import { DomainError } from '../../domain/errors.ts';
import { signIn, type SignInResult } from '../../domain/meetings/attendance.ts';
import { signInTap } from './actions.ts';
import { parseSignInPayload } from './sheet.ts';

/** Signs the person in and words the answer. */
async function signInText(ctx: Ctx, meetingId: string, method: 'tap' | 'qr'): Promise<string> {
  const result: SignInResult = await signIn(ctx.services.db, meetingId, ctx.person, method, ctx.services.clock(), ctx.services.config.LINLI_TIMEZONE);
  const meeting = await ctx.services.db.meeting.findUniqueOrThrow({ where: { id: meetingId } });
  if (result.status === 'already') return ctx.t('meetings.signin_already', { when: result.attendance.at, title: meeting.title });
  return ctx.t(result.member ? 'meetings.signin_ok_member' : 'meetings.signin_ok_other', { title: meeting.title, when: result.attendance.at });
}

/** The sign-in button: a toast under a group's notice, a reply in the private chat. */
export const signInActions: ActionDef[] = [
  onAction(signInTap, async (ctx, { meeting }) => {
    const text = await signInText(ctx, meeting, 'tap');
    if (ctx.chat.kind === 'private') {
      await ctx.toast('');
      await ctx.reply(text);
    } else {
      await ctx.toast(text, true);
    }
  }),
];

/** The QR code's deep link: `/start mtg-<id>`. */
export const signInPayloadHandler: StartPayloadHandler = async (ctx, payload) => {
  const meetingId = parseSignInPayload(payload);
  if (!meetingId) return false;
  await ctx.reply(await signInText(ctx, meetingId, 'qr'));
  return true;
};

/** `/signin <number>` (签到 3): for platforms without deep links; the number is on the sheet. */
export const signInCommand: CommandDef = {
  name: 'signin',
  description: 'meetings.cmd_signin',
  order: 62,
  async run(ctx, args) {
    const community = ctx.requireCommunity();
    const number = Number(args.normalize('NFKC').trim());
    if (!Number.isInteger(number) || number < 1) throw new DomainError('meetings.signin_usage');
    const meeting = await ctx.services.db.meeting.findUnique({ where: { communityId_number: { communityId: community.id, number } } });
    if (!meeting) throw new DomainError('meetings.not_found');
    const text = await signInText(ctx, meeting.id, 'qr');
    if (ctx.chat.kind === 'private') await ctx.reply(text);
    else await ctx.replyPrivately(text).catch(() => ctx.reply(text));
  },
};
