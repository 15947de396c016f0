import { BUILTIN_VERSION, type SourceConnectorPlugin } from '../../api/plugin-kit.js';
import { fileStreamSourceKeys } from './config.js';

/**
 * Streams the lines of a file to a topic, one record per line, resuming from the committed byte
 * position. A file has one reader, so there is one task whatever `tasks.max` says.
 */
export const fileStreamSource: SourceConnectorPlugin = {
  type: 'source',
  className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  aliases: ['FileStreamSource', 'org.apache.rocketmq.connect.file.FileSourceConnector'],
  version: BUILTIN_VERSION,
  ...fileStreamSourceKeys,
  taskConfigs: (config, maxTasks) => (maxTasks >= 1 ? [{ ...config }] : []),
  // Task code is loaded when a task starts, never by the api or the coordinator.
  createTask: async () => new (await import('./task.js')).FileStreamSourceTask(),
};
