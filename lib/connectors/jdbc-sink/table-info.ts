/**
 * What the sink knows of its target tables: their columns and types from information_schema,
 * read once per task and again after DDL.
 */
import type { SqlSession } from '../jdbc/connection.js';
import type { TableId } from '../jdbc/dialect.js';
import type { DialectName } from '../jdbc/url.js';

export interface ColumnInfo {
  /** As the database spells it. */
  readonly name: string;
  /** information_schema's `data_type`, lower case: `timestamp with time zone`, `datetime`… */
  readonly dataType: string;
  readonly nullable: boolean;
}

export interface TableInfo {
  readonly id: TableId;
  /** By name; see `columnOf` for how a record's field finds its column. */
  readonly columns: ReadonlyMap<string, ColumnInfo>;
}

const COLUMNS_SQL: Readonly<Record<DialectName, string>> = {
  postgresql:
    'SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
  mysql:
    'SELECT COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
};

/** A table's columns, or undefined when it does not exist (or this user sees none of it). */
export async function readTableInfo(
  session: SqlSession,
  dialect: DialectName,
  id: TableId,
): Promise<TableInfo | undefined> {
  const { rows } = await session.query(COLUMNS_SQL[dialect], [id.schema, id.name]);
  if (rows.length === 0) return undefined;
  const columns = new Map<string, ColumnInfo>();
  for (const [name, dataType, nullable] of rows) {
    const column = {
      name: String(name),
      dataType: String(dataType).toLowerCase(),
      nullable: String(nullable).toUpperCase() === 'YES',
    };
    columns.set(column.name, column);
  }
  return { id, columns };
}

/**
 * The column a field writes: its exact name, else (MySQL, whose column names ignore case, or
 * unquoted PostgreSQL names, which it folds to lower case) the one that matches ignoring case.
 */
export function columnOf(
  table: TableInfo,
  field: string,
  ignoreCase: boolean,
): ColumnInfo | undefined {
  const exact = table.columns.get(field);
  if (exact || !ignoreCase) return exact;
  const lower = field.toLowerCase();
  for (const column of table.columns.values()) {
    if (column.name.toLowerCase() === lower) return column;
  }
  return undefined;
}
