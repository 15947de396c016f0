// Small plugins for the config tests: just enough shape to be found, documented and parsed.
import { z } from 'zod';
import type { SinkConnectorPlugin, SourceConnectorPlugin } from '../../../lib/api/connector.js';
import type { ConverterPlugin } from '../../../lib/api/converter.js';
import { createRegistry } from '../../../lib/api/registry.js';
import type { PredicatePlugin, TransformPlugin } from '../../../lib/api/transform.js';
import type { ConnectorConfig } from '../../../lib/api/connector-config.js';
import { boolValue, intValue, textValue } from '../../../lib/api/config-values.js';

const unused = (): never => {
  throw new Error('not used in config tests');
};

export const fileSource: SourceConnectorPlugin = {
  type: 'source',
  className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  aliases: ['org.apache.rocketmq.connect.file.FileSourceConnector'],
  version: '1.0.0',
  configDef: [
    {
      name: 'file',
      type: 'STRING',
      required: true,
      importance: 'HIGH',
      documentation: 'File to read.',
    },
    {
      name: 'batch.size',
      type: 'INT',
      default: '2000',
      required: false,
      importance: 'LOW',
      documentation: 'Lines per poll.',
    },
  ],
  configSchema: z.object({
    file: textValue(),
    'batch.size': z
      .string()
      .default('2000')
      .pipe(intValue({ min: 1 })),
  }),
  taskConfigs: (config: ConnectorConfig) => [config],
  createTask: unused,
};

export const httpSink: SinkConnectorPlugin = {
  type: 'sink',
  className: 'com.example.connect.HttpSinkConnector',
  aliases: [],
  version: '0.1.0',
  configDef: [
    {
      name: 'http.url',
      type: 'STRING',
      required: true,
      importance: 'HIGH',
      documentation: 'Endpoint.',
    },
    {
      name: 'bearer',
      type: 'STRING',
      required: false,
      importance: 'HIGH',
      documentation: 'Bearer credentials.',
      secret: true,
    },
    {
      name: 'retry.backoff.ms',
      type: 'LONG',
      required: false,
      importance: 'LOW',
      documentation: 'Backoff.',
    },
  ],
  configSchema: z.object({
    'http.url': z.url(),
    bearer: z.string().min(10).optional(),
    'retry.backoff.ms': intValue({ min: 0 }).optional(),
  }),
  validate: (config) =>
    config['retry.backoff.ms'] !== undefined && config['bearer'] === undefined
      ? [{ key: 'retry.backoff.ms', message: 'retry.backoff.ms needs bearer to be set' }]
      : [],
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => config),
  createTask: unused,
};

export const insertField: TransformPlugin = {
  type: 'transformation',
  className: 'org.apache.kafka.connect.transforms.InsertField$Value',
  aliases: [],
  version: '1.0.0',
  configDef: [
    {
      name: 'static.field',
      type: 'STRING',
      required: true,
      importance: 'MEDIUM',
      documentation: 'Field to add.',
    },
  ],
  configSchema: z.object({ 'static.field': textValue() }),
  // Validation configures it (what only `configure` checks is found then): it accepts anything.
  create: () => ({ configure: () => undefined, apply: (record) => record }),
};

export const topicNameMatches: PredicatePlugin = {
  type: 'predicate',
  className: 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
  aliases: [],
  version: '1.0.0',
  configSchema: z.object({ pattern: textValue() }),
  create: () => ({ configure: () => undefined, test: () => true }),
};

export const jsonConverter: ConverterPlugin = {
  type: 'converter',
  className: 'org.apache.kafka.connect.json.JsonConverter',
  aliases: [],
  version: '1.0.0',
  configSchema: z.object({ 'schemas.enable': boolValue().optional() }),
  create: unused,
};

export const registry = createRegistry([
  fileSource,
  httpSink,
  insertField,
  topicNameMatches,
  jsonConverter,
]);

/** A valid source config; tests spread changes over it. */
export const sourceConfig: ConnectorConfig = {
  name: 'file-in',
  'connector.class': 'FileStreamSource',
  file: '/tmp/in.txt',
  topic: 'lines',
};

/** A valid sink config. */
export const sinkConfig: ConnectorConfig = {
  name: 'http-out',
  'connector.class': 'com.example.connect.HttpSinkConnector',
  topics: 'orders',
  'http.url': 'https://example.com/hook',
};

/** A config with some keys removed (undefined) and others changed. */
export function withChanges(
  base: ConnectorConfig,
  changes: Readonly<Record<string, string | undefined>>,
): ConnectorConfig {
  const out: Record<string, string> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}
