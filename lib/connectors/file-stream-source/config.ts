import {
  defaultedKey,
  intValue,
  pluginKeys,
  requiredKey,
  textValue,
} from '../../api/plugin-kit.js';

/** Kafka's FileStreamSourceConnector keys; `topic` is a common key (lib/config). */
export const fileStreamSourceKeys = pluginKeys({
  file: requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'The file to read, line by line; lines appended later are read too.',
    },
    textValue(),
  ),
  'batch.size': defaultedKey(
    {
      type: 'INT',
      importance: 'LOW',
      documentation: 'The largest number of lines a task returns from one poll.',
    },
    '2000',
    intValue({ min: 1 }),
  ),
});
