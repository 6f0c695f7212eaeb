/**
 * The committee's settings of its bodies in chat: `/meetingbody` shows each body's required
 * frequency, quorum and members; `/meetingbody council 每年 6 每季 1 法定 0.5` changes them; and a
 * meeting card's button lists the attendees who signed in as observers as members of its body
 * (how a residents' representatives' meeting gets its members at its first sitting).
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import { DomainError } from '../../domain/errors.ts';
import { bodiesOf, bodyById, bodyCandidates, changeBodyMember, isBodyKind, membersOf, setBodyMember, setBodyRules, type BodyKind, type BodyRules } from '../../domain/meetings/bodies.ts';
import { getMeeting } from '../../domain/meetings/meetings.ts';
import { requirePermission } from '../../domain/residents/permissions.ts';
import { bodyAddAction, bodyMembersAction, bodyPickAction, bodyRemoveAction, enrolAttendees } from './actions.ts';
import { bodyName } from './render.ts';

/** Reads "每年 6 每季 1 法定 0.5" (or "year 6 quarter 1 quorum 0.5"). */
export function parseBodyRules(raw: string): BodyRules | null {
  const s = raw.normalize('NFKC').toLowerCase();
  const rules: BodyRules = {};
  const take = (re: RegExp) => re.exec(s)?.[1];
  const year = take(/(?:每年|全年|year)\s*(\d+)/);
  const quarter = take(/(?:每季度?|quarter)\s*(\d+)/);
  const quorum = take(/(?:法定人数?|quorum)\s*(0?\.\d+|0)/);
  if (year !== undefined) rules.perYear = Number(year);
  if (quarter !== undefined) rules.perQuarter = Number(quarter);
  if (quorum !== undefined) rules.quorumShare = Number(quorum);
  return Object.keys(rules).length ? rules : null;
}

/** /meetingbody [body rules]. */
export const meetingBodyCommand: CommandDef = {
  name: 'meetingbody',
  description: 'meetings.cmd_meetingbody',
  order: 63,
  permission: 'meeting.manage',
  chat: 'private',
  async run(ctx, args) {
    const community = ctx.requireCommunity();
    requirePermission(ctx.actor, 'meeting.manage', community.id);
    const [kind, ...rest] = args.trim().split(/\s+/).filter(Boolean);
    if (kind) {
      if (!isBodyKind(kind)) throw new DomainError('meetings.body_usage');
      const rules = parseBodyRules(rest.join(' '));
      if (!rules) throw new DomainError('meetings.body_usage');
      await setBodyRules(ctx.services.db, ctx.actor, ctx.via, community.id, kind, rules);
    }
    const lines = [ctx.t('meetings.bodies_title', { community: community.name })];
    const bodies = await bodiesOf(ctx.services.db, community.id);
    for (const body of bodies) {
      const members = await membersOf(ctx.services.db, body);
      lines.push(ctx.t('meetings.bodies_line', { kind: body.kind, body: bodyName(ctx.t, body), perYear: body.perYear, perQuarter: body.perQuarter, quorum: Math.round(body.quorumShare * 100), count: members.length, names: members.map((m) => m.name).join('、') || '-' }));
    }
    lines.push(ctx.t('meetings.bodies_hint'));
    await ctx.reply({ text: lines.join('\n'), buttons: bodies.map((b) => [{ label: ctx.t('meetings.body_members_button', { body: bodyName(ctx.t, b) }), action: bodyMembersAction.pack({ body: b.id }) }]) });
  },
};

/** A body's members, each with a button to remove them, and the button to add one. */
async function membersView(ctx: Ctx, bodyId: string) {
  const body = await bodyById(ctx.services.db, ctx.actor, bodyId);
  const members = await membersOf(ctx.services.db, body);
  return {
    text: ctx.t('meetings.body_members', { body: bodyName(ctx.t, body), count: members.length, names: members.map((m) => m.name).join('、') || '-' }),
    buttons: [
      ...members.map((m) => [{ label: ctx.t('meetings.body_remove_button', { name: m.name }), action: bodyRemoveAction.pack({ body: body.id, person: m.personId }) }]),
      [{ label: ctx.t('meetings.body_add_button'), action: bodyPickAction.pack({ body: body.id, page: 0 }) }],
    ],
  };
}

const privately = { chat: 'private', permission: 'meeting.manage' } as const;

/** The card's "登记为成员" button and the member picker of /meetingbody. */
export const bodyActions: ActionDef[] = [
  onAction(
    bodyMembersAction,
    async (ctx, { body }) => {
      const view = await membersView(ctx, body);
      await ctx.toast('');
      await ctx.reply(view);
    },
    privately,
  ),
  onAction(
    bodyPickAction,
    async (ctx, { body, page }) => {
      const found = await bodyCandidates(ctx.services.db, ctx.actor, body, page);
      await ctx.toast('');
      if (!found.people.length) {
        await ctx.reply(ctx.t('meetings.body_no_candidates', { body: bodyName(ctx.t, found.body) }));
        return;
      }
      const nav = [
        ...(found.page > 0 ? [{ label: ctx.t('meetings.page_prev'), action: bodyPickAction.pack({ body, page: found.page - 1 }) }] : []),
        ...(found.page < found.pages - 1 ? [{ label: ctx.t('meetings.page_next'), action: bodyPickAction.pack({ body, page: found.page + 1 }) }] : []),
      ];
      await ctx.reply({
        text: ctx.t('meetings.body_pick', { body: bodyName(ctx.t, found.body), page: found.page + 1, pages: found.pages }),
        buttons: [...found.people.map((p) => [{ label: `＋ ${p.name}`, action: bodyAddAction.pack({ body, person: p.personId }) }]), ...(nav.length ? [nav] : [])],
      });
    },
    privately,
  ),
  ...([
    [bodyAddAction, true],
    [bodyRemoveAction, false],
  ] as const).map(([codec, member]) =>
    onAction(
      codec,
      async (ctx, { body, person }) => {
        const { changed } = await changeBodyMember(ctx.services.db, ctx.actor, ctx.via, body, person, member);
        await ctx.toast(ctx.t(!changed ? 'meetings.body_member_unchanged' : member ? 'meetings.body_member_added' : 'meetings.body_member_removed'));
        await ctx.reply(await membersView(ctx, body));
      },
      privately,
    ),
  ),
  onAction(
    enrolAttendees,
    async (ctx, { meeting }) => {
      const m = await getMeeting(ctx.services.db, meeting);
      requirePermission(ctx.actor, 'meeting.manage', m.communityId);
      const members = new Set((await membersOf(ctx.services.db, m.body)).map((x) => x.personId));
      const observers = m.attendance.filter((a) => !members.has(a.personId));
      // A council without a list consists of the council role's holders: listing the observers
      // alone would drop those, so they are listed too.
      if (members.size && !(await ctx.services.db.meetingBodyMember.count({ where: { bodyId: m.bodyId } }))) {
        for (const id of members) await setBodyMember(ctx.services.db, ctx.actor, ctx.via, m.communityId, m.body.kind as BodyKind, id, true);
      }
      for (const a of observers) await setBodyMember(ctx.services.db, ctx.actor, ctx.via, m.communityId, m.body.kind as BodyKind, a.personId, true);
      await ctx.toast('');
      await ctx.reply(ctx.t('meetings.enrolled', { count: observers.length, body: bodyName(ctx.t, m.body), names: observers.map((a) => a.name).join('、') || '-' }));
    },
    { chat: 'private', permission: 'meeting.manage' },
  ),
];
