/**
 * Tagging a chat group with the buildings or 居民小组 it serves (a 3栋 楼栋群), so that scoped
 * notices and polls reach it (src/domain/register/scope.ts, groupHearsScope). Untagged groups
 * serve the whole community, as every group did before scopes. Binding a group is a committee
 * matter; so is saying whom it serves.
 */
import type { Db } from '../../db/client.ts';
import type { ChatGroup } from '../../generated/prisma/client.ts';
import { DomainError } from '../errors.ts';
import { recordAudit } from '../residents/audit.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { isWholeCommunity, readScope, scopeFromText, serializeScope, type Scope } from './scope.ts';

/** Sets (or, with "全体", clears) the scope a group serves; returns the scope stored. */
export async function setGroupScope(db: Db, actor: Actor, via: string, group: Pick<ChatGroup, 'id' | 'communityId'>, text: string): Promise<Scope> {
  if (!group.communityId) throw new DomainError('scope.group_unbound');
  requirePermission(actor, 'community.bind', group.communityId);
  const scope = await scopeFromText(db, group.communityId, text);
  await db.$transaction(async (tx) => {
    await tx.chatGroup.update({ where: { id: group.id }, data: { scope: serializeScope(scope) } });
    await recordAudit(tx, {
      actorId: actor.personId,
      via,
      action: 'group.scope',
      communityId: group.communityId,
      targetType: 'group',
      targetId: group.id,
      details: { scope: isWholeCommunity(scope) ? 'all' : [...scope.buildings, ...scope.groups].map((r) => r.name) },
    });
  });
  return scope;
}

/** The scope a group serves now. */
export async function groupScopeOf(db: Db, groupId: string): Promise<Scope> {
  const group = await db.chatGroup.findUnique({ where: { id: groupId }, select: { scope: true } });
  return readScope(group?.scope);
}
