import { z } from 'zod';
import {
  boolValue,
  defaultedKey,
  enumValue,
  intValue,
  listValue,
  optionalKey,
  pluginKeys,
  requiredKey,
  textValue,
} from '../../api/plugin-kit.js';
import { jdbcConnectionKeys } from '../jdbc/connection-keys.js';

const TABLE = 'Table';
const MODE = 'Mode';
const CONNECTOR = 'Connector';

/** Confluent's `mode` values; `query` mode is any mode with the `query` key set. */
export const MODES = ['bulk', 'incrementing', 'timestamp', 'timestamp+incrementing'] as const;
export type Mode = (typeof MODES)[number];

/**
 * Confluent's JdbcSourceConnector keys (RocketMQ Connect's JDBC source uses the same), with
 * their defaults. `poll.interval.ms` is one of the platform's common keys (the wait after an
 * empty poll); the task reads it too, as Confluent's does: how often a table read to its end
 * is queried again, 5 s unless given (`pollIntervalOf`).
 */
const keys = pluginKeys({
  ...jdbcConnectionKeys,
  mode: requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      group: MODE,
      displayName: 'Table Loading Mode',
      documentation:
        'bulk (the whole table each poll), incrementing (new rows by a strictly increasing column), timestamp (new and changed rows by a timestamp column), or timestamp+incrementing (both: exact).',
    },
    enumValue(MODES),
  ),
  'incrementing.column.name': optionalKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      group: MODE,
      displayName: 'Incrementing Column Name',
      documentation: 'A strictly increasing column (an auto-increment key) that finds new rows.',
    },
    textValue(),
  ),
  'timestamp.column.name': defaultedKey(
    {
      type: 'LIST',
      importance: 'MEDIUM',
      group: MODE,
      displayName: 'Timestamp Column Name',
      documentation:
        'Timestamp columns that find new and changed rows; with several, the first that is not null counts (COALESCE).',
    },
    '',
    listValue(),
  ),
  'timestamp.initial': optionalKey(
    {
      type: 'LONG',
      importance: 'LOW',
      group: MODE,
      displayName: 'Unix time value of initial timestamp',
      documentation:
        'Where timestamp modes start without a committed offset, in epoch milliseconds; -1 is the database time now. Unset: from the beginning.',
    },
    intValue({ min: -1 }),
  ),
  'timestamp.delay.interval.ms': defaultedKey(
    {
      type: 'LONG',
      importance: 'HIGH',
      group: MODE,
      displayName: 'Delay Interval (ms)',
      documentation:
        "How old a row's timestamp must be before it is read, so that transactions still open when it was stamped have committed.",
    },
    '0',
    intValue({ min: 0 }),
  ),
  'validate.non.null': defaultedKey(
    {
      type: 'BOOLEAN',
      importance: 'LOW',
      group: MODE,
      displayName: 'Validate Non Null',
      documentation: 'Refuse incrementing and timestamp columns that may hold NULL.',
    },
    'true',
    boolValue(),
  ),
  query: optionalKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      group: MODE,
      displayName: 'Query',
      documentation:
        'Read the result of this query instead of tables (one task); incremental modes add their WHERE clause to it.',
    },
    textValue(),
  ),
  'query.suffix': defaultedKey(
    {
      type: 'STRING',
      importance: 'LOW',
      group: MODE,
      displayName: 'Query suffix',
      documentation: 'Text appended to every query this connector runs.',
    },
    '',
    z.string(),
  ),
  'numeric.mapping': defaultedKey(
    {
      type: 'STRING',
      importance: 'LOW',
      group: MODE,
      displayName: 'Map Numeric Values By Precision and Scale',
      documentation:
        'none (NUMERIC/DECIMAL as Decimal), precision_only (integers by precision), best_fit (also FLOAT64 where exact) or best_fit_eager_double.',
    },
    'none',
    enumValue(['none', 'precision_only', 'best_fit', 'best_fit_eager_double']),
  ),
  'table.whitelist': defaultedKey(
    {
      type: 'LIST',
      importance: 'MEDIUM',
      group: TABLE,
      displayName: 'Table Whitelist',
      documentation: 'Tables to read (`name` or `schema.name`); empty: every table.',
    },
    '',
    listValue(),
  ),
  'table.blacklist': defaultedKey(
    {
      type: 'LIST',
      importance: 'MEDIUM',
      group: TABLE,
      displayName: 'Table Blacklist',
      documentation: 'Tables not to read.',
    },
    '',
    listValue(),
  ),
  'table.include.list': defaultedKey(
    {
      type: 'LIST',
      importance: 'MEDIUM',
      group: TABLE,
      displayName: 'Table Include List',
      documentation: 'table.whitelist under its newer name.',
    },
    '',
    listValue(),
  ),
  'table.exclude.list': defaultedKey(
    {
      type: 'LIST',
      importance: 'MEDIUM',
      group: TABLE,
      displayName: 'Table Exclude List',
      documentation: 'table.blacklist under its newer name.',
    },
    '',
    listValue(),
  ),
  'schema.pattern': optionalKey(
    {
      type: 'STRING',
      importance: 'MEDIUM',
      group: TABLE,
      displayName: 'Schema pattern',
      documentation:
        "The schema (MySQL: database) whose tables are read; unset: the connection's own (current_schema(), DATABASE()).",
    },
    textValue(),
  ),
  'table.poll.interval.ms': defaultedKey(
    {
      type: 'LONG',
      importance: 'LOW',
      group: CONNECTOR,
      displayName: 'Metadata Change Monitoring Interval (ms)',
      documentation: 'How often the tables are listed again, so new tables are picked up.',
    },
    '60000',
    intValue({ min: 1 }),
  ),
  'topic.prefix': defaultedKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      group: CONNECTOR,
      displayName: 'Topic Prefix',
      documentation:
        "A table's rows go to the topic named this prefix + the table's name; in query mode, to the prefix itself (created when missing).",
    },
    '',
    z.string(),
  ),
  'batch.max.rows': defaultedKey(
    {
      type: 'INT',
      importance: 'LOW',
      group: CONNECTOR,
      displayName: 'Max Rows Per Batch',
      documentation: 'The largest number of rows one query returns.',
    },
    '100',
    intValue({ min: 1 }),
  ),
});

/**
 * Confluent's JdbcSourceConnectorConfig rules across keys, each on the key to fix: what a mode
 * needs, and lists that exclude each other.
 */
export const jdbcSourceKeys = {
  configDef: keys.configDef,
  configSchema: keys.configSchema.superRefine((config, ctx) => {
    const problem = (key: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [key], message });
    const { mode } = config;
    if (mode.includes('incrementing') && config['incrementing.column.name'] === undefined) {
      problem(
        'incrementing.column.name',
        `Missing required configuration: mode=${mode} reads new rows by this column`,
      );
    }
    if (mode.startsWith('timestamp') && config['timestamp.column.name'].length === 0) {
      problem(
        'timestamp.column.name',
        `Missing required configuration: mode=${mode} reads changed rows by this column`,
      );
    }
    const include = [...config['table.whitelist'], ...config['table.include.list']];
    const exclude = [...config['table.blacklist'], ...config['table.exclude.list']];
    if (include.length > 0 && exclude.length > 0) {
      problem(
        config['table.blacklist'].length > 0 ? 'table.blacklist' : 'table.exclude.list',
        'Give either tables to include or tables to exclude, not both',
      );
    }
    if (config.query !== undefined && (include.length > 0 || exclude.length > 0)) {
      problem('query', 'A query is read instead of tables: remove the table lists');
    }
    if (config.query !== undefined && config['topic.prefix'].trim() === '') {
      problem('topic.prefix', 'Missing required configuration: in query mode it is the topic');
    }
  }),
};

export type JdbcSourceConfig = z.output<typeof jdbcSourceKeys.configSchema>;

/** The task config key holding the tables a task reads (Confluent's task key). */
export const TASK_TABLES_KEY = 'tables';
/** Task config keys that share out tables found at run time: this task's index and the count. */
export const TASK_INDEX_KEY = 'jdbc.task.index';
export const TASK_COUNT_KEY = 'jdbc.task.count';

/** Confluent's `poll.interval.ms` default: how often a table read to its end is queried again. */
export const DEFAULT_POLL_INTERVAL_MS = 5000;

/** `poll.interval.ms` as the task reads it (the common keys have checked its value). */
export function pollIntervalOf(config: Readonly<Record<string, string>>): number {
  const raw = config['poll.interval.ms'];
  return raw === undefined ? DEFAULT_POLL_INTERVAL_MS : Number(raw);
}
