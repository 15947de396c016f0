import { BUILTIN_VERSION, type SourceConnectorPlugin } from '../../api/plugin-kit.js';
import { datagenKeys, TASK_ID_KEY } from './config.js';

/**
 * A deterministic generator for demos and benchmarks: each task generates its own sequence of
 * struct records, identical on every run with the same seed.
 */
export const datagenSource: SourceConnectorPlugin = {
  type: 'source',
  className: 'rocketmq.connect.datagen.DatagenSourceConnector',
  aliases: ['datagen', 'Datagen'],
  version: BUILTIN_VERSION,
  ...datagenKeys,
  taskConfigs: (config, maxTasks) =>
    Array.from({ length: maxTasks }, (_, i) => ({ ...config, [TASK_ID_KEY]: String(i) })),
  // Task code is loaded when a task starts, never by the api or the coordinator.
  createTask: async () => new (await import('./task.js')).DatagenSourceTask(),
};
