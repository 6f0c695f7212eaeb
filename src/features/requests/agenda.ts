/**
 * The seam to council meetings. The meetings feature (built on another branch) owns agendas;
 * requests only ask it to add an item. Until it is wired here, `agendaPort` returns null and
 * the request page offers no agenda button.
 *
 * To wire it: return an AgendaPort whose `addAgendaItem` calls the meetings domain's
 * `addAgendaItem` with `{ kind: 'request', refId, title }` and whose `upcoming` lists the
 * community's scheduled meetings.
 */
import type { Services } from '../../core/services.ts';
import type { AgendaPort } from '../../domain/requests/links.ts';

/** The meetings domain's port for this bot, or null while meetings are not part of it. */
export function agendaPort(services: Services): AgendaPort | null {
  void services;
  return null;
}
