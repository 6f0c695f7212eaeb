/**
 * `/mydata` and `/forgetme`: a resident sees everything Linli stores about them (a summary
 * message and the complete JSON file, in the private chat only) and can have it erased after
 * a confirmation. The rules live in src/domain/residents/privacy.ts.
 */
import type { Ctx } from '../../core/context.ts';
import { onAction, type ActionDef, type CommandDef } from '../../core/feature.ts';
import { scoreLabel } from '../../domain/ratings/ratings.ts';
import { targetLabel } from '../../domain/ratings/targets.ts';
import { collectPersonalData, forgetPerson, type PersonalData } from '../../domain/residents/privacy.ts';
import type { TFn } from '../../i18n/i18n.ts';
import { splitText } from '../../outbox/split.ts';
import { optionLabel } from '../polls/render.ts';
import { privateCommand } from '../privateCommand.ts';
import { statusLabel } from '../proposals/render.ts';
import { forgetNo, forgetYes } from './actions.ts';

/** A confirmation button older than this is refused: erasure needs a fresh, deliberate yes. */
const CONFIRM_WINDOW_MS = 10 * 60_000;
/** Items listed per section in the message; the JSON file has all of them. */
const ITEMS_SHOWN = 10;

/** Renders one section: a counted heading and its first items. */
function section<T>(ctx: Ctx, key: string, items: T[], line: (item: T) => string): string[] {
  const out = [ctx.t(`privacy.${key}`, { count: items.length })];
  for (const item of items.slice(0, ITEMS_SHOWN)) out.push(`  · ${line(item)}`);
  if (items.length > ITEMS_SHOWN) out.push(`  ${ctx.t('privacy.more', { count: items.length - ITEMS_SHOWN })}`);
  return out;
}

/**
 * The stored data in words, for the summary and the file alike: a vote reads 赞成 (not the empty
 * label of a standard option), a rating 满意 for 党群服务中心 in 2026年第四季度 (not `4`,
 * `service_centre`, `2026Q4`), a proposal's status its name. The raw numbers stay beside the
 * words in the file, so nothing stored is hidden.
 */
export function personalDataInWords(t: TFn, d: PersonalData) {
  return {
    ...d,
    identities: d.identities.map((i) => ({ ...i, platformName: t(`privacy.platform.${i.platform}`) })),
    memberships: d.memberships.map((m) => ({ ...m, roleName: t(`roles.${m.role}`) })),
    proposals: d.proposals.map((p) => ({ ...p, statusName: statusLabel(t, p.status) })),
    ballots: d.ballots.map((b) => ({ ...b, choices: b.choices.map((c) => optionLabel(t, c)) })),
    ratings: d.ratings.map((r) => ({
      ...r,
      target: targetLabel(t, r.target),
      periodName: t('privacy.period', { period: r.period }),
      overallAnswer: scoreLabel(t, r.overall),
    })),
    codesRedeemed: d.codesRedeemed.map((c) => ({ ...c, roleName: t(`roles.${c.role}`) })),
  };
}

/** The summary message of /mydata: words only, no internal ids. */
export function renderPersonalData(ctx: Ctx, data: PersonalData): string {
  const t = ctx.t;
  const d = personalDataInWords(t, data);
  const ballotChoices = (b: (typeof d.ballots)[number]) => (b.anonymous ? t('privacy.ballot_secret') : b.choices.join('、') || t('privacy.ballot_none'));
  return [
    t('privacy.title'),
    t('privacy.person', { name: d.person.displayName, since: d.person.createdAt }),
    ...section(ctx, 'identities', d.identities, (i) => t('privacy.identity_line', { platform: i.platformName, id: i.platformUserId, username: i.username ? `@${i.username}` : '' }).trim()),
    ...section(ctx, 'memberships', d.memberships, (m) => t('privacy.membership_line', { community: m.community, role: m.roleName, unit: m.unit ?? '—', when: m.grantedAt })),
    ...section(ctx, 'proposals', d.proposals, (p) => t('privacy.proposal_line', { number: p.number, title: p.title, community: p.community, status: p.statusName })),
    ...section(ctx, 'seconds', d.seconds, (s) => t('privacy.second_line', { number: s.proposalNumber, title: s.proposalTitle })),
    ...section(ctx, 'ballots', d.ballots, (b) => t(b.advisory ? 'privacy.ballot_line_advisory' : 'privacy.ballot_line', { number: b.pollNumber, question: b.question, choices: ballotChoices(b) })),
    ...section(ctx, 'ratings', d.ratings, (r) => t('privacy.rating_line', { target: r.target, period: r.period, answer: r.overallAnswer })),
    ...section(ctx, 'requests', d.requests, (r) => t('privacy.request_line', { number: r.number, category: t(`requests.category.${r.category}`), status: t(`requests.status.${r.status}`) })),
    t('privacy.codes', { redeemed: d.codesRedeemed.length, issued: d.codesIssued }),
    t('privacy.attempts', { count: d.redemptionAttempts.length }),
    t('privacy.scenes', { count: d.scenes.length }),
    t('privacy.audit', { count: d.audit.length }),
    '',
    t('privacy.footer'),
  ].join('\n');
}

/** The /mydata command. */
export const myDataCommand: CommandDef = privateCommand('residents.private_only', {
  name: 'mydata',
  description: 'privacy.command_mydata',
  order: 85,
  async run(ctx) {
    const data = await collectPersonalData(ctx.services.db, ctx.person.id);
    for (const part of splitText(renderPersonalData(ctx, data), ctx.capabilities.maxTextLength)) await ctx.reply(part);
    const json = JSON.stringify({ exportedAt: ctx.services.clock(), ...personalDataInWords(ctx.t, data) }, null, 2);
    await ctx.reply({
      text: ctx.t('privacy.file_caption'),
      document: { data: Buffer.from(json, 'utf8'), name: 'linli-mydata.json', mimeType: 'application/json' },
    });
  },
});

/** The /forgetme command: explains what happens and asks for a confirmation. */
export const forgetMeCommand: CommandDef = privateCommand('residents.private_only', {
  name: 'forgetme',
  description: 'privacy.command_forgetme',
  order: 86,
  async run(ctx) {
    const issued = ctx.services.clock().getTime();
    await ctx.reply({
      text: ctx.t('privacy.forget_confirm'),
      buttons: [[{ label: ctx.t('privacy.forget_yes'), action: forgetYes.pack({ issued }) }, { label: ctx.t('privacy.forget_no'), action: forgetNo.pack({}) }]],
    });
  },
});

/** Erases the person after a fresh confirmation: their private chats' queued messages go too. */
async function forget(ctx: Ctx, issued: number): Promise<void> {
  const { db, clock, config, i18n } = ctx.services;
  const now = clock();
  const age = now.getTime() - issued;
  if (age < 0 || age > CONFIRM_WINDOW_MS) {
    await ctx.toast(ctx.t('privacy.confirm_expired'), true);
    return;
  }
  const identities = await db.identity.findMany({ where: { personId: ctx.person.id } });
  const privateChats = identities.flatMap((i) => {
    const adapter = ctx.services.adapterFor(i.platform);
    return adapter ? [{ platform: i.platform, chatId: adapter.privateChatId(i.platformUserId) }] : [];
  });
  await forgetPerson(db, ctx.person.id, {
    via: ctx.via,
    // Stored data, shown wherever the name was: in the deployment's language, not the person's.
    placeholder: i18n.t(config.LINLI_DEFAULT_LOCALE, 'privacy.erased_name'),
    privateChats,
    now,
    // Their own secret ballots lose their keyed link at once, not only when each poll closes.
    unlinkSecretBallots: (tx, id) => ctx.services.polls.ballots.unlinkVoter(tx, id),
  });
  await ctx.toast('');
  await ctx.reply(ctx.t('privacy.forgotten'));
}

/** The confirmation buttons of /forgetme. */
export const privacyActions: ActionDef[] = [
  onAction(forgetYes, (ctx, { issued }) => forget(ctx, issued), { chat: 'private' }),
  onAction(
    forgetNo,
    async (ctx) => {
      await ctx.toast('');
      await ctx.reply(ctx.t('privacy.kept'));
    },
    { chat: 'private' },
  ),
];
