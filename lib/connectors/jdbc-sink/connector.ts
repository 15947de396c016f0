import { BUILTIN_VERSION, type SinkConnectorPlugin } from '../../api/plugin-kit.js';
import { jdbcSinkKeys, ROCKETMQ_CLASS, validateJdbcSinkConfig } from './config.js';

/**
 * Writes records into PostgreSQL or MySQL/MariaDB tables, as Confluent's JdbcSinkConnector does
 * (its keys and defaults), under RocketMQ Connect's class name too. As in Kafka, every task gets
 * the same config: the topic's queues are shared among them.
 */
export const jdbcSink: SinkConnectorPlugin = {
  type: 'sink',
  className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
  aliases: ['JdbcSink', ROCKETMQ_CLASS],
  version: BUILTIN_VERSION,
  ...jdbcSinkKeys,
  validate: validateJdbcSinkConfig,
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => ({ ...config })),
  // The driver and the check load only where they run (the task function).
  checkSystem: async (config, signal) => (await import('./check.js')).checkJdbcSink(config, signal),
  createTask: async () => new (await import('./task.js')).JdbcSinkTask(),
};
