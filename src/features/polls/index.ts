/**
 * Council polls and residents' votes in chat: `/newpoll` (committee), `/polls`, one-tap voting
 * on the cards posted in groups (`v:<shortId>:<position>`, answered privately with a toast),
 * closing early, cancelling, in-person counts, private reminders with an opt-out, the
 * scheduler job, the digest section and the staff export.
 */
import type { Ctx } from '../../core/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { DigestContributor, ExporterDef } from '../../core/feature.ts';
import type { Feature } from '../feature.ts';
import { castVote, type VoteOutcome } from '../../domain/polls/voting.ts';
import {
  currentResult,
  enterInPersonCounts,
  pollByShortId,
  requirePoll,
  storedResult,
  type PollWithOptions,
} from '../../domain/polls/polls.ts';
import { can, requirePermission } from '../../domain/residents/permissions.ts';
import { writeTableToBuffer } from '../../export/table.ts';
import { newPollScene } from '../../../scenes/newpoll.ts';
import { cancelAndAnnounce, closeAndAnnounce, pollsTick, refresher } from './lifecycle.ts';
import { exportFileName, pollExportSheets } from './export.ts';
import { optionLabel, outcomeLine, pollCard } from './render.ts';

const SHORT_ID = /^[a-z0-9]{10}$/;
const withOptions = { options: { orderBy: { position: 'asc' as const } } };

/** Parses `v:<shortId>:<position>` parts; null for anything forged or cut short. */
export function parseVoteParts(parts: string[]): { shortId: string; position: number } | null {
  if (parts.length !== 2) return null;
  const [shortId, pos] = parts;
  if (!SHORT_ID.test(shortId) || !/^[1-9]\d?$/.test(pos)) return null;
  return { shortId, position: Number(pos) };
}

function toastFor(ctx: Ctx, poll: PollWithOptions, outcome: VoteOutcome): string {
  const labels = outcome.positions.map((p) => optionLabel(ctx.t, poll.options.find((o) => o.position === p)!)).join('、');
  if (outcome.advisory) return ctx.t('polls.voted_advisory', { labels });
  switch (outcome.effect) {
    case 'unchanged':
      return ctx.t('polls.voted_unchanged', { labels });
    case 'changed':
      return ctx.t('polls.voted_changed', { labels });
    case 'added':
      return ctx.t('polls.voted_multi', { labels, n: outcome.positions.length, k: poll.maxChoices });
    case 'removed':
      return outcome.positions.length ? ctx.t('polls.voted_multi', { labels, n: outcome.positions.length, k: poll.maxChoices }) : ctx.t('polls.voted_withdrawn');
    default:
      return poll.maxChoices > 1
        ? ctx.t('polls.voted_multi', { labels, n: outcome.positions.length, k: poll.maxChoices })
        : ctx.t(poll.allowChange ? 'polls.voted_can_change' : 'polls.voted_final', { labels });
  }
}

/**
 * Open polls by short id. A poll's options, times and rules never change once it is open, and
 * its status is checked again inside the vote's own statements, so a cached copy is safe.
 */
const openPolls = new WeakMap<object, Map<string, PollWithOptions>>();

async function pollForVote(ctx: Ctx, shortId: string): Promise<PollWithOptions | null> {
  const { db } = ctx.services;
  let cache = openPolls.get(db);
  if (!cache) openPolls.set(db, (cache = new Map()));
  const hit = cache.get(shortId);
  if (hit && hit.closesAt > ctx.services.clock()) return hit;
  const poll = await pollByShortId(db, shortId);
  if (poll?.status === 'open') {
    if (cache.size >= 200) cache.delete(cache.keys().next().value!);
    cache.set(shortId, poll);
  } else cache.delete(shortId);
  return poll;
}

/**
 * On a text-only platform a bare number in a group stands for the option of the LAST message
 * with options there. With several polls open, a voter answering an older card would vote in
 * the wrong poll, so the number is refused with a pointer to "投票 <poll> <option>".
 */
async function ambiguousNumber(ctx: Ctx): Promise<boolean> {
  const byNumber = ctx.incoming.type === 'action' && !ctx.incoming.actionId && ctx.chat.kind === 'group';
  if (!byNumber || !ctx.community) return false;
  const open = await ctx.services.db.poll.count({ where: { communityId: ctx.community.id, status: 'open' } });
  if (open < 2) return false;
  await ctx.toast(ctx.t('polls.vote_which', { n: open }), true);
  return true;
}

/** A tap on an option. Answers only with a toast: nothing appears in the group. */
async function vote(ctx: Ctx, parts: string[]): Promise<void> {
  const parsed = parseVoteParts(parts);
  if (!parsed) return void (await ctx.toast(ctx.t('polls.vote_bad_button'), true));
  if (await ambiguousNumber(ctx)) return;
  const { db, clock } = ctx.services;
  const poll = await pollForVote(ctx, parsed.shortId);
  if (!poll) return void (await ctx.toast(ctx.t('polls.vote_bad_button'), true));
  const outcome = await castVote(db, { poll, actor: ctx.actor, voterName: ctx.person.displayName, position: parsed.position, now: clock() });
  if (outcome.effect !== 'unchanged') refresher(ctx.services).schedule(poll.id);
  // The vote is committed; the toast need not hold up the rest of the polling batch.
  await ctx.toastInBackground(toastFor(ctx, poll, outcome), outcome.effect === 'unchanged');
}

/** The poll for a committee action by number/id in the acting community. */
async function managedPoll(ctx: Ctx, ref: string): Promise<PollWithOptions> {
  const community = ctx.requireCommunity();
  requirePermission(ctx.actor, 'poll.manage', community.id);
  if (!ref.trim()) throw new DomainError('polls.which_poll');
  return requirePoll(ctx.services.db, ref, community.id);
}

const by = (ctx: Ctx) => ({ actor: ctx.actor, via: ctx.via });

/** "投票 2 1" / `/polls 2 1`: a vote for option 1 of poll 2, by text; refusals go to the voter, not the group. */
async function voteByText(ctx: Ctx, pollRef: string, position: number): Promise<void> {
  try {
    const poll = await requirePoll(ctx.services.db, pollRef, ctx.requireCommunity().id);
    if (!poll.options.some((o) => o.position === position)) throw new DomainError('polls.vote_bad_option');
    await vote(ctx, [poll.shortId, String(position)]);
  } catch (err) {
    if (!(err instanceof DomainError) || ctx.chat.kind !== 'group') throw err;
    await ctx.toast(ctx.t(err.key, err.params), true);
  }
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
  const polls = await db.poll.findMany({ where: { communityId: community.id, status: { in: ['open', 'scheduled'] } }, orderBy: { closesAt: 'asc' }, take: 20, include: withOptions });
  if (!polls.length) return void (await ctx.reply(ctx.t('polls.list_empty')));
  const manage = ctx.chat.kind === 'private' && can(ctx.actor, 'poll.manage', community.id);
  const lines = [ctx.t('polls.list_title', { community: community.name })];
  const buttons = [];
  for (const poll of polls) {
    const current = await currentResult(db, poll);
    lines.push(
      poll.status === 'scheduled'
        ? ctx.t('polls.list_line_scheduled', { number: poll.number, question: poll.question, opens: poll.opensAt })
        : ctx.t('polls.list_line', { number: poll.number, question: poll.question, when: poll.closesAt, n: current.turnout, size: current.electorateSize }),
    );
    const row = [{ label: ctx.t('polls.list_vote', { number: poll.number }), action: `pv:${poll.shortId}` }];
    if (manage) row.push({ label: ctx.t('polls.list_close', { number: poll.number }), action: `pm:c:${poll.shortId}` });
    buttons.push(row);
  }
  if (manage) lines.push('', ctx.t('polls.list_manage_hint'));
  await ctx.reply({ text: lines.join('\n'), buttons });
}

const digest: DigestContributor = async (services, q) => {
  const { db, i18n } = services;
  const t = i18n.bind(q.locale);
  const [open, closed] = await Promise.all([
    db.poll.findMany({ where: { communityId: q.communityId, status: 'open' }, orderBy: { closesAt: 'asc' }, take: 5, include: withOptions }),
    db.poll.findMany({ where: { communityId: q.communityId, status: 'closed', closedAt: { gte: q.from, lt: q.to } }, orderBy: { closedAt: 'asc' }, take: 5, include: withOptions }),
  ]);
  if (!open.length && !closed.length) return null;
  const lines: string[] = [];
  for (const p of open) lines.push(t('polls.digest_open', { number: p.number, question: p.question, when: p.closesAt }));
  for (const p of closed) {
    const result = storedResult(p);
    lines.push(t('polls.digest_closed', { number: p.number, question: p.question, outcome: result ? outcomeLine(t, p, result) : '' }));
  }
  return {
    title: t('polls.digest_title'),
    lines,
    buttons: open.map((p) => ({ label: t('polls.list_vote', { number: p.number }), action: `pv:${p.shortId}` })),
    items: open.length + closed.length,
  };
};

const exporter: ExporterDef = {
  id: 'polls',
  label: 'polls.export_label',
  async items(ctx, communityId) {
    const polls = await ctx.services.db.poll.findMany({ where: { communityId }, orderBy: { number: 'desc' }, take: 30, select: { id: true, number: true, question: true } });
    return polls.map((p) => ({ id: p.id, label: `#${p.number} ${[...p.question].slice(0, 24).join('')}` }));
  },
  async build(ctx, communityId, itemId, format) {
    requirePermission(ctx.actor, 'export', communityId);
    const poll = await requirePoll(ctx.services.db, itemId ?? '', communityId);
    const sheets = await pollExportSheets(ctx.services.db, poll, ctx.t, ctx.services.clock(), ctx.services.i18n.timeZone);
    return { name: exportFileName(poll, format), data: await writeTableToBuffer({ format, sheets }) };
  },
};

/** The polls feature. */
export const pollsFeature: Feature = {
  name: 'polls',
  scenes: [newPollScene],
  commands: [
    {
      name: 'newpoll',
      description: 'polls.cmd_newpoll',
      order: 30,
      visible: (ctx) => can(ctx.actor, 'poll.create', ctx.community?.id),
      async run(ctx, args) {
        requirePermission(ctx.actor, 'poll.create', ctx.requireCommunity().id);
        await ctx.services.scenes.start(ctx, newPollScene.id, args);
      },
    },
    { name: 'polls', description: 'polls.cmd_polls', order: 31, menu: true, run: (ctx, args) => listPolls(ctx, args) },
    {
      name: 'closepoll',
      description: 'polls.cmd_closepoll',
      order: 32,
      visible: (ctx) => can(ctx.actor, 'poll.manage', ctx.community?.id),
      async run(ctx, args) {
        const poll = await managedPoll(ctx, args);
        const closed = await closeAndAnnounce(ctx.services, poll.id, by(ctx), true);
        if (!closed) throw new DomainError('polls.not_open_now');
        await ctx.reply(ctx.t('polls.closed_early', { number: poll.number }));
      },
    },
    {
      name: 'cancelpoll',
      description: 'polls.cmd_cancelpoll',
      order: 33,
      visible: (ctx) => can(ctx.actor, 'poll.manage', ctx.community?.id),
      async run(ctx, args) {
        const [ref, ...reason] = args.split(/\s+/);
        const poll = await managedPoll(ctx, ref ?? '');
        await cancelAndAnnounce(ctx.services, by(ctx), poll.id, reason.join(' '));
        await ctx.reply(ctx.t('polls.cancelled_done', { number: poll.number }));
      },
    },
    {
      name: 'inperson',
      description: 'polls.cmd_inperson',
      order: 34,
      visible: (ctx) => can(ctx.actor, 'poll.manage', ctx.community?.id),
      async run(ctx, args) {
        const [ref, ...rest] = args.split(/\s+/).filter(Boolean);
        const poll = await managedPoll(ctx, ref ?? '');
        let voters: number | null = null;
        const counts: number[] = [];
        for (const token of rest) {
          const named = /^\S+=(\d{1,6})$/.exec(token);
          if (named) voters = Number(named[1]);
          else if (/^\d{1,6}$/.test(token)) counts.push(Number(token));
          else throw new DomainError('polls.inperson_usage', { labels: poll.options.map((o) => optionLabel(ctx.t, o)).join(' ') });
        }
        if (!counts.length) throw new DomainError('polls.inperson_usage', { labels: poll.options.map((o) => optionLabel(ctx.t, o)).join(' ') });
        await enterInPersonCounts(ctx.services.db, by(ctx), poll.id, counts, voters, null, ctx.services.clock());
        refresher(ctx.services).schedule(poll.id);
        await ctx.reply(ctx.t('polls.inperson_saved', { number: poll.number, counts: poll.options.map((o, i) => `${optionLabel(ctx.t, o)} ${counts[i]}`).join('，') }));
      },
    },
  ],
  legacyActions: [
    { prefix: 'v', run: vote },
    {
      // Shows a poll's card with its vote buttons in the private chat (from /polls, digests).
      prefix: 'pv',
      async run(ctx, [shortId, ...rest]) {
        const poll = shortId && SHORT_ID.test(shortId) && !rest.length ? await pollByShortId(ctx.services.db, shortId) : null;
        if (!poll) return void (await ctx.toast(ctx.t('polls.vote_bad_button'), true));
        if (poll.status !== 'open') return void (await ctx.toast(ctx.t(poll.status === 'cancelled' ? 'polls.vote_cancelled' : poll.status === 'scheduled' ? 'polls.vote_not_yet' : 'polls.vote_closed'), true));
        await ctx.toast('');
        await ctx.replyPrivately(pollCard(ctx.t, poll, await currentResult(ctx.services.db, poll)));
      },
    },
    {
      // Committee: close early (c → asks to confirm, cc → closes).
      prefix: 'pm',
      async run(ctx, [op, shortId]) {
        const poll = shortId && SHORT_ID.test(shortId) ? await pollByShortId(ctx.services.db, shortId) : null;
        if (!poll || (op !== 'c' && op !== 'cc')) return void (await ctx.toast(ctx.t('polls.vote_bad_button'), true));
        requirePermission(ctx.actor, 'poll.manage', poll.communityId);
        if (op === 'c') {
          await ctx.toast('');
          await ctx.reply({ text: ctx.t('polls.close_confirm', { number: poll.number, question: poll.question }), buttons: [[{ label: ctx.t('polls.close_confirm_yes'), action: `pm:cc:${poll.shortId}` }]] });
          return;
        }
        const closed = await closeAndAnnounce(ctx.services, poll.id, by(ctx), true);
        if (!closed) throw new DomainError('polls.not_open_now');
        await ctx.toast(ctx.t('polls.closed_early', { number: poll.number }));
        await ctx.reply(ctx.t('polls.closed_early', { number: poll.number }));
      },
    },
    {
      // The opt-out button under a reminder.
      prefix: 'po',
      async run(ctx, [op]) {
        if (op !== 'off' && op !== 'on') return void (await ctx.toast(ctx.t('polls.vote_bad_button'), true));
        await ctx.services.db.person.update({ where: { id: ctx.person.id }, data: { remindersOff: op === 'off' } });
        await ctx.toast(ctx.t(op === 'off' ? 'polls.reminders_off_done' : 'polls.reminders_on_done'));
        if (op === 'off') await ctx.replyPrivately({ text: ctx.t('polls.reminders_off_done'), buttons: [[{ label: ctx.t('polls.reminders_on_button'), action: 'po:on' }]] });
      },
    },
  ],
  jobs: [{ name: 'polls-tick', cron: '* * * * *', run: (services, now) => pollsTick(services, now) }],
  digest,
  exporters: [exporter],
};
