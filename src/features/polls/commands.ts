/**
 * The polls commands and buttons: `/newpoll` (committee, a scene), `/polls` (the open polls, or
 * a vote by text), `/closepoll`, `/cancelpoll`, `/inperson` (committee), the card shown in the
 * private chat, closing early by button and the reminders opt-out. Who may do what is declared
 * on each (the router checks it); the domain checks again as it acts.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import { DomainError } from '../../domain/errors.ts';
import { enterInPersonCounts } from '../../domain/polls/inPerson.ts';
import { canonicalUnit } from '../../domain/register/units.ts';
import { currentResult, pollByShortId, requirePoll, type PollWithOptions } from '../../domain/polls/polls.ts';
import { runningPolls } from '../../domain/polls/queries.ts';
import { setRemindersOff } from '../../domain/polls/reminders.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { closePollAction, confirmClosePollAction, remindersAction, showPollAction, voteAction } from './actions.ts';
import { cancelAndAnnounce, closeAndAnnounce } from './lifecycle.ts';
import { loadCardAddon } from '../deliberation/cards.ts';
import { optionLabel, pollCard } from './render.ts';
import { vote, voteByText } from './vote.ts';

const by = (ctx: Ctx) => ({ actor: ctx.actor, via: ctx.via });

/** The poll a committee command names by number (or id) in the acting community. */
async function namedPoll(ctx: Ctx, ref: string): Promise<PollWithOptions> {
  const community = ctx.requireCommunity();
  if (!ref.trim()) throw new DomainError('polls.which_poll');
  return requirePoll(ctx.services.db, ref, community.id);
}

/**
 * `/polls` lists the community's open polls, with a button to vote in each (and to close, for
 * the committee); `/polls <number> <option>` votes.
 */
async function listPolls(ctx: Ctx, args = ''): Promise<void> {
  const byText = /^[#＃]?(\d{1,6})\s+(\d{1,2})$/.exec(args.normalize('NFKC').trim());
  if (byText) return voteByText(ctx, byText[1], Number(byText[2]));
  const community = ctx.requireCommunity();
  const { db } = ctx.services;
  const polls = await runningPolls(db, community.id);
  if (!polls.length) return void (await ctx.reply(ctx.t('polls.list_empty')));
  const manage = ctx.chat.kind === 'private' && can(ctx.actor, 'poll.manage', community.id);
  // Only polls that have opened are "正在进行" and take a vote; scheduled ones are listed apart, without a vote button.
  const open = polls.filter((p) => p.status !== 'scheduled');
  const upcoming = polls.filter((p) => p.status === 'scheduled');
  const lines = [open.length ? ctx.t('polls.list_title', { community: community.name }) : ctx.t('polls.list_empty')];
  const buttons = [];
  for (const poll of open) {
    const current = await currentResult(db, poll);
    lines.push(ctx.t('polls.list_line', { number: poll.number, question: poll.question, when: poll.closesAt, n: current.turnout, size: current.electorateSize }));
    const row = [{ label: ctx.t('polls.list_vote', { number: poll.number }), action: showPollAction.pack({ poll: poll.shortId }) }];
    if (manage) row.push({ label: ctx.t('polls.list_close', { number: poll.number }), action: closePollAction.pack({ poll: poll.shortId }) });
    buttons.push(row);
  }
  if (upcoming.length) lines.push('', ctx.t('polls.list_upcoming_title'));
  for (const poll of upcoming) {
    lines.push(ctx.t('polls.list_line_scheduled', { number: poll.number, question: poll.question, opens: poll.opensAt }));
    if (manage) buttons.push([{ label: ctx.t('polls.list_close', { number: poll.number }), action: closePollAction.pack({ poll: poll.shortId }) }]);
  }
  if (manage) lines.push('', ctx.t('polls.list_manage_hint'));
  await ctx.reply({ text: lines.join('\n'), buttons });
}

/** The polls commands. */
export const pollCommands: CommandDef[] = [
  {
    name: 'newpoll',
    description: 'polls.cmd_newpoll',
    order: 30,
    permission: 'poll.create',
    run: (ctx, args) => ctx.services.scenes.start(ctx, 'newpoll', args),
  },
  { name: 'polls', description: 'polls.cmd_polls', order: 31, menu: true, sameForAll: true, run: (ctx, args) => listPolls(ctx, args) },
  {
    name: 'closepoll',
    description: 'polls.cmd_closepoll',
    order: 32,
    permission: 'poll.manage',
    async run(ctx, args) {
      const poll = await namedPoll(ctx, args);
      const closed = await closeAndAnnounce(ctx.services, poll.id, by(ctx));
      if (!closed) throw new DomainError('polls.not_open_now');
      await ctx.reply(ctx.t('polls.closed_early', { number: poll.number }));
    },
  },
  {
    name: 'cancelpoll',
    description: 'polls.cmd_cancelpoll',
    order: 33,
    permission: 'poll.manage',
    async run(ctx, args) {
      const [ref, ...reason] = args.split(/\s+/);
      const poll = await namedPoll(ctx, ref ?? '');
      await cancelAndAnnounce(ctx.services, by(ctx), poll.id, reason.join(' '));
      await ctx.reply(ctx.t('polls.cancelled_done', { number: poll.number }));
    },
  },
  {
    name: 'inperson',
    description: 'polls.cmd_inperson',
    order: 34,
    permission: 'poll.manage',
    async run(ctx, args) {
      const [ref, ...rest] = args.normalize('NFKC').split(/\s+/).filter(Boolean);
      const poll = await namedPoll(ctx, ref ?? '');
      let voters: number | null = null;
      let replace = false;
      const counts: number[] = [];
      const attendees: string[] = [];
      for (const token of rest) {
        const named = /^\S+=(\d{1,6})$/.exec(token);
        if (named) voters = Number(named[1]);
        else if (/^\d{1,6}$/.test(token)) counts.push(Number(token));
        else if (/^(替换|replace)$/i.test(token)) replace = true;
        // Attending households: "出席:1-1-101,1-1-102" or the units themselves.
        else if (/^(出席|attendees)[:：]/i.test(token) || canonicalUnit(token.split(/[,，、;；]/)[0] ?? '')) attendees.push(...token.replace(/^(出席|attendees)[:：]/i, '').split(/[,，、;；]/).filter(Boolean));
        else throw new DomainError('polls.inperson_usage', { labels: poll.options.map((o) => optionLabel(ctx.t, o)).join(' ') });
      }
      if (!counts.length) throw new DomainError('polls.inperson_usage', { labels: poll.options.map((o) => optionLabel(ctx.t, o)).join(' ') });
      const saved = await enterInPersonCounts(ctx.services.db, by(ctx), poll.id, { counts, voters, attendees, replace }, ctx.services.clock());
      ctx.services.polls.cards.schedule(poll.id);
      if (saved.attendees) await ctx.reply(ctx.t('ballots.inperson_attendees_saved', { number: poll.number, attendees: saved.attendees, voters: saved.voters }));
      await ctx.reply(ctx.t('polls.inperson_saved', { number: poll.number, counts: poll.options.map((o, i) => `${optionLabel(ctx.t, o)} ${counts[i]}`).join('，') }));
    },
  },
];

/** A poll a button names, or a "not valid" answer (null). */
async function buttonPoll(ctx: Ctx, shortId: string): Promise<PollWithOptions | null> {
  const poll = await pollByShortId(ctx.services.db, shortId);
  if (!poll) await ctx.toast(ctx.t('polls.vote_bad_button'), true);
  return poll;
}

/**
 * The polls buttons. The close buttons declare no permission: they carry a poll, and its
 * community — not the one the person is acting in — decides (the handler asks before showing
 * the confirmation; closing checks again in the domain).
 */
export const pollActions: ActionDef[] = [
  onAction(voteAction, vote),
  onAction(showPollAction, async (ctx, { poll: shortId }) => {
    const poll = await buttonPoll(ctx, shortId);
    if (!poll) return;
    if (poll.status !== 'open') return void (await ctx.toast(ctx.t(poll.status === 'cancelled' ? 'polls.vote_cancelled' : poll.status === 'scheduled' ? 'polls.vote_not_yet' : 'polls.vote_closed', { opens: poll.opensAt }), true));
    await ctx.toast('');
    const addon = await loadCardAddon(ctx.services.db, { kind: 'poll', id: poll.id });
    await ctx.replyPrivately(pollCard(ctx.t, poll, await currentResult(ctx.services.db, poll), addon?.(ctx.t)));
  }),
  onAction(
    closePollAction,
    async (ctx, { poll: shortId }) => {
      const poll = await buttonPoll(ctx, shortId);
      if (!poll) return;
      requirePermission(ctx.actor, 'poll.manage', poll.communityId);
      await ctx.toast('');
      await ctx.reply({ text: ctx.t('polls.close_confirm', { number: poll.number, question: poll.question }), buttons: [[{ label: ctx.t('polls.close_confirm_yes'), action: confirmClosePollAction.pack({ poll: poll.shortId }) }]] });
    },
    { chat: 'private' },
  ),
  onAction(
    confirmClosePollAction,
    async (ctx, { poll: shortId }) => {
      const poll = await buttonPoll(ctx, shortId);
      if (!poll) return;
      const closed = await closeAndAnnounce(ctx.services, poll.id, by(ctx));
      if (!closed) throw new DomainError('polls.not_open_now');
      await ctx.toast(ctx.t('polls.closed_early', { number: poll.number }));
      await ctx.reply(ctx.t('polls.closed_early', { number: poll.number }));
    },
    { chat: 'private' },
  ),
  onAction(remindersAction, async (ctx, { to }) => {
    const off = to === 'off';
    await setRemindersOff(ctx.services.db, ctx.person.id, off);
    await ctx.toast(ctx.t(off ? 'polls.reminders_off_done' : 'polls.reminders_on_done'));
    if (off) await ctx.replyPrivately({ text: ctx.t('polls.reminders_off_done'), buttons: [[{ label: ctx.t('polls.reminders_on_button'), action: remindersAction.pack({ to: 'on' }) }]] });
  }),
];
