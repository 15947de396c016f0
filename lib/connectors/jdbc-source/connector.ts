import {
  BUILTIN_VERSION,
  type ConnectorConfig,
  type SourceConnectorPlugin,
} from '../../api/plugin-kit.js';
import { jdbcSourceKeys, TASK_COUNT_KEY, TASK_INDEX_KEY, TASK_TABLES_KEY } from './config.js';

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
