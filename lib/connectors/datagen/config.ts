import { defaultedKey, intValue, pluginKeys } from '../../api/plugin-kit.js';

/** The key `taskConfigs` adds to each task's config: which sequence the task generates. */
export const TASK_ID_KEY = 'task.id';

/** The datagen connector's keys; `topic` is a common key (lib/config). */
export const datagenKeys = pluginKeys({
  count: defaultedKey(
    {
      type: 'LONG',
      importance: 'HIGH',
      documentation: 'Records each task generates in all, across slices; -1 for no end.',
    },
    '-1',
    intValue({ min: -1 }),
  ),
  rate: defaultedKey(
    {
      type: 'INT',
      importance: 'MEDIUM',
      documentation: 'Records per second each task generates at most; 0 for as fast as it can.',
    },
    '0',
    intValue({ min: 0 }),
  ),
  'record.size': defaultedKey(
    {
      type: 'INT',
      importance: 'MEDIUM',
      documentation: 'Length of the payload field of each value, in bytes (ASCII characters).',
    },
    '100',
    // RocketMQ's default largest message is 4 MiB; the rest of the record needs some room.
    intValue({ min: 0, max: 4 * 1024 * 1024 - 4096 }),
  ),
  keys: defaultedKey(
    {
      type: 'INT',
      importance: 'MEDIUM',
      documentation: 'Number of distinct record keys, key-0 to key-(keys-1).',
    },
    '1000',
    intValue({ min: 1 }),
  ),
  seed: defaultedKey(
    {
      type: 'LONG',
      importance: 'LOW',
      documentation: 'Seed of the generator: the same seed gives the same records.',
    },
    '42',
    intValue(),
  ),
});
