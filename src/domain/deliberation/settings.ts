/** A community's deliberation settings: whether comments wait for a committee member's approval. */
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { ActorRef } from '../polls/polls.ts';

/** True when the community's comments appear only after approval (default: at once). */
export async function preModeration(db: Db, communityId: string): Promise<boolean> {
  const row = await db.deliberationSetting.findUnique({ where: { communityId } });
  return row?.preModeration ?? false;
}

/** Turns pre-moderation on or off (committee); audited. */
export async function setPreModeration(db: Db, by: ActorRef, communityId: string, on: boolean, now: Date): Promise<void> {
  requirePermission(by.actor, 'comment.moderate', communityId);
  await db.$transaction(async (tx) => {
    await tx.deliberationSetting.upsert({
      where: { communityId },
      create: { communityId, preModeration: on, updatedById: by.actor.personId, updatedAt: now },
      update: { preModeration: on, updatedById: by.actor.personId, updatedAt: now },
    });
    await recordAudit(tx, { actorId: by.actor.personId, via: by.via, action: 'deliberation.premoderation', communityId, details: { on } });
  });
}
