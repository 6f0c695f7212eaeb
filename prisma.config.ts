import { defineConfig } from 'prisma/config';

// The CLI reads the schema from the folder (one file per domain). Migrations are applied by
// `linli migrate` (src/db/migrate.ts), not by the Prisma CLI, whose native engine cannot be
// downloaded on every machine; see README "Database migrations".
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/linli.db' },
});
