/**
 * The seam to council meetings: the meetings domain owns agendas, requests only ask it to add an
 * item. Its own rules (the meeting still scheduled, the committee's permission, at most 20
 * items) decide; a refusal reaches the committee member as the meetings domain words it.
 */
import type { Services } from '../../core/services.ts';
import { addAgendaItem } from '../../domain/meetings/meetings.ts';
import type { AgendaPort } from '../../domain/requests/links.ts';

/** Meetings offered at most (a button each). */
const MAX_MEETINGS = 8;

/** The meetings domain's port for this bot. */
export function agendaPort(services: Services): AgendaPort {
  const { db } = services;
  return {
    async upcoming(communityId) {
      const meetings = await db.meeting.findMany({
        where: { communityId, status: 'scheduled', startsAt: { gte: services.clock() } },
        orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
        take: MAX_MEETINGS,
        select: { id: true, number: true, title: true },
      });
      return meetings.map((m) => ({ id: m.id, label: `#${m.number} ${m.title}` }));
    },
    async addAgendaItem(meetingId, item, acting) {
      await addAgendaItem(db, meetingId, item, acting);
    },
  };
}
