/** What the database says of its tables (information_schema, the same in both dialects). */
import { statementError, type SqlClient } from './connection.js';
import { ConfigError } from '../../api/plugin-kit.js';
import { parseTableName, type TableId } from './dialect.js';

/**
 * The schema unqualified names live in: PostgreSQL's current_schema(), MySQL's DATABASE();
 * undefined when there is none (RocketMQ Connect's `jdbc:mysql://host:3306` names no database,
 * and its tables are written `database.table`).
 */
export async function currentSchemaOf(client: SqlClient): Promise<string | undefined> {
  const sql = `SELECT ${client.dialect.currentSchema}`;
  const result = await run(client, sql, [], 'finding the current schema');
  const schema = result.rows[0]?.[0];
  return typeof schema === 'string' && schema !== '' ? schema : undefined;
}

/** A table as a user writes it, in `schema` unless qualified; throws naming the key without one. */
export function tableNamed(name: string, schema: string | undefined, key: string): TableId {
  if (schema !== undefined || name.includes('.')) return parseTableName(name, schema ?? '');
  throw new ConfigError(
    key,
    `table "${name}" names no database and connection.url names none: write database.table, or add the database to the URL`,
  );
}

/** The base tables of a schema, by name. */
export async function tablesOf(client: SqlClient, schema: string): Promise<TableId[]> {
  const p = client.dialect.param(1);
  const result = await run(
    client,
    `SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = ${p} ORDER BY table_name`,
    [schema],
    `listing the tables of ${schema}`,
  );
  return result.rows.map((row) => ({ schema, name: String(row[0]) }));
}

/** Whether a table exists. */
export async function tableExists(client: SqlClient, table: TableId): Promise<boolean> {
  const [p1, p2] = [client.dialect.param(1), client.dialect.param(2)];
  const result = await run(
    client,
    `SELECT 1 FROM information_schema.tables WHERE table_schema = ${p1} AND table_name = ${p2}`,
    [table.schema, table.name],
    `looking up table ${table.schema}.${table.name}`,
  );
  return result.rows.length > 0;
}

/** A table's column names, in order. */
export async function columnNamesOf(client: SqlClient, table: TableId): Promise<string[]> {
  const [p1, p2] = [client.dialect.param(1), client.dialect.param(2)];
  const result = await run(
    client,
    `SELECT column_name FROM information_schema.columns WHERE table_schema = ${p1} AND table_name = ${p2} ORDER BY ordinal_position`,
    [table.schema, table.name],
    `reading the columns of ${table.schema}.${table.name}`,
  );
  return result.rows.map((row) => String(row[0]));
}

/** A table's primary key columns, in key order; none when it has no primary key. */
export async function primaryKeyOf(client: SqlClient, table: TableId): Promise<string[]> {
  const [p1, p2] = [client.dialect.param(1), client.dialect.param(2)];
  const result = await run(
    client,
    'SELECT k.column_name FROM information_schema.table_constraints c ' +
      'JOIN information_schema.key_column_usage k ON k.constraint_name = c.constraint_name ' +
      'AND k.table_schema = c.table_schema AND k.table_name = c.table_name ' +
      `WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = ${p1} AND c.table_name = ${p2} ` +
      'ORDER BY k.ordinal_position',
    [table.schema, table.name],
    `reading the primary key of ${table.schema}.${table.name}`,
  );
  return result.rows.map((row) => String(row[0]));
}

async function run(client: SqlClient, sql: string, params: unknown[], what: string) {
  try {
    return await client.query(sql, params);
  } catch (error) {
    throw statementError(client.settings, error, what);
  }
}
