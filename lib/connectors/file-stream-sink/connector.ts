import { BUILTIN_VERSION, type SinkConnectorPlugin } from '../../api/plugin-kit.js';
import { fileStreamSinkKeys } from './config.js';

/**
 * Appends each record's value to a file as one line. As in Kafka, every task appends to the
 * same file, so `tasks.max` tasks share the topic's queues and the lines interleave.
 */
export const fileStreamSink: SinkConnectorPlugin = {
  type: 'sink',
  className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  aliases: ['FileStreamSink', 'org.apache.rocketmq.connect.file.FileSinkConnector'],
  version: BUILTIN_VERSION,
  ...fileStreamSinkKeys,
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => ({ ...config })),
  // Task code is loaded when a task starts, never by the api or the coordinator.
  createTask: async () => new (await import('./task.js')).FileStreamSinkTask(),
};
