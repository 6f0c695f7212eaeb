/**
 * Housekeeping jobs: tell people whose scene expired, prune old update ids.
 */
import type { Feature } from '../feature.ts';
import { personLocale } from '../../i18n/i18n.ts';

/** How long handled update ids are kept; Telegram never redelivers older ones. */
const UPDATE_ID_RETENTION_DAYS = 7;

/** The maintenance feature. */
export const maintenanceFeature: Feature = {
  name: 'maintenance',
  jobs: [
    {
      name: 'scene-expiry',
      cron: '* * * * *',
      async run(services, now) {
        const expired = await services.scenes.expireIdle(now);
        for (const session of expired) {
          const adapter = services.adapters.get(session.platform as never);
          if (!adapter) continue;
          const person = await services.db.person.findUnique({ where: { id: session.personId } });
          const locale = personLocale(person, services.config.LINLI_DEFAULT_LOCALE);
          await adapter
            .send(session.chatId, { text: services.i18n.t(locale, 'scene.expired') })
            .catch((err) => services.log.warn({ err, chat: session.chatId }, 'could not announce an expired scene'));
        }
      },
    },
    {
      name: 'prune-updates',
      cron: '17 4 * * *',
      async run(services, now) {
        const before = new Date(now.getTime() - UPDATE_ID_RETENTION_DAYS * 86_400_000);
        await services.db.processedUpdate.deleteMany({ where: { handledAt: { lt: before } } });
      },
    },
  ],
};
