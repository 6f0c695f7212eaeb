/**
 * Values between Prisma's query engine and better-sqlite3, both ways.
 *
 * Prisma sends arguments as JSON-ish values tagged with a scalar type and expects every result
 * column tagged with a column type it can decode. SQLite has no types of its own beyond
 * integer, real, text and blob, so the column type comes from the declared type of the column
 * (what Prisma's migrations write: INTEGER, TEXT, DATETIME, …) and, for expressions without one
 * (`count(*)`, `SELECT 1`), from the first non-null value of the column.
 *
 * Dates are stored as ISO-8601 text with an explicit `+00:00`, the format the databases written
 * so far already hold, so old rows and new ones sort and compare alike.
 */
import { ColumnTypeEnum, type ArgType, type ColumnType } from '@prisma/driver-adapter-utils';

/** One query argument as better-sqlite3 binds it. */
export function toSqlite(value: unknown, type: ArgType | undefined): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return value ? 1 : 0;
    case 'string':
      switch (type?.scalarType) {
        case 'int':
          return Number.parseInt(value, 10);
        case 'float':
        case 'decimal':
          return Number.parseFloat(value);
        case 'bigint':
          return BigInt(value);
        case 'datetime':
          return isoText(new Date(value));
        case 'bytes':
          return Buffer.from(value, 'base64');
        default:
          return value;
      }
    case 'object':
      return value instanceof Date ? isoText(value) : value;
    default:
      return value;
  }
}

function isoText(date: Date): string {
  return `${date.toISOString().slice(0, -1)}+00:00`;
}

/** Declared SQLite types (upper case) Prisma can decode, and what it should decode them as. */
const DECLARED = new Map<string, ColumnType>([
  ...['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'INTEGER', 'SERIAL', 'INT2'].map((t) => [t, ColumnTypeEnum.Int32] as const),
  ...['BIGINT', 'UNSIGNED BIG INT', 'INT8'].map((t) => [t, ColumnTypeEnum.Int64] as const),
  ...['DOUBLE', 'DOUBLE PRECISION', 'NUMERIC', 'REAL'].map((t) => [t, ColumnTypeEnum.Double] as const),
  ['FLOAT', ColumnTypeEnum.Float],
  ['DECIMAL', ColumnTypeEnum.Numeric],
  ['DATETIME', ColumnTypeEnum.DateTime],
  ['TIMESTAMP', ColumnTypeEnum.DateTime],
  ['DATE', ColumnTypeEnum.Date],
  ['TIME', ColumnTypeEnum.Time],
  ...['TEXT', 'CLOB', 'CHARACTER', 'VARCHAR', 'VARYING CHARACTER', 'NCHAR', 'NATIVE CHARACTER', 'NVARCHAR'].map((t) => [t, ColumnTypeEnum.Text] as const),
  ['BLOB', ColumnTypeEnum.Bytes],
  ['BOOLEAN', ColumnTypeEnum.Boolean],
  ['JSONB', ColumnTypeEnum.Json],
]);

/** The column type a declared SQLite type stands for; null when only the values can tell. */
export function declaredColumnType(declared: string | null): ColumnType | null {
  return declared ? (DECLARED.get(declared.toUpperCase()) ?? null) : null;
}

/** The column type of a value in a column without a usable declared type. */
function typeOfValue(value: unknown): ColumnType {
  switch (typeof value) {
    case 'string':
      return ColumnTypeEnum.Text;
    case 'bigint':
      return ColumnTypeEnum.Int64;
    case 'number':
      return ColumnTypeEnum.UnknownNumber;
    case 'boolean':
      return ColumnTypeEnum.Boolean;
    default:
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) return ColumnTypeEnum.Bytes;
      throw new TypeError(`SQLite returned a value Prisma cannot decode: ${typeof value}`);
  }
}

/**
 * The column types of a result: the declared ones, with the undeclared ones (`null`) filled in
 * from the first row that has a value there (a column of nulls only counts as an integer).
 */
export function resultColumnTypes(declared: readonly (ColumnType | null)[], rows: readonly unknown[][]): ColumnType[] {
  return declared.map((type, column) => {
    if (type !== null) return type;
    for (const row of rows) if (row[column] !== null) return typeOfValue(row[column]);
    return ColumnTypeEnum.Int32;
  });
}

const INT32 = ColumnTypeEnum.Int32;
const INT64 = ColumnTypeEnum.Int64;
const DATETIME = ColumnTypeEnum.DateTime;

/**
 * Turns a raw row into what Prisma decodes, in place (the row is ours: better-sqlite3 made it
 * for this call). Integers arrive as bigint (safe-integer mode, so none is silently rounded)
 * and leave as numbers when they fit, as text otherwise; an integer column holding a real is
 * truncated; a date stored as milliseconds becomes ISO text.
 */
export function decodeRow(row: unknown[], types: readonly ColumnType[]): unknown[] {
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    const type = types[i];
    if (typeof value === 'bigint') {
      if (type === DATETIME) row[i] = new Date(Number(value)).toISOString();
      else {
        const n = Number(value);
        row[i] = Number.isSafeInteger(n) ? n : value.toString();
      }
    } else if (typeof value === 'number') {
      if (type === DATETIME) row[i] = new Date(value).toISOString();
      else if ((type === INT32 || type === INT64) && !Number.isInteger(value)) row[i] = Math.trunc(value);
    }
  }
  return row;
}
