import type { z } from 'zod';
import {
  boolValue,
  defaultedKey,
  enumValue,
  intValue,
  listValue,
  pluginKeys,
  textValue,
  type ConfigProblem,
  type ConnectorConfig,
} from '../../api/plugin-kit.js';
import { jdbcConnectionKeys } from '../jdbc/connection-keys.js';

const WRITES = 'Writes';
const DATA_MAPPING = 'Data Mapping';
const DDL_SUPPORT = 'DDL Support';
const RETRIES = 'Retries';

/** `enumValue`, typed as the words it takes (enumValue's output is typed as any string). */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return enumValue(values).transform((v) => v as T[number]);
}

/** The header RocketMQ Connect's sources name a record's table with. */
export const SOURCE_TABLE_HEADER = '__source_table';
/** `table.name.format`'s default: the topic names the table. */
export const TOPIC_TABLE_FORMAT = '${topic}';
/** RocketMQ Connect's class name: under it, a record's value schema name names its table. */
export const ROCKETMQ_CLASS = 'org.apache.rocketmq.connect.jdbc.connector.JdbcSinkConnector';
/** Confluent's key columns of `pk.mode=kafka`. */
export const KAFKA_PK_FIELDS = ['__connect_topic', '__connect_partition', '__connect_offset'];

/**
 * Confluent's JdbcSinkConnector keys (kafka-connect-jdbc), with their names and defaults, and
 * RocketMQ Connect's `table.name.from.header`.
 */
export const jdbcSinkKeys = pluginKeys({
  ...jdbcConnectionKeys,
  'insert.mode': defaultedKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      group: WRITES,
      displayName: 'Insert Mode',
      documentation:
        'insert: plain INSERT. upsert: insert, or replace the row of the same primary key (PostgreSQL ON CONFLICT, MySQL ON DUPLICATE KEY UPDATE). update: UPDATE the row of the primary key, one statement per record. Any case (RocketMQ Connect writes INSERT, UPSERT).',
    },
    'insert',
    oneOf(['insert', 'upsert', 'update']),
  ),
  'batch.size': defaultedKey(
    {
      type: 'INT',
      importance: 'MEDIUM',
      group: WRITES,
      displayName: 'Batch Size',
      documentation:
        'Rows at most in one multi-row statement; a statement also stays under 65,535 bind parameters and about 4 MiB.',
    },
    '3000',
    intValue({ min: 1 }),
  ),
  'delete.enabled': defaultedKey(
    {
      type: 'BOOLEAN',
      importance: 'MEDIUM',
      group: WRITES,
      displayName: 'Enable deletes',
      documentation:
        'A record with a null value (a tombstone) deletes the row of its key. Needs pk.mode=record_key. Without it, a tombstone is refused (dead-lettered under errors.tolerance=all).',
      dependents: ['pk.mode'],
    },
    'false',
    boolValue(),
  ),
  'table.name.format': defaultedKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      group: DATA_MAPPING,
      displayName: 'Table Name Format',
      documentation:
        "The target table, `${topic}` standing for the record's topic; `schema.table` (PostgreSQL) or `database.table` (MySQL) names another schema. Which name wins, first to last: the `__source_table` header when table.name.from.header=true; this format when it is not the default; the record's `__source_table` header (set by RocketMQ Connect's sources); under RocketMQ Connect's class name, the value schema's name; the topic.",
    },
    TOPIC_TABLE_FORMAT,
    textValue(),
  ),
  'table.name.from.header': defaultedKey(
    {
      type: 'BOOLEAN',
      importance: 'LOW',
      group: DATA_MAPPING,
      displayName: 'Table name from header',
      documentation:
        "RocketMQ Connect's key: the `__source_table` header names every record's table, and a record without it is refused.",
    },
    'false',
    boolValue(),
  ),
  'pk.mode': defaultedKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      group: DATA_MAPPING,
      displayName: 'Primary Key Mode',
      documentation:
        "Where the primary key columns come from. none: no key. kafka: the record's topic, queue id and queue offset (pk.fields names the three columns; default __connect_topic, __connect_partition, __connect_offset). record_key: the record key (a struct: its fields, or those pk.fields names; a primitive: one column, named by pk.fields). record_value: fields of the value (pk.fields, default all).",
      dependents: ['pk.fields', 'delete.enabled', 'insert.mode'],
    },
    'none',
    oneOf(['none', 'kafka', 'record_key', 'record_value']),
  ),
  'pk.fields': defaultedKey(
    {
      type: 'LIST',
      importance: 'MEDIUM',
      group: DATA_MAPPING,
      displayName: 'Primary Key Fields',
      documentation: 'The primary key columns, as pk.mode reads them; comma separated.',
    },
    '',
    listValue(),
  ),
  'fields.whitelist': defaultedKey(
    {
      type: 'LIST',
      importance: 'MEDIUM',
      group: DATA_MAPPING,
      displayName: 'Fields Whitelist',
      documentation:
        'The value fields written (besides the key columns); empty: all of them. Comma separated.',
    },
    '',
    listValue(),
  ),
  'auto.create': defaultedKey(
    {
      type: 'BOOLEAN',
      importance: 'MEDIUM',
      group: DDL_SUPPORT,
      displayName: 'Auto-Create',
      documentation:
        "CREATE TABLE a missing table from the record's value schema, with the primary key of pk.mode. Needs records with schemas: a schemaless record (JsonConverter with schemas.enable=false) cannot tell the column types, and is refused.",
    },
    'false',
    boolValue(),
  ),
  'auto.evolve': defaultedKey(
    {
      type: 'BOOLEAN',
      importance: 'MEDIUM',
      group: DDL_SUPPORT,
      displayName: 'Auto-Evolve',
      documentation:
        "ALTER TABLE ADD the columns a record's schema has and the table lacks, always nullable. Never drops or changes a column. Needs records with schemas.",
    },
    'false',
    boolValue(),
  ),
  'quote.sql.identifiers': defaultedKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      group: DDL_SUPPORT,
      displayName: 'Quote Identifiers',
      documentation:
        'always: table and column names are quoted (kept exactly, case included). never: written as they are (PostgreSQL folds them to lower case).',
    },
    'always',
    oneOf(['always', 'never']),
  ),
  'max.retries': defaultedKey(
    {
      type: 'INT',
      importance: 'MEDIUM',
      group: RETRIES,
      displayName: 'Maximum Retries',
      documentation:
        "Accepted for Confluent's configs; the runtime retries instead: errors.retry.timeout and errors.retry.delay.max.ms (connection failures, deadlocks).",
    },
    '10',
    intValue({ min: 0 }),
  ),
  'retry.backoff.ms': defaultedKey(
    {
      type: 'INT',
      importance: 'MEDIUM',
      group: RETRIES,
      displayName: 'Retry Backoff (millis)',
      documentation: "Accepted for Confluent's configs; see max.retries.",
    },
    '3000',
    intValue({ min: 0 }),
  ),
});

export type JdbcSinkConfig = z.output<typeof jdbcSinkKeys.configSchema>;

type KeyName = keyof typeof jdbcSinkKeys.configSchema.shape;

/** One key parsed alone (its default when absent), or undefined when its value is invalid. */
function parsedKey<K extends KeyName>(config: ConnectorConfig, key: K) {
  const parsed = jdbcSinkKeys.configSchema.shape[key].safeParse(config[key]);
  return parsed.success ? (parsed.data as JdbcSinkConfig[K]) : undefined;
}

/**
 * The cross-key rules of Confluent's sink, on the key to fix. Keys are parsed one by one, so a
 * bad value elsewhere (or a `${...}` reference) does not hide these; a key that does not parse
 * is reported by the schema and left out here.
 */
export function validateJdbcSinkConfig(config: ConnectorConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const insertMode = parsedKey(config, 'insert.mode');
  const pkMode = parsedKey(config, 'pk.mode');
  const pkFields = parsedKey(config, 'pk.fields');
  const deleteEnabled = parsedKey(config, 'delete.enabled');
  if (pkMode === undefined) return problems;
  if (deleteEnabled === true && pkMode !== 'record_key') {
    problems.push({
      key: 'pk.mode',
      message: `'${pkMode}' is invalid: Deletes are only supported for pk.mode 'record_key'`,
    });
    problems.push({
      key: 'delete.enabled',
      message: `delete.enabled=true needs pk.mode=record_key (the record key names the row to delete), not ${pkMode}`,
    });
  }
  if ((insertMode === 'upsert' || insertMode === 'update') && pkMode === 'none') {
    problems.push({
      key: 'pk.mode',
      message: `insert.mode=${insertMode} needs the primary key to be known: pk.mode must be kafka, record_key or record_value, not none`,
    });
  }
  if (pkMode === 'kafka') {
    if (pkFields !== undefined && pkFields.length !== 0 && pkFields.length !== 3) {
      problems.push({
        key: 'pk.fields',
        message: `pk.mode=kafka takes no pk.fields (for the defaults ${KAFKA_PK_FIELDS.join(', ')}) or exactly 3, not ${pkFields.length}`,
      });
    }
  }
  if (pkFields !== undefined && new Set(pkFields).size !== pkFields.length) {
    problems.push({ key: 'pk.fields', message: 'pk.fields names a column twice' });
  }
  return problems;
}
