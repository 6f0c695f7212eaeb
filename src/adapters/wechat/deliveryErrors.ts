/**
 * Maps what wechaty and its puppets throw to what the outbox does next. Puppets report
 * failures as plain Error texts, so this reads the text: most failures (not logged in yet, a
 * dropped web session, a timeout) are worth retrying; a room or contact that no longer exists is
 * not; "too frequent" means back off for a minute.
 */
import { DeliveryError } from '../../platform/adapter.ts';

const RATE_LIMITED = /too frequent|frequency|rate.?limit|频繁|操作太快/i;
const GONE = /not found|no payload|not (a )?(friend|member)|not in (the )?room|blacklist|拉黑|已退出|removed/i;

/** The DeliveryError for a wechaty failure (transient unless recognised). */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const text = err instanceof Error ? err.message : String(err);
  if (RATE_LIMITED.test(text)) return new DeliveryError('rate_limited', text, 60);
  if (GONE.test(text)) return new DeliveryError('forbidden', text);
  return new DeliveryError('transient', text);
}
