import type { DialectName } from './url.js';

/** A table, as the database names it: PostgreSQL's schema, MySQL's database, then the name. */
export interface TableId {
  readonly schema: string;
  readonly name: string;
}

/** The SQL text that differs between PostgreSQL and MySQL/MariaDB; no driver here. */
export interface Dialect {
  readonly name: DialectName;
  /** An identifier quoted as this database quotes it, inner quotes doubled. */
  quote(identifier: string): string;
  /** The bind parameter at this 1-based position: `$1` or `?`. */
  param(position: number): string;
  /** An expression naming the schema unqualified tables live in. */
  readonly currentSchema: string;
  /** The database's own timestamp in the session's time zone, microseconds kept. */
  readonly localNow: string;
}

export const postgresDialect: Dialect = {
  name: 'postgresql',
  quote: (identifier) => `"${identifier.replaceAll('"', '""')}"`,
  param: (position) => `$${position}`,
  currentSchema: 'current_schema()',
  localNow: 'LOCALTIMESTAMP',
};

export const mysqlDialect: Dialect = {
  name: 'mysql',
  quote: (identifier) => `\`${identifier.replaceAll('`', '``')}\``,
  param: () => '?',
  currentSchema: 'DATABASE()',
  localNow: 'NOW(6)',
};

export function dialectOf(name: DialectName): Dialect {
  return name === 'postgresql' ? postgresDialect : mysqlDialect;
}

/** A table's quoted, schema-qualified name. */
export function qualifiedTable(dialect: Dialect, table: TableId): string {
  return `${dialect.quote(table.schema)}.${dialect.quote(table.name)}`;
}

/** `schema.name` unquoted: how offsets and whitelists name a table (Confluent's `table`). */
export function tableText(table: TableId): string {
  return `${table.schema}.${table.name}`;
}

/**
 * A table as a user writes it (`orders`, `public.orders`, `shop.orders`), with the schema the
 * connection puts unqualified names in.
 */
export function parseTableName(text: string, defaultSchema: string): TableId {
  const dot = text.indexOf('.');
  return dot < 0
    ? { schema: defaultSchema, name: text }
    : { schema: text.slice(0, dot), name: text.slice(dot + 1) };
}
