import type { ConnectorPlugin } from '../api/connector.js';
import { datagenSource } from './datagen/connector.js';
import { fileStreamSink } from './file-stream-sink/connector.js';
import { fileStreamSource } from './file-stream-source/connector.js';
import { jdbcSink } from './jdbc-sink/connector.js';
import { jdbcSource } from './jdbc-source/connector.js';

export { datagenSource } from './datagen/connector.js';
export { fileStreamSink } from './file-stream-sink/connector.js';
export { fileStreamSource } from './file-stream-source/connector.js';
export { jdbcSink } from './jdbc-sink/connector.js';
export { jdbcSource } from './jdbc-source/connector.js';

/** The connectors that ship with the platform, for the plugin registry. */
export const connectorPlugins: readonly ConnectorPlugin[] = [
  fileStreamSource,
  fileStreamSink,
  datagenSource,
  jdbcSource,
  jdbcSink,
];
