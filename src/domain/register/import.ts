/**
 * Reading a register file and previewing its import, the two steps every way in (the CLI, the
 * /register scene) shares before the committee member confirms.
 */
import type { Db } from '../../db/client.ts';
import type { Community } from '../../generated/prisma/client.ts';
import { requirePermission } from '../residents/permissions.ts';
import type { Actor } from '../residents/roles.ts';
import { planImport, type ImportPlan } from './plan.ts';
import { readSheet } from './sheet.ts';
import { readRegisterTable, type RegisterTable } from './table.ts';

/** A register file as it arrived. */
export interface RegisterFile {
  name?: string;
  mimeType?: string;
  bytes: Uint8Array;
}

/** Reads a file into register rows for a community; refuses it with every problem named. */
export async function readRegisterFile(file: RegisterFile, community: Pick<Community, 'name' | 'slug'>): Promise<RegisterTable> {
  return readRegisterTable(await readSheet(file), community);
}

/** Reads a file and plans its import, writing nothing. */
export async function previewImport(db: Db, actor: Actor, community: Community, file: RegisterFile): Promise<{ table: RegisterTable; plan: ImportPlan }> {
  requirePermission(actor, 'register.import', community.id);
  const table = await readRegisterFile(file, community);
  return { table, plan: await planImport(db, community.id, table.rows, table.facts) };
}
