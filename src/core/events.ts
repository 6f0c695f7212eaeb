/**
 * Domain events between features: when one feature's action matters to another (a poll that
 * decides proposals closes; a completed project becomes something residents rate), the first
 * emits an event and the second reacts, so neither imports the other's internals.
 *
 * Handlers run after the emitting action committed, one after another; a failing handler is
 * logged and does not undo the action (handlers must be idempotent and catch up by themselves).
 */
import type { Logger } from '../log.ts';
import type { DomainEvents } from '../domain/events.ts';

export type { DomainEvents };

export type EventName = keyof DomainEvents;
export type EventHandler<K extends EventName> = (payload: DomainEvents[K]) => Promise<void>;

/** A small typed event bus. One per bot. */
export class EventBus {
  private readonly handlers = new Map<EventName, EventHandler<EventName>[]>();

  constructor(private readonly log: Logger) {}

  /** Subscribes to an event. */
  on<K extends EventName>(name: K, handler: EventHandler<K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as EventHandler<EventName>);
    this.handlers.set(name, list);
  }

  /** Runs every handler of the event; failures are logged, not thrown. */
  async emit<K extends EventName>(name: K, payload: DomainEvents[K]): Promise<void> {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        await handler(payload);
      } catch (err) {
        this.log.error({ err, event: name }, 'event handler failed');
      }
    }
  }
}
