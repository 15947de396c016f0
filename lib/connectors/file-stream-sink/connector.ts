import { BUILTIN_VERSION, type SinkConnectorPlugin } from '../../api/plugin-kit.js';
import { fileStreamSinkKeys } from './config.js';
import { FileStreamSinkTask } from './task.js';

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
  createTask: () => new FileStreamSinkTask(),
};
