// Generates the Prisma clients during `npm install`.
//
// The Prisma CLI wants to download its native schema engine before `generate`; that download
// is not possible on machines that only reach the npm registry. When PRISMA_SCHEMA_ENGINE_BINARY
// points at any existing file the CLI skips the download and uses its bundled Wasm engine, which
// is all `generate` needs. We point it at this script itself.
//
// Two clients from the same models. Prisma 7 refuses a driver adapter whose provider differs from
// the schema's datasource ("@prisma/adapter-pg … is not compatible with the provider sqlite"), and
// the provider is compiled into the client, so one generated client cannot serve both engines.
// src/generated/prisma is the SQLite client every module imports its types from;
// src/generated/prisma-pg is generated from a copy of prisma/schema whose datasource says
// "postgresql" (nothing else differs) and is only loaded by src/db/postgres/client.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { postgresSchemaFiles } from './postgres-schema.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemaDir = join(root, 'prisma', 'schema');
if (!existsSync(schemaDir)) process.exit(0);

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const prismaBin = join(root, 'node_modules', 'prisma', 'build', 'index.js');

function generate(extraArgs) {
  const result = spawnSync(process.execPath, [prismaBin, 'generate', ...extraArgs], { cwd: root, env, stdio: 'inherit' });
  return result.status ?? 1;
}

{
  let status = generate([]);
  if (status === 0) {
    const tmp = mkdtempSync(join(tmpdir(), 'linli-pg-schema-'));
    try {
      for (const file of postgresSchemaFiles(schemaDir, join(root, 'src', 'generated', 'prisma-pg'))) writeFileSync(join(tmp, file.path), file.content);
      status = generate(['--schema', tmp]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  process.exit(status);
}
