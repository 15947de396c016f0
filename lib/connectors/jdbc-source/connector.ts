import {
  BUILTIN_VERSION,
  type ConfigProblem,
  type ConnectorConfig,
  type SourceConnectorPlugin,
} from '../../api/plugin-kit.js';
import {
  jdbcSourceKeys,
  MODES,
  TASK_COUNT_KEY,
  TASK_INDEX_KEY,
  TASK_TABLES_KEY,
} from './config.js';

/**
 * Copies tables (or a query's result) from PostgreSQL and MySQL/MariaDB to topics named
 * `topic.prefix` + table, as Confluent's JDBC source does, with its keys and offsets.
 */
export const jdbcSource: SourceConnectorPlugin = {
  type: 'source',
  className: 'io.confluent.connect.jdbc.JdbcSourceConnector',
  aliases: ['JdbcSource', 'org.apache.rocketmq.connect.jdbc.connector.JdbcSourceConnector'],
  version: BUILTIN_VERSION,
  ...jdbcSourceKeys,
  validate: problemsOf,
  taskConfigs,
  // The database is reached from the task function, where the driver is (lib/api/connector.ts).
  checkSystem: async (config, signal) =>
    (await import('./check.js')).checkJdbcSource(config, signal),
  // Task code is loaded when a task starts, never by the api or the coordinator.
  createTask: async () => new (await import('./task.js')).JdbcSourceTask(),
};

const list = (config: ConnectorConfig, ...keys: string[]) =>
  keys.flatMap((key) =>
    (config[key] ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  );

const MODE_COLUMNS: Readonly<Record<string, { incrementing: boolean; timestamp: boolean }>> = {
  bulk: { incrementing: false, timestamp: false },
  incrementing: { incrementing: true, timestamp: false },
  timestamp: { incrementing: false, timestamp: true },
  'timestamp+incrementing': { incrementing: true, timestamp: true },
};

/** The cross-key rules of Confluent's JdbcSourceConnectorConfig, each on the key to fix. */
function problemsOf(config: ConnectorConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const mode = config['mode']?.trim().toLowerCase();
  if (mode === undefined || mode === '') {
    problems.push({
      key: 'mode',
      message: `Missing required configuration: one of ${MODES.join(', ')}`,
    });
  }
  const needs = mode === undefined ? undefined : MODE_COLUMNS[mode];
  if (needs?.incrementing && !config['incrementing.column.name']?.trim()) {
    problems.push({
      key: 'incrementing.column.name',
      message: `Missing required configuration: mode=${mode} reads new rows by this column`,
    });
  }
  if (needs?.timestamp && list(config, 'timestamp.column.name').length === 0) {
    problems.push({
      key: 'timestamp.column.name',
      message: `Missing required configuration: mode=${mode} reads changed rows by this column`,
    });
  }
  const include = list(config, 'table.whitelist', 'table.include.list');
  const exclude = list(config, 'table.blacklist', 'table.exclude.list');
  if (include.length > 0 && exclude.length > 0) {
    const key = config['table.blacklist'] !== undefined ? 'table.blacklist' : 'table.exclude.list';
    problems.push({ key, message: 'Give either tables to include or tables to exclude, not both' });
  }
  const query = config['query']?.trim();
  if (query && (include.length > 0 || exclude.length > 0)) {
    problems.push({
      key: 'query',
      message: 'A query is read instead of tables: remove the table lists',
    });
  }
  if (query && !config['topic.prefix']?.trim()) {
    problems.push({
      key: 'topic.prefix',
      message: 'Missing required configuration: in query mode it is the whole topic name',
    });
  }
  return problems;
}

/**
 * Query mode: one task. Named tables: shared out round robin, one task per table at most.
 * Otherwise every task lists the tables itself and reads those whose name hashes to it, so
 * tables created later are shared out without a new task config.
 */
function taskConfigs(config: ConnectorConfig, maxTasks: number): ConnectorConfig[] {
  if (maxTasks < 1) return [];
  if (config['query']?.trim()) return [{ ...config }];
  const named = list(config, 'table.whitelist', 'table.include.list');
  if (named.length > 0) {
    const count = Math.min(maxTasks, named.length);
    return Array.from({ length: count }, (_, i) => ({
      ...config,
      [TASK_TABLES_KEY]: named.filter((_, t) => t % count === i).join(','),
    }));
  }
  return Array.from({ length: maxTasks }, (_, i) => ({
    ...config,
    [TASK_INDEX_KEY]: String(i),
    [TASK_COUNT_KEY]: String(maxTasks),
  }));
}
