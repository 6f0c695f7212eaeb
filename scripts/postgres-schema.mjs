// The PostgreSQL variant of prisma/schema: the same models, the datasource provider swapped to
// "postgresql" (and, for client generation, another output folder). Shared by
// scripts/generate-client.mjs (second client) and scripts/new-migration.ts (PostgreSQL migrations),
// so both read the models the same way.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One schema file's text with the datasource provider set to postgresql (and the output moved when given). */
export function toPostgresSchema(content, output) {
  let text = content.replace(/(datasource\s+\w+\s*\{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"');
  if (output) text = text.replace(/(generator\s+client\s*\{[^}]*output\s*=\s*)"[^"]*"/, `$1${JSON.stringify(output)}`);
  return text;
}

/** The *.prisma files of `schemaDir` (sorted) as PostgreSQL schema files. */
export function postgresSchemaFiles(schemaDir, output) {
  return readdirSync(schemaDir)
    .filter((name) => name.endsWith('.prisma'))
    .sort()
    .map((name) => ({ path: name, content: toPostgresSchema(readFileSync(join(schemaDir, name), 'utf8'), output) }));
}
