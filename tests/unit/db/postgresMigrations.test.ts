/**
 * prisma/migrations-postgresql keeps up with prisma/schema: the snapshot the last PostgreSQL
 * migration reached equals the PostgreSQL form of the schema (else `npm run db:migration` was not
 * run after a schema change), and the migrations, applied to a new PostgreSQL database, leave the
 * tables the client needs (on a PostgreSQL run only: LINLI_TEST_DATABASE).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations } from '../../../src/db/migrate.ts';
import { DEFAULT_POSTGRES_MIGRATIONS_DIR } from '../../../src/db/postgres/migrate.ts';
import { createSchemaEngine, PROJECT_SCHEMA_DIR } from '../../../src/db/schemaEngine.ts';
import { postgresSchemaFiles } from '../../../scripts/postgres-schema.mjs';
import { freshDatabase } from '../../support/harness.ts';
import { TEST_ENGINE } from '../../support/testDatabase.ts';

describe('prisma/migrations-postgresql', () => {
  it('has a migration for every schema change (snapshot.prisma matches prisma/schema)', async () => {
    const engine = await createSchemaEngine();
    try {
      const result = await engine.engine.diff({
        from: { tag: 'schemaDatamodel', files: [{ path: 'snapshot.prisma', content: readFileSync(join(DEFAULT_POSTGRES_MIGRATIONS_DIR, 'snapshot.prisma'), 'utf8') }] },
        to: { tag: 'schemaDatamodel', files: postgresSchemaFiles(PROJECT_SCHEMA_DIR) },
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      });
      expect(result.exitCode === 0 ? '' : result.stdout, 'run npm run db:migration -- <name>').toBe('');
    } finally {
      await engine.close();
    }
    expect(readMigrations(DEFAULT_POSTGRES_MIGRATIONS_DIR, 'postgresql').length).toBeGreaterThan(0);
  });

  it.runIf(TEST_ENGINE === 'postgresql')('migrates a new PostgreSQL database into one the client can use', async () => {
    const { db } = await freshDatabase();
    try {
      const community = await db.community.create({ data: { slug: 'futian-x', name: '福田X社区' } });
      expect(await db.community.findUniqueOrThrow({ where: { slug: 'futian-x' } })).toMatchObject({ id: community.id });
      const tables = await db.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'`;
      expect(Number(tables[0].n)).toBeGreaterThan(30);
    } finally {
      await db.$disconnect();
    }
  });
});
