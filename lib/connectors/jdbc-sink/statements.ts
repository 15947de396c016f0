/**
 * The SQL the sink sends, built from names and rows: multi-row INSERT (plain or upsert), UPDATE,
 * multi-key DELETE, CREATE TABLE and ALTER TABLE ADD. Pure text and parameter lists, so every
 * dialect's statement is unit-tested without a database.
 */
import type { DialectName } from '../jdbc/url.js';

/** How names and parameters are written: the dialect's quoting, or none. */
export interface SqlWriter {
  readonly dialect: DialectName;
  /** An identifier as written in statements (quoted, or as it is with quote.sql.identifiers=never). */
  ident(name: string): string;
}

export function sqlWriter(dialect: DialectName, quote: 'always' | 'never'): SqlWriter {
  const ident =
    quote === 'never'
      ? (name: string) => name
      : dialect === 'postgresql'
        ? (name: string) => `"${name.replaceAll('"', '""')}"`
        : (name: string) => `\`${name.replaceAll('`', '``')}\``;
  return { dialect, ident };
}

export interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** Bind parameters a statement may hold: PostgreSQL's protocol counts them in 16 bits. */
export const MAX_PARAMS = 65_535;
/** A statement's rough size at most: MySQL refuses one past max_allowed_packet (16 MiB by default). */
export const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

/** `$1, $2 …` or `? …` for `count` parameters after `before` others. */
function params(w: SqlWriter, before: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    w.dialect === 'postgresql' ? `$${before + i + 1}` : '?',
  );
}

/** `schema.table`, each part written as the writer writes names. */
export function tableSql(w: SqlWriter, schema: string, name: string): string {
  return `${w.ident(schema)}.${w.ident(name)}`;
}

/**
 * One INSERT of several rows (each holds a value per column, in order). `upsert`: a row whose
 * key exists replaces its other columns (keys alone: the row is left as it is).
 */
export function insertStatement(
  w: SqlWriter,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  upsertKey?: readonly string[],
): Statement {
  const names = columns.map((c) => w.ident(c));
  const tuples = rows.map((_, r) => `(${params(w, r * columns.length, columns.length).join(',')})`);
  let sql = `INSERT INTO ${table} (${names.join(',')}) VALUES ${tuples.join(',')}`;
  if (upsertKey !== undefined) {
    const others = columns.filter((c) => !upsertKey.includes(c)).map((c) => w.ident(c));
    if (w.dialect === 'postgresql') {
      const target = upsertKey.map((c) => w.ident(c)).join(',');
      sql +=
        others.length === 0
          ? ` ON CONFLICT (${target}) DO NOTHING`
          : ` ON CONFLICT (${target}) DO UPDATE SET ${others.map((c) => `${c}=EXCLUDED.${c}`).join(',')}`;
    } else {
      // A no-op assignment where only key columns are written: INSERT IGNORE would also turn
      // the row's other errors (NOT NULL, range) into warnings.
      const set = others.length === 0 ? [w.ident(upsertKey[0] ?? '')] : others;
      sql += ` ON DUPLICATE KEY UPDATE ${set.map((c) => `${c}=VALUES(${c})`).join(',')}`;
    }
  }
  return { sql, params: rows.flat() };
}

/** UPDATE of one row by its key; undefined when there is nothing but the key to set. */
export function updateStatement(
  w: SqlWriter,
  table: string,
  keyColumns: readonly string[],
  keyValues: readonly unknown[],
  columns: readonly string[],
  values: readonly unknown[],
): Statement | undefined {
  if (columns.length === 0) return undefined;
  const set = params(w, 0, columns.length).map((p, i) => `${w.ident(columns[i] ?? '')}=${p}`);
  const where = params(w, columns.length, keyColumns.length).map(
    (p, i) => `${w.ident(keyColumns[i] ?? '')}=${p}`,
  );
  return {
    sql: `UPDATE ${table} SET ${set.join(',')} WHERE ${where.join(' AND ')}`,
    params: [...values, ...keyValues],
  };
}

/** One DELETE of the rows of several keys. */
export function deleteStatement(
  w: SqlWriter,
  table: string,
  keyColumns: readonly string[],
  keys: readonly (readonly unknown[])[],
): Statement {
  const n = keyColumns.length;
  const names = keyColumns.map((c) => w.ident(c));
  const tuples = keys.map((_, r) => {
    const p = params(w, r * n, n);
    return n === 1 ? (p[0] ?? '') : `(${p.join(',')})`;
  });
  const target = n === 1 ? (names[0] ?? '') : `(${names.join(',')})`;
  return {
    sql: `DELETE FROM ${table} WHERE ${target} IN (${tuples.join(',')})`,
    params: keys.flat(),
  };
}

/** A column as CREATE TABLE and ALTER TABLE declare it. */
export interface ColumnDef {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

export function createTableStatement(
  w: SqlWriter,
  table: string,
  columns: readonly ColumnDef[],
  keyColumns: readonly string[],
): string {
  const defs = columns.map(
    (c) => `${w.ident(c.name)} ${c.type} ${c.nullable ? 'NULL' : 'NOT NULL'}`,
  );
  if (keyColumns.length > 0)
    defs.push(`PRIMARY KEY(${keyColumns.map((c) => w.ident(c)).join(',')})`);
  return `CREATE TABLE ${table} (${defs.join(',')})`;
}

/** ALTER TABLE adding columns, always nullable: rows already there have no value for them. */
export function addColumnsStatement(
  w: SqlWriter,
  table: string,
  columns: readonly Omit<ColumnDef, 'nullable'>[],
): string {
  return `ALTER TABLE ${table} ${columns.map((c) => `ADD COLUMN ${w.ident(c.name)} ${c.type} NULL`).join(',')}`;
}

/**
 * Rows in chunks for multi-row statements: at most `batchSize` rows, MAX_PARAMS parameters and
 * about MAX_STATEMENT_BYTES each (a row counts at least one byte per parameter).
 */
export function chunkRows<T extends readonly unknown[]>(
  rows: readonly T[],
  batchSize: number,
): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let paramCount = 0;
  let bytes = 0;
  for (const row of rows) {
    const size = rowBytes(row);
    if (
      chunk.length > 0 &&
      (chunk.length >= batchSize ||
        paramCount + row.length > MAX_PARAMS ||
        bytes + size > MAX_STATEMENT_BYTES)
    ) {
      chunks.push(chunk);
      chunk = [];
      paramCount = 0;
      bytes = 0;
    }
    chunk.push(row);
    paramCount += row.length;
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function rowBytes(row: readonly unknown[]): number {
  let bytes = 0;
  for (const value of row) {
    if (typeof value === 'string') bytes += value.length + 4;
    else if (value instanceof Uint8Array) bytes += 2 * value.length + 4;
    else bytes += 8;
  }
  return bytes;
}
