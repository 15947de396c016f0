import { pluginKeys, requiredKey, textValue } from '../../api/plugin-kit.js';

/** Kafka's FileStreamSinkConnector keys. */
export const fileStreamSinkKeys = pluginKeys({
  file: requiredKey(
    {
      type: 'STRING',
      importance: 'HIGH',
      documentation: 'The file to append record values to, one line per record.',
    },
    textValue(),
  ),
});
