/**
 * The SQL type auto.create and auto.evolve give a column of a Connect type, per dialect: the
 * types of Confluent's PostgreSqlDatabaseDialect and MySqlDatabaseDialect, with millisecond
 * TIME and TIMESTAMP (what Connect's logical types hold) and JSON for nested values.
 */
import { LogicalType, type Schema } from '../../api/plugin-kit.js';
import type { DialectName } from '../jdbc/url.js';

/**
 * A column's SQL type. `key`: the column is part of the primary key, where MySQL cannot index
 * TEXT and BLOB, so strings and bytes get VARCHAR(256) and VARBINARY(767) as in Confluent's.
 */
export function sqlTypeOf(dialect: DialectName, schema: Schema, key: boolean): string {
  const pg = dialect === 'postgresql';
  switch (schema.name) {
    case LogicalType.DECIMAL: {
      return pg ? 'NUMERIC' : `DECIMAL(65,${decimalScaleOf(schema)})`;
    }
    case LogicalType.DATE:
      return 'DATE';
    case LogicalType.TIME:
      return 'TIME(3)';
    case LogicalType.TIMESTAMP:
      return pg ? 'TIMESTAMP(3)' : 'DATETIME(3)';
  }
  switch (schema.type) {
    case 'INT8':
      return pg ? 'SMALLINT' : 'TINYINT';
    case 'INT16':
      return 'SMALLINT';
    case 'INT32':
      return pg ? 'INTEGER' : 'INT';
    case 'INT64':
      return 'BIGINT';
    case 'FLOAT32':
      return pg ? 'REAL' : 'FLOAT';
    case 'FLOAT64':
      return pg ? 'DOUBLE PRECISION' : 'DOUBLE';
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'STRING':
      return pg ? 'TEXT' : key ? 'VARCHAR(256)' : 'TEXT';
    case 'BYTES':
      return pg ? 'BYTEA' : key ? 'VARBINARY(767)' : 'BLOB';
    case 'ARRAY':
    case 'MAP':
    case 'STRUCT':
      return pg ? 'JSONB' : 'JSON';
  }
}

/** A Decimal schema's `scale` parameter (0 when it has none, as Connect's Decimal reads it). */
export function decimalScaleOf(schema: Schema): number {
  const scale = Number(schema.parameters?.['scale'] ?? '0');
  return Number.isInteger(scale) ? scale : 0;
}
