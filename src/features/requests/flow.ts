/**
 * What follows a step once its transaction committed: the notices it calls for. Buttons,
 * scenes and the deadline job all call these, so a step has the same consequences whichever
 * way it was made.
 */
import type { Services } from '../../core/services.ts';
import type { ResidentRequest } from '../../generated/prisma/client.ts';
import { notifyAssigned, notifyClosed, notifyNewRequest, notifyReplied } from './notices.ts';

export async function afterRaise(services: Services, r: ResidentRequest): Promise<void> {
  await notifyNewRequest(services, r);
}

export async function afterAssign(services: Services, r: ResidentRequest): Promise<void> {
  await notifyAssigned(services, r);
}

export async function afterReply(services: Services, r: ResidentRequest): Promise<void> {
  await notifyReplied(services, r);
}

export async function afterClose(services: Services, r: ResidentRequest): Promise<void> {
  await notifyClosed(services, r);
}
