/**
 * The three publications of 三议三公开 — the proposal, the decision, the result — and the
 * private notices to an author. Everything goes through the outbox under a key per proposal
 * and step, so a retried action or a redelivered event never posts twice.
 */
import type { Services } from '../../core/services.ts';
import type { Proposal } from '../../generated/prisma/client.ts';
import { loadCardAddon } from '../deliberation/cards.ts';
import { notifyPerson } from '../notify.ts';
import { viewProposal } from './actions.ts';
import { decisionNotice, proposalCard, resultNotice } from './render.ts';

/** Outbox key base of a proposal's publication (its card). */
export const publishedKey = (p: Pick<Proposal, 'id'>) => `proposal:${p.id}:published`;

/** Deep-link payload of a proposal's page in the private chat. */
export const pagePayload = (p: Pick<Proposal, 'id'>) => `pv-${p.id}`;

function detailLink(services: Services, platform: string, p: Proposal): string | undefined {
  return services.adapterFor(platform)?.deepLink(pagePayload(p));
}

async function secondsOf(services: Services, p: Proposal): Promise<{ seconds: number; threshold: number }> {
  const [seconds, community] = await Promise.all([
    services.db.proposalSecond.count({ where: { proposalId: p.id } }),
    services.db.community.findUniqueOrThrow({ where: { id: p.communityId }, select: { secondsThreshold: true } }),
  ]);
  return { seconds, threshold: community.secondsThreshold };
}

/** Publication 1: posts the proposal with its 附议 button to every group of the community. */
export async function publishProposal(services: Services, p: Proposal): Promise<number> {
  const { seconds, threshold } = await secondsOf(services, p);
  const addon = await loadCardAddon(services.db, { kind: 'proposal', id: p.id });
  return services.outbox.publishToCommunity(
    p.communityId,
    publishedKey(p),
    (locale, group) => {
      const t = services.i18n.bind(locale);
      return proposalCard(t, p, seconds, threshold, detailLink(services, group.platform, p), addon?.(t));
    },
    { refType: 'proposal', refId: p.id },
  );
}

/**
 * Updates the posted cards (seconds count, button gone once review started). Edits coalesce
 * in the outbox; a failure here never undoes a second, so it is logged and left.
 */
export async function refreshCards(services: Services, proposalId: string): Promise<void> {
  try {
    const p = await services.db.proposal.findUniqueOrThrow({ where: { id: proposalId } });
    const { seconds, threshold } = await secondsOf(services, p);
    const community = await services.db.community.findUniqueOrThrow({ where: { id: p.communityId } });
    const groups = await services.db.chatGroup.findMany({ where: { communityId: p.communityId, active: true } });
    const addon = await loadCardAddon(services.db, { kind: 'proposal', id: p.id });
    for (const g of groups) {
      const t = services.i18n.bind(g.locale ?? community.locale);
      await services.outbox.enqueueEdit(`${publishedKey(p)}:${g.platform}:${g.chatId}`, proposalCard(t, p, seconds, threshold, detailLink(services, g.platform, p), addon?.(t)));
    }
  } catch (err) {
    services.log.warn({ err, proposalId }, 'could not refresh proposal cards');
  }
}

/** Publication 2: the decision on a proposal, to every group. */
export async function publishDecision(services: Services, p: Proposal): Promise<number> {
  const mergedInto = p.mergedIntoId ? await services.db.proposal.findUnique({ where: { id: p.mergedIntoId }, select: { number: true, title: true } }) : null;
  return services.outbox.publishToCommunity(
    p.communityId,
    `proposal:${p.id}:decision:${p.status}`,
    (locale) => decisionNotice(services.i18n.bind(locale), p, { mergedInto }),
    { refType: 'proposal', refId: p.id },
  );
}

/** Publication 3: the result of a completed project, to every group. */
export function publishResult(services: Services, p: Proposal): Promise<number> {
  return services.outbox.publishToCommunity(p.communityId, `proposal:${p.id}:result`, (locale) => resultNotice(services.i18n.bind(locale), p), {
    refType: 'proposal',
    refId: p.id,
  });
}

/**
 * Tells the author privately (on their first platform with a running adapter), through the
 * outbox so it is sent once even if the action is retried. Silent when the author erased
 * themselves.
 */
export async function notifyAuthor(services: Services, p: Proposal, step: string, key: string, params: Record<string, unknown> = {}): Promise<boolean> {
  if (!p.authorId) return false;
  const sent = await notifyPerson(services, p.authorId, {
    key: `proposal:${p.id}:notify:${step}`,
    communityId: p.communityId,
    refType: 'proposal',
    refId: p.id,
    reach: 'first',
    message(t, adapter) {
      const link = adapter.deepLink(pagePayload(p));
      return {
        text: t(key, { number: p.number, title: p.title, reason: p.statusReason ? t('proposals.notice.note', { reason: p.statusReason }) : '', status: t(`proposals.status.${p.status}`), ...params }),
        buttons: link ? [[{ label: t('proposals.details_button'), url: link }]] : [[{ label: t('proposals.details_button'), action: viewProposal.pack({ proposal: p.id }) }]],
      };
    },
  });
  return sent > 0;
}

/** After a decision: publish it and tell the author. */
export async function announceDecision(services: Services, p: Proposal): Promise<void> {
  await publishDecision(services, p);
  await notifyAuthor(services, p, `decision:${p.status}`, 'proposals.notify.decision');
  await refreshCards(services, p.id);
}

/** After completion: publish the result and let the ratings feature open an evaluation. */
export async function announceCompletion(services: Services, p: Proposal): Promise<void> {
  await publishResult(services, p);
  await notifyAuthor(services, p, 'completed', 'proposals.notify.completed');
  await services.events.emit('proposal.completed', { proposalId: p.id, communityId: p.communityId, title: p.title });
}
