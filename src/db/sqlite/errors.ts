/**
 * SQLite errors as Prisma understands them. Prisma turns a `DriverAdapterError` into its own
 * error codes (a unique violation becomes P2002, which `isUniqueViolation` and the domain rely
 * on); anything else reaches the caller as a generic error.
 */
import { DriverAdapterError, type Error as DriverError } from '@prisma/driver-adapter-utils';

/** What better-sqlite3 throws: a SqliteError with the SQLite code's name, e.g. SQLITE_CONSTRAINT_UNIQUE. */
interface SqliteError {
  code: string;
  message: string;
}

function isSqliteError(error: unknown): error is SqliteError {
  return typeof error === 'object' && error !== null && typeof (error as SqliteError).code === 'string' && typeof (error as SqliteError).message === 'string';
}

/** "UNIQUE constraint failed: Ballot.pollId, Ballot.voterKey" → ['pollId', 'voterKey']. */
function constraintColumns(message: string): string[] | undefined {
  const list = message.split('constraint failed: ')[1];
  return list?.split(', ').map((qualified) => qualified.slice(qualified.lastIndexOf('.') + 1));
}

function tableOf(message: string): string | undefined {
  const first = message.split('constraint failed: ')[1]?.split(', ')[0];
  const dot = first?.lastIndexOf('.') ?? -1;
  return dot > 0 ? first!.slice(0, dot) : undefined;
}

/** After the first ": " of a message such as "no such table: Poll". */
function subject(message: string): string | undefined {
  const at = message.indexOf(': ');
  return at < 0 ? undefined : message.slice(at + 2);
}

function describe(error: SqliteError): DriverError {
  const { code, message } = error;
  const original = { originalCode: code, originalMessage: message };
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const fields = constraintColumns(message);
    return { ...original, kind: 'UniqueConstraintViolation', constraint: fields && { fields }, table: tableOf(message) };
  }
  if (code === 'SQLITE_CONSTRAINT_NOTNULL') {
    const fields = constraintColumns(message);
    return { ...original, kind: 'NullConstraintViolation', constraint: fields && { fields } };
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === 'SQLITE_CONSTRAINT_TRIGGER') {
    return { ...original, kind: 'ForeignKeyConstraintViolation', constraint: { foreignKey: {} } };
  }
  // Another process (a `linli` command) held the write lock past the busy timeout.
  if (code.startsWith('SQLITE_BUSY')) return { ...original, kind: 'SocketTimeout' };
  if (message.startsWith('no such table')) return { ...original, kind: 'TableDoesNotExist', table: subject(message) };
  if (message.startsWith('no such column')) return { ...original, kind: 'ColumnNotFound', column: subject(message) };
  const named = message.split('has no column named ')[1];
  if (named !== undefined) return { ...original, kind: 'ColumnNotFound', column: named };
  // better-sqlite3 names the code rather than numbering it; SQLITE_ERROR (1) is the generic one.
  const numbered = /^UNKNOWN_SQLITE_ERROR_(\d+)$/.exec(code);
  return { ...original, kind: 'sqlite', extendedCode: numbered ? Number(numbered[1]) : 1, message };
}

/** Rethrows a driver error the way Prisma maps it; anything else unchanged. */
export function rethrowForPrisma(error: unknown): never {
  if (isSqliteError(error)) throw new DriverAdapterError(describe(error));
  throw error;
}
