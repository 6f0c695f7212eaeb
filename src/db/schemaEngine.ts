// Dev/test-only access to Prisma's schema engine. The CLI's native engine cannot be downloaded on
// every machine, but the Wasm build (@prisma/schema-engine-wasm) runs offline on top of the
// better-sqlite3 driver adapter. We use it to generate migration SQL (scripts/new-migration.ts)
// and to prove in tests that prisma/migrations matches prisma/schema. The bot itself never loads
// this file: applying migrations at runtime is src/db/migrate.ts, which needs better-sqlite3 only.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
// A dependency of @prisma/adapter-better-sqlite3 (same version), hoisted to node_modules/@prisma.
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { DiffTarget, SchemaContainer, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

/** prisma/schema of this project (one .prisma file per domain). */
export const PROJECT_SCHEMA_DIR = fileURLToPath(new URL('../../prisma/schema', import.meta.url));

/** One side of a diff. */
export type DiffSource =
  /** No tables at all. */
  | { kind: 'empty' }
  /** A folder of *.prisma files (searched recursively) or one .prisma file; default prisma/schema. */
  | { kind: 'schema'; dir?: string }
  /** A SQLite database, `file:/abs/path.db`; it must exist. */
  | { kind: 'url'; url: string };

export interface SchemaEngineOptions {
  /** Refuse to create the database file if it does not exist (default false). */
  mustExist?: boolean;
  /** Receives the engine's JSON log lines. */
  onLog?: (line: string) => void;
}

export interface SchemaEngineHandle {
  /** The database the engine is connected to (`:memory:` when none). */
  readonly url: string;
  /** The raw engine, for calls this module does not wrap. */
  readonly engine: SchemaEngine;
  /** SQL that turns `from` into `to`; '' when there is no difference. */
  diff(from: DiffSource, to: DiffSource): Promise<string>;
  /** Frees the engine and closes its database connections. Idempotent. */
  close(): Promise<void>;
}

// ---- loading the Wasm module ---------------------------------------------------------------------

// Our tsconfig has no DOM lib, so describe the little of the WebAssembly API we use.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, object>) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** wasm-bindgen glue writes Rust panic messages here (Prisma's CLI sets the same global). */
const panicRegistry = { message: '', set_message(message: string) { this.message = `RuntimeError: ${message}`; } };

let compiled: object | undefined;
/** Set after a panic: a Rust panic leaves the instance's memory in an undefined state. */
let instanceReady = false;

function ensureWasmInstance(): void {
  if (instanceReady) return;
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  g.PRISMA_WASM_PANIC_REGISTRY ??= panicRegistry;
  if (!compiled) {
    // The package entry does `import * as wasm from "./schema_engine_bg.wasm"`, which Node cannot
    // load; instantiate the .wasm next to the JS glue ourselves, as the entry would.
    const require = createRequire(import.meta.url);
    const wasmFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    compiled = new wasmApi.Module(readFileSync(wasmFile));
  }
  const instance = new wasmApi.Instance(compiled, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === 'function') start();
  instanceReady = true;
}

// ---- schema sources ------------------------------------------------------------------------------

/** The .prisma files of a folder (recursively, sorted) or a single .prisma file. */
export function loadSchemaFiles(dirOrFile: string = PROJECT_SCHEMA_DIR): SchemaContainer[] {
  const root = resolve(dirOrFile);
  if (!existsSync(root)) throw new Error(`Prisma schema not found: ${root}`);
  const paths = statSync(root).isDirectory()
    ? readdirSync(root, { recursive: true, encoding: 'utf8' })
        .filter((entry) => entry.endsWith('.prisma'))
        .sort()
        .map((entry) => join(root, entry))
    : [root];
  if (paths.length === 0) throw new Error(`No .prisma files in ${root}`);
  return paths.map((path) => ({ path, content: readFileSync(path, 'utf8') }));
}

/** `file:` URL of a SQLite database path. */
export function sqliteUrl(file: string): string {
  return `file:${resolve(file)}`;
}

function normalizeUrl(url: string): string {
  return url === ':memory:' ? url : sqliteUrl(url.replace(/^file:/, ''));
}

/** `schemaDatasource` needs a datasource block; the database itself comes from the adapter. */
const DATASOURCE_ONLY: SchemaContainer[] = [
  { path: 'datasource.prisma', content: 'datasource db {\n  provider = "sqlite"\n}\n' },
];

// ---- the engine ----------------------------------------------------------------------------------

/**
 * Starts a schema engine connected (through the better-sqlite3 adapter) to `url`, a SQLite
 * `file:` URL or `:memory:`. Its shadow database, when one is needed, is in memory.
 */
export async function createSchemaEngine(url = ':memory:', options: SchemaEngineOptions = {}): Promise<SchemaEngineHandle> {
  const engineUrl = normalizeUrl(url);
  if (options.mustExist && engineUrl !== ':memory:' && !existsSync(engineUrl.slice('file:'.length))) {
    throw new Error(`SQLite database not found: ${engineUrl.slice('file:'.length)}`);
  }
  ensureWasmInstance();

  // Track the connections the engine opens: freeing the engine does not close them.
  const factory = new PrismaBetterSqlite3({ url: engineUrl, fileMustExist: options.mustExist ?? false });
  const connections: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const connection = await factory.connect();
      connections.push(connection);
      return connection;
    },
    connectToShadowDb: async () => {
      const connection = await factory.connectToShadowDb();
      connections.push(connection);
      return connection;
    },
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(tracking);
  const onLog = options.onLog ?? (() => {});

  /** Engine errors only say "External error id#N" for JS errors; add the adapter's message. */
  const explain = (error: unknown): Error => {
    if (!(error instanceof Error)) return new Error(String(error));
    if (error.name === 'RuntimeError') {
      instanceReady = false;
      return new Error(`Prisma schema engine panicked: ${panicRegistry.message || error.message}`, { cause: error });
    }
    const id = /External error id#(\d+)/.exec(error.message)?.[1];
    const cause = id === undefined ? undefined : adapter.errorRegistry.consumeError(Number(id))?.error;
    if (cause instanceof Error) error.message += `\nCaused by: ${cause.message}`;
    return error;
  };

  let engine: SchemaEngine;
  try {
    engine = await bindings.SchemaEngine.new({ datamodels: undefined }, (line: string) => onLog(line), adapter);
  } catch (error) {
    throw explain(error);
  }

  const target = (source: DiffSource): DiffTarget => {
    switch (source.kind) {
      case 'empty':
        return { tag: 'empty' };
      case 'schema':
        return { tag: 'schemaDatamodel', files: loadSchemaFiles(source.dir ?? PROJECT_SCHEMA_DIR) };
      case 'url':
        if (normalizeUrl(source.url) !== engineUrl) {
          throw new Error(`This schema engine is connected to ${engineUrl}, not ${source.url}; it can only diff that database.`);
        }
        // The Wasm engine rejects {tag: 'url'} ("--from-url and --to-url flags are no longer
        // supported"); the config datasource is the adapter's database.
        return { tag: 'schemaDatasource', files: DATASOURCE_ONLY, configDir: process.cwd() };
    }
  };

  let closed = false;
  return {
    url: engineUrl,
    engine,
    async diff(from, to) {
      if (closed) throw new Error('Schema engine is closed.');
      const params = {
        from: target(from),
        to: target(to),
        script: true,
        exitCode: true, // 0: no difference, 2: there is one
        filters: { externalTables: [], externalEnums: [] },
      };
      try {
        const result = await engine.diff(params);
        return result.exitCode === 0 ? '' : (result.stdout ?? '');
      } catch (error) {
        throw explain(error);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        engine.free();
      } finally {
        for (const connection of connections.splice(0)) await connection.dispose();
      }
    },
  };
}

/**
 * SQL that turns `from` into `to` ('' when they match). At most one side may be a database.
 * The engine lives for this call only.
 */
export async function diffSql({ from, to, onLog }: { from: DiffSource; to: DiffSource; onLog?: (line: string) => void }): Promise<string> {
  const urls = [...new Set([from, to].flatMap((side) => (side.kind === 'url' ? [normalizeUrl(side.url)] : [])))];
  if (urls.length > 1) throw new Error('diffSql can compare one database with a schema, not two databases.');
  const handle = await createSchemaEngine(urls[0] ?? ':memory:', { mustExist: urls.length > 0, onLog });
  try {
    return await handle.diff(from, to);
  } finally {
    await handle.close();
  }
}
