/**
 * The cards a poll has in its community's groups: their outbox keys, editing them all (each in
 * its group's language), and keeping an open poll's cards up to date as votes come in — a burst
 * of votes becomes one edit per card.
 */
import type { CardRefresher } from '../../domain/polls/services.ts';
import { postedCards } from '../../domain/polls/publication.ts';
import { pollById } from '../../domain/polls/queries.ts';
import { currentResult } from '../../domain/polls/polls.ts';
import type { Db } from '../../db/client.ts';
import type { Translator } from '../../i18n/i18n.ts';
import type { Logger } from '../../log.ts';
import type { Outbox } from '../../outbox/outbox.ts';
import type { OutMessage } from '../../platform/messages.ts';
import { loadCardAddon } from '../deliberation/cards.ts';
import { pollCard } from './render.ts';

/** Outbox key base of a poll's card; each group's message is `<base>:<platform>:<chatId>`. */
export const cardKey = (pollId: string) => `poll:${pollId}`;
/** Outbox refType of a poll's cards. */
export const CARD_REF = 'poll';

/** Delay that gathers a burst of votes into one edit per posted card. */
export const REFRESH_DELAY_MS = 3000;

/** What editing cards needs. */
export interface CardDeps {
  db: Db;
  outbox: Outbox;
  i18n: Translator;
  log: Logger;
  /** Language of a card whose group and community name none. */
  defaultLocale: string;
}

/** Edits every posted card of a poll to `render(locale)` (rendered once per language). */
export async function editCards(deps: CardDeps, pollId: string, render: (locale: string) => OutMessage): Promise<void> {
  const cards = await postedCards(deps.db, { refType: CARD_REF, refId: pollId, keyPrefix: `${cardKey(pollId)}:` }, deps.defaultLocale);
  const rendered = new Map<string, OutMessage>();
  for (const card of cards) {
    if (!rendered.has(card.locale)) rendered.set(card.locale, render(card.locale));
    await deps.outbox.enqueueEdit(card.key, rendered.get(card.locale)!);
  }
}

/** Re-renders the cards of an open poll with the current turnout (and live tallies). */
export async function refreshCards(deps: CardDeps, pollId: string): Promise<void> {
  const poll = await pollById(deps.db, pollId);
  if (!poll || poll.status !== 'open') return;
  const [current, addon] = await Promise.all([currentResult(deps.db, poll), loadCardAddon(deps.db, { kind: 'poll', id: pollId })]);
  await editCards(deps, pollId, (locale) => {
    const t = deps.i18n.bind(locale);
    return pollCard(t, poll, current, addon?.(t));
  });
}

/**
 * Gathers votes into few edits: the first vote of a burst schedules one refresh a few seconds
 * later; votes until then ride along. (After a restart, the next vote or the close refreshes.)
 */
export class TimedCardRefresher implements CardRefresher {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; run: () => Promise<void> }>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deps: CardDeps,
    private readonly delayMs = REFRESH_DELAY_MS,
  ) {}

  schedule(pollId: string): void {
    if (this.timers.has(pollId)) return;
    const run = async () => {
      this.timers.delete(pollId);
      await refreshCards(this.deps, pollId).catch((err) => this.deps.log.warn({ err, pollId }, 'poll card refresh failed'));
    };
    const timer = setTimeout(() => void this.track(run()), this.delayMs);
    timer.unref?.();
    this.timers.set(pollId, { timer, run });
  }

  async flush(): Promise<void> {
    const pending = [...this.timers.values()];
    for (const p of pending) clearTimeout(p.timer);
    await Promise.all([...pending.map((p) => this.track(p.run())), ...this.running]);
  }

  private track(p: Promise<void>): Promise<void> {
    this.running.add(p);
    return p.finally(() => this.running.delete(p));
  }
}
